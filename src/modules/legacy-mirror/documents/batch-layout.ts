import type { FeatureFlags } from '../../../common/config/index.js';

/** Which completion fields a mirrored batch gets, fixed when the batch is created. */
export interface BatchLayout {
  /** `completions/{player_lookup}` documents with `completed_count`, `total_predictions_subcoll`. */
  subcollection: boolean;
  /** `completed_players`, `failed_players`, `predictions_by_player` on the batch document. */
  legacy: boolean;
}

/**
 * The layout the flags give batch `batchId` (their unit): the subcollection with
 * ENABLE_SUBCOLLECTION_COMPLETIONS, the legacy fields without it (the platform's original
 * layout) or with DUAL_WRITE_MODE too.
 */
export function layoutFromFlags(flags: FeatureFlags, batchId: string): BatchLayout {
  const subcollection = flags.isEnabled('ENABLE_SUBCOLLECTION_COMPLETIONS', batchId);
  return { subcollection, legacy: !subcollection || flags.isEnabled('DUAL_WRITE_MODE', batchId) };
}
