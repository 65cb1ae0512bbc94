// Public entry of the dedup module: what other modules may import.
export { DedupModule } from './dedup.module.js';
export { PushIngestionService } from './push/push-ingestion.service.js';
export {
  QuarantineService,
  type ParkResolver,
  type ReplayResult,
} from './quarantine/quarantine.service.js';
export {
  QUARANTINE_EVENTS,
  QUARANTINE_STREAM_PREFIX,
  quarantineStream,
  type MessageQuarantined,
  type PushConflictRecorded,
  type QuarantineEvent,
  type QuarantineReason,
  type QuarantineReplayed,
  type ReplayOutcome,
} from './quarantine/quarantine.events.js';
