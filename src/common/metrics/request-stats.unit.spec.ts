import { RequestStats } from './request-stats.js';

describe('RequestStats', () => {
  it('reports count, average and p95 over the window', () => {
    const stats = new RequestStats();
    for (let ms = 1; ms <= 100; ms++) stats.record(ms, new Date('2026-01-22T12:00:00Z'));
    expect(stats.requestCount).toBe(100);
    expect(stats.averageMs()).toBe(50.5);
    expect(stats.percentileMs(95)).toBe(95);
    expect(stats.lastRequestAt).toBe('2026-01-22T12:00:00.000Z');
  });

  it('keeps only the last 1,000 latencies', () => {
    const stats = new RequestStats();
    for (let i = 0; i < 1000; i++) stats.record(1000, new Date());
    for (let i = 0; i < 1000; i++) stats.record(1, new Date());
    expect(stats.averageMs()).toBe(1);
    expect(stats.requestCount).toBe(2000);
  });
});
