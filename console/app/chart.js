// @ts-check
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import { html } from './html.js';

const COLORS = ['#1f5fbf', '#b3261e', '#1b7a3a', '#8a4b00', '#6b3fa0'];

/**
 * A uPlot line chart; x is Unix seconds. Its numbers are also in a table beside it (charts are
 * not read by screen readers), so the chart itself is aria-hidden behind a text label.
 * `xRange` fixes the time axis (else uPlot widens a single point to years); a series' `format`
 * labels its axis (bytes as MiB, say).
 * @param {{ label: string, x: number[], xRange?: [number, number], series: Array<{ label: string, values: Array<number | null>, scale?: string, format?: (value: number) => string }>, height?: number }} props
 */
export function Chart({ label, x, xRange, series, height = 220 }) {
  const box = useRef(/** @type {HTMLDivElement | null} */ (null));
  useEffect(() => {
    const element = box.current;
    if (!element) return undefined;
    const scales = [...new Set(series.map((s) => s.scale ?? 'y'))];
    const formatOf = (/** @type {string} */ scale) =>
      series.find((s) => (s.scale ?? 'y') === scale)?.format;
    const plot = new uPlot(
      {
        width: Math.max(element.clientWidth, 280),
        height,
        series: [
          {},
          ...series.map((s, i) => ({
            label: s.label,
            stroke: COLORS[i % COLORS.length],
            width: 2,
            scale: s.scale ?? 'y',
          })),
        ],
        ...(xRange ? { scales: { x: { time: true, range: () => xRange } } } : {}),
        axes: [
          {},
          ...scales.map((scale, i) => {
            const format = formatOf(scale);
            return {
              scale,
              side: i === 0 ? 3 : 1,
              grid: { show: i === 0 },
              size: 70,
              ...(format
                ? {
                    values: (/** @type {unknown} */ _u, /** @type {number[]} */ splits) =>
                      splits.map(format),
                  }
                : {}),
            };
          }),
        ],
      },
      [x, ...series.map((s) => s.values)],
      element,
    );
    const resize = () => plot.setSize({ width: Math.max(element.clientWidth, 280), height });
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      plot.destroy();
    };
  }, [JSON.stringify({ x, xRange, series })]);
  return html`<figure class="chart">
    <figcaption>${label}</figcaption>
    <div ref=${box} aria-hidden="true"></div>
  </figure>`;
}
