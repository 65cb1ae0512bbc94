// Types of config-reference.renderer.mjs, for the TypeScript spec that renders the page from src/.
import type { EnvFile } from '../../src/common/config/env-file.js';
import type { ConfigIssue } from '../../src/common/config/index.js';

export interface ConfigModule {
  readonly NAMESPACE_VARS: readonly { readonly name: string }[];
  readonly FEATURE_FLAG_DEFINITIONS: Readonly<Record<string, unknown>>;
  readonly PRODUCTION_TIMEOUTS_MS: Readonly<Record<string, number>>;
  readonly TIMEOUT_NAMES: readonly string[];
  readonly ENV_FILE_VARIABLE: string;
  timeoutEnvName(name: never): string;
  knownVariableNames(): ReadonlySet<string>;
}

export interface ConfigurationInput {
  readonly knownNames: ReadonlySet<string>;
}

export function collectConfiguration(sources: {
  config: ConfigModule;
  loadNamespace: (name: string) => Promise<Record<string, unknown>>;
  readEnvFile: (path: string) => { file: EnvFile; issues: ConfigIssue[] };
}): Promise<ConfigurationInput>;

export function renderConfiguration(input: ConfigurationInput): Record<string, string>;
