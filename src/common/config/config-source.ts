/** A process environment, or anything shaped like one (tests pass plain objects). */
export type EnvRecord = Readonly<Record<string, string | undefined>>;

/** Where a value came from: built in, the real environment, or the file named by SHOTCLOCK_ENV_FILE. */
export type ValueSource = 'default' | 'env' | 'file';

/** A value that was set somewhere (never `default`). */
export interface RawValue {
  /** Exactly as given, for error lines. */
  readonly raw: string;
  /** Trimmed, for parsing. */
  readonly text: string;
  readonly source: Exclude<ValueSource, 'default'>;
}

/**
 * The variables a config is read from: the real environment over the env file's values
 * (the environment wins). An empty or blank value counts as unset.
 */
export class ConfigSource {
  constructor(
    private readonly env: EnvRecord,
    private readonly fileValues: ReadonlyMap<string, string> = new Map(),
  ) {}

  /** Accepts either a ready source or a bare environment (with no env file). */
  static from(input: EnvRecord | ConfigSource): ConfigSource {
    return input instanceof ConfigSource ? input : new ConfigSource(input);
  }

  get(name: string): RawValue | undefined {
    const fromEnv = this.env[name];
    if (fromEnv !== undefined && fromEnv.trim() !== '') {
      return { raw: fromEnv, text: fromEnv.trim(), source: 'env' };
    }
    const fromFile = this.fileValues.get(name);
    if (fromFile !== undefined && fromFile.trim() !== '') {
      return { raw: fromFile, text: fromFile.trim(), source: 'file' };
    }
    return undefined;
  }
}
