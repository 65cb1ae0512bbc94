import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WITHOUT_TYPE_INFORMATION } from '../support/eslint-untyped.js';
import { ESLint, RuleTester } from 'eslint';
import tseslint from 'typescript-eslint';
import rule from '../../eslint-rules/no-timeout-literals.js';

/** The lint rule that keeps every timeout in TimeoutConfig (eslint.config.js applies it to src/). */
const tester = new RuleTester({
  languageOptions: { parser: tseslint.parser, ecmaVersion: 2023, sourceType: 'module' },
});

const duration = (name: string, value: string) => ({
  messageId: 'durationLiteral',
  data: { name, value },
});

tester.run('shotclock/no-timeout-literals', rule, {
  valid: [
    'setTimeout(() => resolve(), this.timeouts.httpRequestMs);',
    'setInterval(tick, timeouts.outboxIdlePollMs, extraArg);',
    'const delayMs = backoffMs(attempt, this.timeouts);',
    'let sleepMs = 0;',
    'const timer = setTimeout(fire, Math.max(0, dueAtMs - nowMs));',
    'setTimeout(fn, 0);',
    '// setTimeout(fn, 1000) in a comment',
    '/* const timeoutMs = 5; */',
    "const text = 'timeoutMs = 5; setTimeout(f, 10)';",
    'const message = `retry in ${delayMs} ms, timeout: 30`;',
    'const maxItems = 100;',
    'const settled = 1;',
    'const awaitCount = 3;',
    'if (delayMs === 5) {}',
    'const DAY_MS = 86_400_000;',
    'const MS_PER_MINUTE = 60_000;',
    'const SECONDS_PER_HOUR = 3600;',
    'interface Timing { idlePollMs: number; backoffMs(attempt: number): number }',
    'const chosen = fast ? delayMs : 2500;',
    'const pattern = /timeoutMs = 5/;',
    'const ratio = total / 2; const ttlSeconds = flags.number("QUERY_CACHE_TTL_SECONDS");',
    'const waitMs = 2 * this.timeouts.retryBackoffBaseMs;',
    'const { timeoutMs } = options;',
    'const minuteCount = 5;',
  ],
  invalid: [
    {
      code: 'setTimeout(() => resolve(), 5000);',
      errors: [{ messageId: 'timerLiteral', data: { call: 'setTimeout', value: '5000' } }],
    },
    { code: 'const retryDelayMs = 250;', errors: [duration('retryDelayMs', '250')] },
    {
      code: 'const client = new Client({ timeout: 30_000 });',
      errors: [duration('timeout', '30000')],
    },
    {
      code: 'setInterval(tick, 60 * 1000);',
      errors: [{ messageId: 'timerLiteral', data: { call: 'setInterval', value: '60000' } }],
    },
    {
      code: 'const signal = AbortSignal.timeout(1000);',
      errors: [{ messageId: 'abortSignalLiteral', data: { value: '1000' } }],
    },
    {
      code: 'const deadlineMs = options.deadlineMs ?? 5000;',
      errors: [duration('deadlineMs', '5000')],
    },
    { code: 'const intervalMs = configured || 250;', errors: [duration('intervalMs', '250')] },
    { code: 'function poll(waitMs = 100) {}', errors: [duration('waitMs', '100')] },
    {
      code: 'class Poller { readonly idlePollMs: number = 2_000; }',
      errors: [duration('idlePollMs', '2000')],
    },
    {
      code: "await setTimeout(1500); // from 'node:timers/promises'",
      errors: [{ messageId: 'timerLiteral', data: { call: 'setTimeout', value: '1500' } }],
    },
    { code: 'this.cacheTtlSeconds = 300;', errors: [duration('cacheTtlSeconds', '300')] },
    { code: 'const { backoff = 2 } = options;', errors: [duration('backoff', '2')] },
    {
      code: 'setTimeout(\n  () => done(),\n  250,\n);',
      errors: [{ messageId: 'timerLiteral', line: 1 }],
    },
    { code: 'const QUERY_TIMEOUT = 1e4;', errors: [duration('QUERY_TIMEOUT', '10000')] },
    { code: 'const drain_timeout_ms = -(5 * 60);', errors: [duration('drain_timeout_ms', '-300')] },
    {
      code: 'globalThis.setTimeout(fire, 100);',
      errors: [{ messageId: 'timerLiteral', data: { call: 'setTimeout', value: '100' } }],
    },
    { code: 'enum Waits { RetryDelay = 500 }', errors: [duration('RetryDelay', '500')] },
    { code: 'const HOUR_MS = 3_600_001;', errors: [duration('HOUR_MS', '3600001')] },
    { code: 'const fallbackMs = 5000 as number;', errors: [duration('fallbackMs', '5000')] },
  ],
});

describe('eslint.config.js', () => {
  const ROOT = fileURLToPath(new URL('../../', import.meta.url));
  const SAMPLE = 'export const retryDelayMs = 250;\n';
  const rulesHit = async (path: string) => {
    const [result] = await new ESLint({
      cwd: ROOT,
      overrideConfig: WITHOUT_TYPE_INFORMATION,
    }).lintText(SAMPLE, {
      filePath: join(ROOT, path),
    });
    return result!.messages.map((message) => message.ruleId);
  };

  it('applies the rule to src/, except TimeoutConfig itself and specs', async () => {
    expect(await rulesHit('src/modules/example/example.service.ts')).toEqual([
      'shotclock/no-timeout-literals',
    ]);
    expect(await rulesHit('src/common/config/timeout.config.ts')).toEqual([]);
    expect(await rulesHit('src/modules/example/example.service.spec.ts')).toEqual([]);
  });
});
