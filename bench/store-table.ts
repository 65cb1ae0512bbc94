import { medianRate } from './rounds.js';
import type { Measurement } from './timing.js';
import { CONCURRENT_CALLERS } from './workloads.js';

export type Suite = Record<'single' | 'batch' | 'read' | 'project', Measurement>;
export type SuiteWithoutSingle = Omit<Suite, 'single'>;
/** Ours only: the raw driver has no concurrent callers; its single appends are the baseline. */
export type OurSuite = Suite & { concurrent: Measurement };

export const formatRate = (n: number) => Math.round(n).toLocaleString('en-US');

/** One markdown table row per workload: median rate of each side over the rounds, and their ratio. */
export function printRatioTable(
  header: readonly [string, string, string],
  rows: ReadonlyArray<[name: string, ours: Measurement[], theirs: Measurement[]]>,
): void {
  console.log(`| ${header.join(' | ')} | ratio |`);
  console.log('|---|---:|---:|---:|');
  for (const [name, ours, theirs] of rows) {
    const shotclock = medianRate(ours);
    const baseline = medianRate(theirs);
    console.log(
      `| ${name} | ${formatRate(shotclock)} | ${formatRate(baseline)} | ${(shotclock / baseline).toFixed(2)} |`,
    );
  }
}

/** The store suite's table: Shotclock through the port beside the bare driver doing the same work. */
export function printStoreTable(
  title: string,
  baselineName: string,
  batchSize: number,
  ours: readonly OurSuite[],
  raw: readonly Suite[],
  /** How concurrent appends are committed, e.g. ' (group commit)'. */
  concurrencyNote = '',
): void {
  const pick = <K extends keyof OurSuite>(suites: readonly OurSuite[], key: K) =>
    suites.map((suite) => suite[key]);
  const rawOf = (key: keyof Suite) => raw.map((suite) => suite[key]);
  printRatioTable(
    [title, 'Shotclock', baselineName],
    [
      [
        'append, 1 event/transaction, with idempotency key (appends/s)',
        pick(ours, 'single'),
        rawOf('single'),
      ],
      [
        `append, 1 event each, ${CONCURRENT_CALLERS} concurrent callers${concurrencyNote}, with idempotency key (appends/s; raw: 1 event/transaction)`,
        pick(ours, 'concurrent'),
        rawOf('single'),
      ],
      [
        `append, batches of ${batchSize} with idempotency key (events/s)`,
        pick(ours, 'batch'),
        rawOf('batch'),
      ],
      ['full-log read (events/s)', pick(ours, 'read'), rawOf('read')],
      ['projection catch-up (events/s)', pick(ours, 'project'), rawOf('project')],
    ],
  );
}
