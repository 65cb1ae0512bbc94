import { configuredNames, type PhaseProcessors } from './processors-config.js';

/** Which rule matched a reported name to a configured one, in the order they are tried. */
export type MatchRule = 'exact' | 'output_table' | 'alias' | 'normalized';

export interface ProcessorMatch {
  processor: string;
  rule: MatchRule;
}

export interface ReportedProcessor {
  processor_name: string;
  output_table?: string | null | undefined;
}

/**
 * Matches a reported processor to a configured name: the exact name, then `output_table` without
 * its dataset (or project.dataset) prefix, then the alias map, then the class name without its
 * `Processor` suffix in snake_case. Null when nothing matches (an unexpected processor).
 */
export function matchProcessor(
  phase: PhaseProcessors,
  reported: ReportedProcessor,
): ProcessorMatch | null {
  const configured = new Set(configuredNames(phase));
  const name = reported.processor_name;
  if (configured.has(name)) return { processor: name, rule: 'exact' };
  const table = reported.output_table ? tableName(reported.output_table) : '';
  if (configured.has(table)) return { processor: table, rule: 'output_table' };
  const alias = Object.hasOwn(phase.aliases, name) ? phase.aliases[name] : undefined;
  if (alias !== undefined && configured.has(alias)) return { processor: alias, rule: 'alias' };
  const normalized = normalizeClassName(name);
  if (configured.has(normalized)) return { processor: normalized, rule: 'normalized' };
  return null;
}

/** `nba_raw.bdl_player_boxscores` -> `bdl_player_boxscores` (also `project.dataset.table`). */
export function tableName(outputTable: string): string {
  return outputTable.slice(outputTable.lastIndexOf('.') + 1).trim();
}

/** `BdlPlayerBoxscoresProcessor` -> `bdl_player_boxscores`; `NBACScheduleProcessor` -> `nbac_schedule`. */
export function normalizeClassName(className: string): string {
  return className
    .replace(/Processor$/, '')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase();
}
