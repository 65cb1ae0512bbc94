import { envVar, type EnvValues } from '../env-var.js';
import { integerText, tokenText } from '../env-schemas.js';

/** Pub/Sub push ingestion and the topics Shotclock publishes to. */
export const INGESTION_VARS = {
  pushMaxDeliveryAttempts: envVar({
    name: 'PUSH_MAX_DELIVERY_ATTEMPTS',
    schema: integerText(1, 1000),
    expected: 'an integer from 1 to 1000',
    default: 5,
    description:
      'A message whose handler keeps failing is quarantined (reason handler_error) at this delivery attempt instead of answering 500 again, so one poison message cannot stall the subscription.',
  }),
  quarantineMaxBytes: envVar({
    name: 'QUARANTINE_MAX_BYTES',
    schema: integerText(0),
    expected: 'a whole number of bytes, 0 or more',
    default: 268_435_456,
    defaultText: '268435456 (256 MiB)',
    description:
      'Total size of the raw bodies the quarantine holds (quarantined messages and conflict records); past it the oldest bodies are evicted, leaving their metadata, size and sha256.',
  }),
  phase5Topic: envVar({
    name: 'PHASE5_TOPIC',
    schema: tokenText(255),
    expected: 'a topic name without spaces',
    default: 'nba-phase5-predictions-complete',
    description: 'Topic of the phase-5 message published when a prediction batch completes.',
  }),
};

export type IngestionConfig = EnvValues<typeof INGESTION_VARS>;
