export interface Measurement {
  operations: number;
  seconds: number;
}

export async function measure(
  operations: number,
  work: () => Promise<void> | void,
): Promise<Measurement> {
  const started = process.hrtime.bigint();
  await work();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { operations, seconds };
}

export function rate(m: Measurement): number {
  return m.operations / m.seconds;
}
