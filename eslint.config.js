// Flat ESLint config: @eslint/js + typescript-eslint recommended (syntactic), plus three type-aware
// promise rules on the TypeScript sources (the only rules that need the type checker).
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';
import noTimeoutLiterals from './eslint-rules/no-timeout-literals.js';
import { moduleBoundaries } from './eslint-module-boundaries.js';

// Node.js globals for plain .js/.mjs files (the `globals` package is not a dependency).
const nodeGlobals = Object.fromEntries(
  [
    'AbortController',
    'AbortSignal',
    'Buffer',
    'URL',
    'URLSearchParams',
    'clearImmediate',
    'clearInterval',
    'clearTimeout',
    'console',
    'fetch',
    'globalThis',
    'performance',
    'process',
    'queueMicrotask',
    'setImmediate',
    'setInterval',
    'setTimeout',
    'structuredClone',
  ].map((name) => [name, 'readonly']),
);

export default defineConfig(
  {
    ignores: [
      '**/dist/',
      '**/.build/',
      '**/.bench-dist/',
      '**/node_modules/',
      '**/coverage/',
      '**/data/',
      '**/.cache/',
    ],
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
      globals: nodeGlobals,
    },
    linterOptions: {
      reportUnusedDisableDirectives: 'error',
    },
    rules: {
      // Code that really needs `any` carries `// eslint-disable-next-line ... -- <reason>`.
      '@typescript-eslint/no-explicit-any': 'error',
      'no-empty': ['error', { allowEmptyCatch: false }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
        },
      ],
      // NestJS modules are empty decorated classes.
      '@typescript-eslint/no-extraneous-class': 'off',
    },
  },
  {
    // Every timeout lives in TimeoutConfig (see the rule's header for what counts).
    files: ['src/**/*.ts'],
    ignores: ['src/common/config/timeout.config.ts', '**/*.spec.ts'],
    plugins: { shotclock: { rules: { 'no-timeout-literals': noTimeoutLiterals } } },
    rules: { 'shotclock/no-timeout-literals': 'error' },
  },
  {
    // A promise nobody awaits or handles loses its rejection; one handed to a callback that
    // ignores the result (Express, Nest, timers, event emitters) too; `await` of a non-promise
    // hides a missing call.
    files: ['{src,test,bench,simulate}/**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
    },
  },
  // Modules are used through their public entries; src/common never imports src/modules.
  ...moduleBoundaries,
  {
    // The operator console: browser ES modules served as they are (console/app/*.js).
    files: ['console/**/*.js'],
    languageOptions: {
      globals: Object.fromEntries(
        ['window', 'document', 'location', 'history', 'sessionStorage', 'fetch', 'console']
          .concat(['setInterval', 'clearInterval', 'URL', 'Event', 'KeyboardEvent'])
          .concat(['HTMLDivElement'])
          .map((name) => [name, 'readonly']),
      ),
    },
  },
  {
    // Plain CommonJS that must run on old Node (scripts/check-node.cjs).
    files: ['**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { require: 'readonly', module: 'writable', __dirname: 'readonly' },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
