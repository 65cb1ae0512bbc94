import type { SceneReport } from './scene.js';

/** The readable end-of-day summary: each scene's lines, then every check with its result. */
export function formatSummary(gameDate: string, reports: readonly SceneReport[]): string {
  const out = [`=== Shotclock simulated day ${gameDate} ===`];
  for (const report of reports) {
    out.push('', `## ${report.title}`, ...report.lines.map((line) => `  ${line}`));
  }
  const checks = reports.flatMap((report) => report.checks);
  const failed = checks.filter((c) => !c.ok);
  out.push('', `## Checks: ${checks.length - failed.length}/${checks.length} passed`);
  for (const c of checks)
    out.push(`  [${c.ok ? 'ok' : 'FAILED'}] ${c.what}${c.ok ? '' : ` (${c.detail})`}`);
  return out.join('\n');
}
