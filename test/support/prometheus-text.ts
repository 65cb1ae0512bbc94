/** The value of the series of `name` whose labels include `labels`, in Prometheus text; 0 if absent. */
export function metricValue(text: string, name: string, labels: Record<string, string>): number {
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const close = line.lastIndexOf('}');
    const series = close >= 0 ? line.slice(name.length + 1, close) : '';
    const value = close >= 0 ? line.slice(close + 1) : line.slice(name.length);
    if (wanted.every((pair) => series.split(',').includes(pair))) return Number(value.trim());
  }
  return 0;
}
