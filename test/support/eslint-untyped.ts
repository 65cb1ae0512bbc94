import type { Linter } from 'eslint';

/**
 * Lints text as a file that does not exist (a rule's test sample) with the repository's config:
 * the type-aware rules need the file on disk in the TypeScript project, so they and the project
 * service are turned off; every other rule applies as configured.
 */
export const WITHOUT_TYPE_INFORMATION: Linter.Config = {
  languageOptions: { parserOptions: { projectService: false } },
  rules: {
    '@typescript-eslint/no-floating-promises': 'off',
    '@typescript-eslint/no-misused-promises': 'off',
    '@typescript-eslint/await-thenable': 'off',
  },
};
