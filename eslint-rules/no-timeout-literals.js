/**
 * Every timeout lives in src/common/config/timeout.config.ts (TimeoutConfig). This rule reports a
 * numeric timeout literal anywhere else it is applied (eslint.config.js: src/, except that file
 * and the specs):
 *  - `setTimeout(fn, <number>)` / `setInterval(fn, <number>)` (also as a member, e.g.
 *    `globalThis.setTimeout`, and timers/promises' one-argument `setTimeout(<number>)`),
 *    `AbortSignal.timeout(<number>)`;
 *  - a variable, assignment, default value, object property, class field or enum member whose
 *    name looks like a duration (a word of the name starts with
 *    timeout|delay|interval|backoff|ttl|deadline|sleep|wait, or its last word is Ms|Seconds|Minutes)
 *    given a non-zero numeric constant: a literal or arithmetic of literals (`5 * 60 * 1000`),
 *    directly or as the right side of `??` / `||`.
 * Names are split into words (camelCase, snake_case), so `maxItems`, `settled` or `awaitCount` do
 * not count. Exact unit conversions are not timeouts and pass: `DAY_MS = 86_400_000`,
 * `MS_PER_MINUTE = 60_000`, `SECONDS_PER_HOUR = 3600`. Comments, strings, template literals and
 * regex literals are never code, so they never count.
 */

const DURATION_WORD = /^(timeout|delay|interval|backoff|ttl|deadline|sleep|wait)/;
const DURATION_LAST_WORD = new Set(['ms', 'seconds', 'minutes']);
const TIMER_CALLS = new Set(['setTimeout', 'setInterval']);
const ARITHMETIC = new Set(['+', '-', '*', '/', '%', '**']);
const TYPE_WRAPPERS = new Set([
  'TSAsExpression',
  'TSSatisfiesExpression',
  'TSNonNullExpression',
  'TSTypeAssertion',
]);

const UNIT_IN_MS = {
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

/** Words of an identifier, lower case: `retryDelayMs` -> retry, delay, ms; `DAY_MS` -> day, ms. */
function words(name) {
  return (name.match(/[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])/g) ?? []).map((word) => word.toLowerCase());
}

function isDurationName(name) {
  const parts = words(name);
  return (
    parts.some((word) => DURATION_WORD.test(word)) || DURATION_LAST_WORD.has(parts.at(-1) ?? '')
  );
}

/** `DAY_MS = 86_400_000`, `MS_PER_MINUTE = 60_000`, `SECONDS_PER_HOUR = 3600`: one unit in another. */
function isUnitConversion(name, value) {
  const units = words(name).filter((word) => !['one', 'per', 'in'].includes(word));
  if (units.length !== 2 || !units.every((unit) => Object.hasOwn(UNIT_IN_MS, unit))) return false;
  const [a, b] = units.map((unit) => UNIT_IN_MS[unit]);
  return value === Math.max(a, b) / Math.min(a, b);
}

/** The value of a numeric literal or of arithmetic on numeric literals only; undefined otherwise. */
function constantValue(node) {
  if (!node) return undefined;
  if (TYPE_WRAPPERS.has(node.type)) return constantValue(node.expression);
  if (node.type === 'Literal') return typeof node.value === 'number' ? node.value : undefined;
  if (node.type === 'UnaryExpression' && (node.operator === '-' || node.operator === '+')) {
    const operand = constantValue(node.argument);
    if (operand === undefined) return undefined;
    return node.operator === '-' ? -operand : operand;
  }
  if (node.type === 'BinaryExpression' && ARITHMETIC.has(node.operator)) {
    const left = constantValue(node.left);
    const right = constantValue(node.right);
    if (left === undefined || right === undefined) return undefined;
    switch (node.operator) {
      case '+':
        return left + right;
      case '-':
        return left - right;
      case '*':
        return left * right;
      case '/':
        return left / right;
      case '%':
        return left % right;
      default:
        return left ** right;
    }
  }
  return undefined;
}

function isNonZeroConstant(node) {
  const value = constantValue(node);
  return value !== undefined && value !== 0;
}

/** The constant a value is, or falls back to via `??` / `||`; undefined when there is none. */
function constantOrFallback(node) {
  if (!node) return undefined;
  const candidate =
    node.type === 'LogicalExpression' && (node.operator === '??' || node.operator === '||')
      ? node.right
      : node;
  return isNonZeroConstant(candidate) ? constantValue(candidate) : undefined;
}

/** The name a key or assignment target gives its value: `a`, `this.a`, `{ a: ... }`, `'a'`. */
function nameOf(node) {
  if (!node) return undefined;
  if (node.type === 'Identifier') return node.name;
  if (node.type === 'Literal' && typeof node.value === 'string') return node.value;
  if (node.type === 'MemberExpression' && !node.computed) return nameOf(node.property);
  return undefined;
}

function calleeName(callee) {
  if (callee.type === 'Identifier') return callee.name;
  if (callee.type === 'MemberExpression' && !callee.computed) return nameOf(callee.property);
  return undefined;
}

const TIMEOUT_CONFIG = 'src/common/config/timeout.config.ts';

/** @type {import('eslint').Rule.RuleModule} */
export default {
  meta: {
    type: 'problem',
    docs: {
      description: `Keep every timeout in ${TIMEOUT_CONFIG} (TimeoutConfig), not as a literal`,
    },
    schema: [],
    messages: {
      timerLiteral: `{{call}} with a literal delay ({{value}} ms): add the timeout to TimeoutConfig (${TIMEOUT_CONFIG}) and inject it.`,
      abortSignalLiteral: `AbortSignal.timeout with a literal ({{value}} ms): add the timeout to TimeoutConfig (${TIMEOUT_CONFIG}) and inject it.`,
      durationLiteral: `{{name}} given a literal ({{value}}): add the timeout to TimeoutConfig (${TIMEOUT_CONFIG}) and inject it.`,
    },
  },
  create(context) {
    const checkNamed = (name, value, node) => {
      if (name === undefined || !isDurationName(name)) return;
      const literal = constantOrFallback(value);
      if (literal === undefined || isUnitConversion(name, literal)) return;
      context.report({
        node,
        messageId: 'durationLiteral',
        data: { name, value: String(literal) },
      });
    };
    return {
      CallExpression(node) {
        const callee = node.callee;
        const name = calleeName(callee);
        if (name !== undefined && TIMER_CALLS.has(name)) {
          const delay = node.arguments.length === 1 ? node.arguments[0] : node.arguments[1];
          if (isNonZeroConstant(delay)) {
            const value = String(constantValue(delay));
            context.report({ node, messageId: 'timerLiteral', data: { call: name, value } });
          }
          return;
        }
        const isAbortTimeout =
          callee.type === 'MemberExpression' &&
          nameOf(callee.object) === 'AbortSignal' &&
          nameOf(callee) === 'timeout';
        if (isAbortTimeout && isNonZeroConstant(node.arguments[0])) {
          const value = String(constantValue(node.arguments[0]));
          context.report({ node, messageId: 'abortSignalLiteral', data: { value } });
        }
      },
      VariableDeclarator(node) {
        checkNamed(nameOf(node.id), node.init, node);
      },
      AssignmentExpression(node) {
        checkNamed(nameOf(node.left), node.right, node);
      },
      AssignmentPattern(node) {
        checkNamed(nameOf(node.left), node.right, node);
      },
      Property(node) {
        // `{ a = 5 }` in a pattern is an AssignmentPattern, checked above.
        if (node.computed || node.value.type === 'AssignmentPattern') return;
        checkNamed(nameOf(node.key), node.value, node);
      },
      PropertyDefinition(node) {
        if (!node.computed) checkNamed(nameOf(node.key), node.value, node);
      },
      TSEnumMember(node) {
        checkNamed(nameOf(node.id), node.initializer, node);
      },
    };
  },
};
