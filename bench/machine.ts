import { cpus, totalmem, platform, release } from 'node:os';
import { DatabaseSync } from 'node:sqlite';

/** What the numbers were measured on. */
export function describeMachine(): Record<string, string> {
  const cpu = cpus();
  const sqlite = new DatabaseSync(':memory:').prepare('SELECT sqlite_version() AS v').get();
  return {
    cpu: `${cpu[0]?.model ?? 'unknown'} x ${cpu.length}`,
    memory: `${(totalmem() / 2 ** 30).toFixed(1)} GiB`,
    os: `${platform()} ${release()}`,
    node: process.version,
    sqlite: String(sqlite?.v),
    date: new Date().toISOString(),
  };
}
