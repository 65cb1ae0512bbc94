import type { Holds, SameEventTypes, TypedEvent } from '../../common/event-store/index.js';
import type { LegacyMirrorReport } from '../batches/index.js';

/**
 * Events of the legacy mirror. One stream per checked batch, `legacy-mirror-<batch_id>`:
 * LegacyMirrorChecked (each consistency check of its mirrored documents).
 */
export const LEGACY_MIRROR_EVENTS = {
  checked: 'LegacyMirrorChecked',
} as const;

export const legacyMirrorStream = (batchId: string) => `legacy-mirror-${batchId}`;

export interface LegacyMirrorChecked extends LegacyMirrorReport {
  batch_id: string;
}

export type LegacyMirrorEvent = TypedEvent<
  typeof LEGACY_MIRROR_EVENTS.checked,
  LegacyMirrorChecked
>;

type _EveryLegacyMirrorEvent = Holds<
  SameEventTypes<LegacyMirrorEvent, typeof LEGACY_MIRROR_EVENTS>
>;
