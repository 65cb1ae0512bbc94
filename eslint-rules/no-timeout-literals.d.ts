import type { Rule } from 'eslint';

/** Types for the plain-JavaScript rule (loaded as is by eslint.config.js), for its spec. */
declare const rule: Rule.RuleModule;
export default rule;
