import { rate, type Measurement } from './timing.js';

/** Median rate over rounds, so one slow fsync or GC pause does not decide a figure. */
export function medianRate(measurements: Measurement[]): number {
  const rates = measurements.map(rate).sort((a, b) => a - b);
  return rates[Math.floor(rates.length / 2)]!;
}
