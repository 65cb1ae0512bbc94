import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Every timeout lives in src/common/config/timeout.config.ts (TimeoutConfig). This check fails,
 * naming file:line, when another source file under src/ holds a numeric timeout literal:
 *  - `setTimeout(fn, <number>)` / `setInterval(fn, <number>)` (and timers/promises' `setTimeout(<number>)`),
 *    `AbortSignal.timeout(<number>)`;
 *  - an assignment, default or property whose name looks like a duration (a word of the name starts
 *    with timeout|delay|interval|backoff|ttl|deadline|sleep|wait, or its last word is Ms|Seconds|Minutes),
 *    given a numeric literal other than 0 (or a constant expression such as `5 * 60 * 1000`, or
 *    such a literal as a `??` / `||` fallback).
 * Names are split into words (camelCase, snake_case) so `maxItems`, `settled` or `awaitCount` do not count.
 * Exact unit conversions are not timeouts and pass: `DAY_MS = 86_400_000`, `MS_PER_MINUTE = 60_000`.
 * Comments, strings, template literals and regex literals are ignored.
 */

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SRC = join(ROOT, 'src');
const EXEMPT = join('src', 'common', 'config', 'timeout.config.ts');

export interface TimeoutLiteralViolation {
  /** 1-based. */
  readonly line: number;
  readonly rule: string;
  readonly text: string;
}

const DURATION_WORD = /^(timeout|delay|interval|backoff|ttl|deadline|sleep|wait)/;
const DURATION_LAST_WORD = new Set(['ms', 'seconds', 'minutes']);

/** Finds numeric timeout literals in TypeScript source. */
export function findTimeoutLiterals(source: string): TimeoutLiteralViolation[] {
  const code = blankNonCode(source);
  const violations: TimeoutLiteralViolation[] = [];
  const report = (index: number, rule: string) => {
    const line = lineOf(code, index);
    violations.push({ line, rule, text: source.split('\n')[line - 1]!.trim() });
  };

  for (const call of code.matchAll(/\b(setTimeout|setInterval)\s*\(/g)) {
    const args = callArguments(code, call.index + call[0].length);
    const delay = args.length === 1 ? args[0] : args[1];
    if (delay !== undefined && isNonZeroConstant(delay))
      report(call.index, `${call[1]} with a literal delay`);
  }
  for (const call of code.matchAll(/\bAbortSignal\s*\.\s*timeout\s*\(/g)) {
    const [delay] = callArguments(code, call.index + call[0].length);
    if (delay !== undefined && isNonZeroConstant(delay))
      report(call.index, 'AbortSignal.timeout with a literal');
  }

  // name, optional `?`, optional type annotation, then `=` (not `==`/`=>`), a compound `+=`-style, or `:`.
  const assignment =
    /(?<![\w$])([A-Za-z_$][\w$]*)\s*\??\s*(?:(:)\s*(?=[-\d.(])|(?::\s*[\w$.<>[\]| ]+?\s*)?([-+*/]?=)(?![=>]))/g;
  for (const match of code.matchAll(assignment)) {
    const name = match[1]!;
    if (!isDurationName(name)) continue;
    if (match[2] === ':' && !startsProperty(code, match.index)) continue;
    const value = expressionAt(code, match.index + match[0].length);
    const literal = constantOrFallback(value);
    if (literal === undefined || isUnitConversion(name, literal)) continue;
    report(match.index, `${name} given a literal`);
  }
  return violations.sort((a, b) => a.line - b.line);
}

/** Words of an identifier, lower case: `retryDelayMs` -> retry, delay, ms; `DAY_MS` -> day, ms. */
function words(name: string): string[] {
  return (name.match(/[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])/g) ?? []).map((word) => word.toLowerCase());
}

function isDurationName(name: string): boolean {
  const parts = words(name);
  return (
    parts.some((word) => DURATION_WORD.test(word)) || DURATION_LAST_WORD.has(parts.at(-1) ?? '')
  );
}

const UNIT_IN_MS: Record<string, number> = {
  ms: 1,
  second: 1e3,
  seconds: 1e3,
  minute: 6e4,
  minutes: 6e4,
  hour: 36e5,
  hours: 36e5,
  day: 864e5,
  days: 864e5,
  week: 6048e5,
  weeks: 6048e5,
};

/** `DAY_MS = 86_400_000`, `MS_PER_MINUTE = 60_000`, `SECONDS_PER_HOUR = 3600`: one unit in another. */
function isUnitConversion(name: string, literal: string): boolean {
  const units = words(name).filter((word) => !['one', 'per', 'in'].includes(word));
  if (units.length !== 2 || !units.every((unit) => unit in UNIT_IN_MS)) return false;
  const [a, b] = units.map((unit) => UNIT_IN_MS[unit]!) as [number, number];
  return Number(literal.replaceAll('_', '')) === Math.max(a, b) / Math.min(a, b);
}

/** A `:` starts an object property or class member (not a ternary's else, a label or a case). */
function startsProperty(code: string, nameIndex: number): boolean {
  const before = code.slice(0, nameIndex).replace(/\s+$/, '');
  if (before === '' || /[{,(;]$/.test(before)) return true;
  return /\b(readonly|private|public|protected|static|declare)$/.test(before);
}

const NUMBER = String.raw`(?:0[xXoObB][\da-fA-F_]+|\d[\d_]*(?:\.\d[\d_]*)?(?:[eE][+-]?\d+)?|\.\d+)`;
const CONSTANT = new RegExp(
  String.raw`^[-+(\s]*${NUMBER}(?:[\s)]*(?:\*\*|[-+*/%])[\s(]*${NUMBER})*[\s)]*$`,
);

/** A numeric literal or an arithmetic expression of literals only, e.g. `5000`, `5 * 60 * 1000`. */
function isConstant(expression: string): boolean {
  return CONSTANT.test(expression.trim());
}

function isNonZeroConstant(expression: string): boolean {
  return isConstant(expression) && !/^[-+]?0+(\.0*)?$/.test(expression.trim().replaceAll('_', ''));
}

/** The literal a value is made of, or falls back to via `??` / `||`; undefined when there is none. */
function constantOrFallback(value: string): string | undefined {
  const operands = splitTopLevel(value, /^(\?\?|\|\|)/);
  const candidate = operands.length > 1 ? operands.at(-1)! : value;
  return isNonZeroConstant(candidate) ? candidate.trim() : undefined;
}

/** The expression starting at `start`, up to a top-level `,` `;` or closing bracket, or the line end. */
function expressionAt(code: string, start: number): string {
  let depth = 0;
  for (let i = start; i < code.length; i += 1) {
    const c = code[i]!;
    if ('([{'.includes(c)) depth += 1;
    else if (')]}'.includes(c)) {
      if (depth === 0) return code.slice(start, i);
      depth -= 1;
    } else if (depth === 0 && (c === ',' || c === ';' || c === '\n')) return code.slice(start, i);
  }
  return code.slice(start);
}

/** The top-level arguments of a call whose `(` ends just before `start`. */
function callArguments(code: string, start: number): string[] {
  const args: string[] = [];
  let depth = 0;
  let argStart = start;
  for (let i = start; i < code.length; i += 1) {
    const c = code[i]!;
    if ('([{'.includes(c)) depth += 1;
    else if (')]}'.includes(c)) {
      if (depth === 0) {
        const last = code.slice(argStart, i);
        if (last.trim() !== '' || args.length > 0) args.push(last);
        return args;
      }
      depth -= 1;
    } else if (c === ',' && depth === 0) {
      args.push(code.slice(argStart, i));
      argStart = i + 1;
    }
  }
  return args;
}

/** Splits at top-level operators matched by `operator` (anchored regex tried at each position). */
function splitTopLevel(expression: string, operator: RegExp): string[] {
  const parts: string[] = [];
  let depth = 0;
  let partStart = 0;
  for (let i = 0; i < expression.length; i += 1) {
    const c = expression[i]!;
    if ('([{'.includes(c)) depth += 1;
    else if (')]}'.includes(c)) depth -= 1;
    else if (depth === 0) {
      const op = operator.exec(expression.slice(i));
      if (op) {
        parts.push(expression.slice(partStart, i));
        i += op[0].length - 1;
        partStart = i + 1;
      }
    }
  }
  parts.push(expression.slice(partStart));
  return parts;
}

function lineOf(text: string, index: number): number {
  let line = 1;
  for (let i = 0; i < index; i += 1) if (text[i] === '\n') line += 1;
  return line;
}

const KEYWORDS_BEFORE_REGEX = new Set([
  'return',
  'typeof',
  'case',
  'do',
  'else',
  'in',
  'of',
  'new',
  'delete',
  'void',
  'throw',
  'yield',
  'await',
]);

/**
 * The source with comments, string, template and regex literal contents replaced by spaces
 * (newlines kept), so offsets and line numbers still match the source.
 */
function blankNonCode(source: string): string {
  const out: string[] = [];
  const blank = (text: string) => text.replace(/[^\n]/g, ' ');
  let i = 0;
  while (i < source.length) {
    const c = source[i]!;
    const next = source[i + 1];
    let end = -1;
    if (c === '/' && next === '/') {
      end = source.indexOf('\n', i);
      if (end < 0) end = source.length;
    } else if (c === '/' && next === '*') {
      end = source.indexOf('*/', i + 2);
      end = end < 0 ? source.length : end + 2;
    } else if (c === '"' || c === "'") {
      end = endOfQuoted(source, i, c);
    } else if (c === '`') {
      end = endOfTemplate(source, i);
    } else if (c === '/' && regexMayStart(out)) {
      end = endOfRegex(source, i);
    }
    if (end > i) {
      out.push(blank(source.slice(i, end)));
      i = end;
    } else {
      out.push(c);
      i += 1;
    }
  }
  return out.join('');
}

function endOfQuoted(source: string, start: number, quote: string): number {
  for (let i = start + 1; i < source.length; i += 1) {
    if (source[i] === '\\') i += 1;
    else if (source[i] === quote || source[i] === '\n') return i + 1;
  }
  return source.length;
}

function endOfTemplate(source: string, start: number): number {
  for (let i = start + 1; i < source.length; i += 1) {
    if (source[i] === '\\') i += 1;
    else if (source[i] === '`') return i + 1;
    else if (source[i] === '$' && source[i + 1] === '{') {
      let depth = 1;
      i += 2;
      while (i < source.length && depth > 0) {
        if (source[i] === '`') i = endOfTemplate(source, i) - 1;
        else if (source[i] === '{') depth += 1;
        else if (source[i] === '}') depth -= 1;
        i += 1;
      }
      i -= 1;
    }
  }
  return source.length;
}

function endOfRegex(source: string, start: number): number {
  let inClass = false;
  for (let i = start + 1; i < source.length; i += 1) {
    const c = source[i];
    if (c === '\n') return -1; // not a regex after all: leave it as code
    if (c === '\\') i += 1;
    else if (c === '[') inClass = true;
    else if (c === ']') inClass = false;
    else if (c === '/' && !inClass) {
      let end = i + 1;
      while (end < source.length && /[a-z]/i.test(source[end]!)) end += 1;
      return end;
    }
  }
  return -1;
}

/** A `/` starts a regex after an operator, an opening bracket, a keyword, or at the start. */
function regexMayStart(out: readonly string[]): boolean {
  let k = out.length - 1;
  while (k >= 0 && /^\s*$/.test(out[k]!)) k -= 1; // blanked literals are all spaces
  if (k < 0) return true;
  const last = out[k]!.at(-1)!;
  if (!/[\w$]/.test(last)) return !/[)\]}]/.test(last);
  let word = '';
  while (k >= 0 && /^[\w$]$/.test(out[k]!)) word = out[k--]! + word;
  return KEYWORDS_BEFORE_REGEX.has(word);
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    const isTest = entry.name.endsWith('.spec.ts') || entry.name.endsWith('-spec.ts');
    return entry.isFile() && entry.name.endsWith('.ts') && !isTest ? [path] : [];
  });
}

describe('findTimeoutLiterals (the scanner itself)', () => {
  it('catches every kind of timeout literal', () => {
    const sample = [
      'setTimeout(() => resolve(), 5000);', // 1
      'const retryDelayMs = 250;', // 2
      'const client = new Client({ timeout: 30_000 });', // 3
      'setInterval(tick, 60 * 1000);', // 4
      'const signal = AbortSignal.timeout(1000);', // 5
      'const deadlineMs = options.deadlineMs ?? 5000;', // 6
      'function poll(waitMs = 100) {}', // 7
      '  readonly idlePollMs: number = 2_000;', // 8
      "await setTimeout(1500); // from 'node:timers/promises'", // 9
      'this.cacheTtlSeconds = 300;', // 10
      'const { backoff = 2 } = options;', // 11
      'setTimeout(', // 12
      '  () => done(),', // 13
      '  250,', // 14
      ');', // 15
      'const QUERY_TIMEOUT = 1e4;', // 16
    ].join('\n');
    expect(findTimeoutLiterals(sample).map((violation) => violation.line)).toEqual([
      1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 16,
    ]);
  });

  it('passes code that takes its timeouts from TimeoutConfig, and look-alikes', () => {
    const sample = [
      'setTimeout(() => resolve(), this.timeouts.httpRequestMs);',
      'setInterval(tick, timeouts.outboxIdlePollMs, extraArg);',
      'const delayMs = backoffMs(attempt, this.timeouts);',
      'let sleepMs = 0;',
      'const timer = setTimeout(fire, Math.max(0, dueAtMs - nowMs));',
      '// setTimeout(fn, 1000) in a comment',
      '/* const timeoutMs = 5; */',
      "const text = 'timeoutMs = 5; setTimeout(f, 10)';",
      'const message = `retry in ${delayMs} ms, timeout: 30`;',
      'const maxItems = 100;',
      'const settled = 1;',
      'const awaitCount = 3;',
      'if (delayMs === 5) return;',
      'const DAY_MS = 86_400_000;',
      'const MS_PER_MINUTE = 60_000;',
      'interface Timing { idlePollMs: number; backoffMs(attempt: number): number }',
      'const chosen = fast ? delayMs : 2500;',
      'const pattern = /timeoutMs = 5/;',
      'const ratio = total / 2; const ttlSeconds = flags.number("QUERY_CACHE_TTL_SECONDS");',
      'const waitMs = 2 * this.timeouts.retryBackoffBaseMs;',
    ].join('\n');
    expect(findTimeoutLiterals(sample)).toEqual([]);
  });
});

describe('no timeout literals in src/', () => {
  it(`keeps every timeout in ${EXEMPT}`, () => {
    const files = sourceFiles(SRC).filter((path) => relative(ROOT, path) !== EXEMPT);
    expect(files.length).toBeGreaterThan(0);
    const found = files.flatMap((path) =>
      findTimeoutLiterals(readFileSync(path, 'utf8')).map(
        (violation) =>
          `${relative(ROOT, path).split(sep).join('/')}:${violation.line}: ${violation.rule}: ${violation.text}`,
      ),
    );
    if (found.length > 0) {
      throw new Error(
        `timeout literals found; add the timeout to TimeoutConfig (${EXEMPT}) and inject it:\n  ${found.join('\n  ')}`,
      );
    }
  });
});
