import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

/** `npm run simulate` against a real server (the simulator starts the service as a child process). */
describe('npm run simulate (a day in the life, real server over HTTP)', () => {
  it('runs the day and every check of its summary passes', async () => {
    const { stdout } = await promisify(execFile)(
      'npm',
      ['run', '--silent', 'simulate', '--', '--date', '2026-01-22'],
      { maxBuffer: 16 * 2 ** 20, timeout: 240_000 },
    ).catch((error: { stdout?: string; stderr?: string; message: string }) => {
      throw new Error(`simulate failed: ${error.message}\n${error.stdout}\n${error.stderr}`);
    });
    expect(stdout).toContain('=== Shotclock simulated day 2026-01-22 ===');
    expect(stdout).toContain('status triggered, reason deadline_exceeded, partial true');
    expect(stdout).toContain('missing: p2_nbacom_gamebook_pdf');
    expect(stdout).toMatch(/status complete, reason stalled: 448\/450 players/);
    // 3 attempts, or 2 when the scheduled morning run (due at some real hours) took one failure.
    expect(stdout).toMatch(/flaky scraper bdl_active_players: success after [23] attempts/);
    const checks = /## Checks: (\d+)\/(\d+) passed/.exec(stdout);
    expect(checks).not.toBeNull();
    expect(checks![1]).toBe(checks![2]);
    expect(Number(checks![2])).toBeGreaterThanOrEqual(15);
  }, 300_000);
});
