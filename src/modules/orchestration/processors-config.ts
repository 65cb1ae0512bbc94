/** The expected processors of one phase, as loaded and validated at boot (immutable). */
export interface PhaseProcessors {
  readonly phase: string;
  /** Phase 3 waits for every one of these. */
  readonly required: readonly string[];
  /**
   * Recorded and shown, never waited for: the file's `tracked` and `optional` lists (synonyms),
   * then alias targets listed in neither `required` nor those.
   */
  readonly tracked: readonly string[];
  /** Processors whose `no_data` status counts as done. */
  readonly treatNoDataAsSuccess: readonly string[];
  /** Publisher class name -> configured name. */
  readonly aliases: Readonly<Record<string, string>>;
}

export interface ProcessorsConfig {
  /** The file it was read from (for messages). */
  readonly path: string;
  readonly phases: Readonly<Record<string, PhaseProcessors>>;
}

/** The phase whose completions this module fans in. */
export const PHASE2 = 'phase_2_raw';

export const PROCESSORS_CONFIG = Symbol('PROCESSORS_CONFIG');

/** Every configured name of a phase: required first, then tracked. */
export function configuredNames(phase: PhaseProcessors): string[] {
  return [...phase.required, ...phase.tracked];
}
