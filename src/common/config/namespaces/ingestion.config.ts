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
  phase5Topic: envVar({
    name: 'PHASE5_TOPIC',
    schema: tokenText(255),
    expected: 'a topic name without spaces',
    default: 'nba-phase5-predictions-complete',
    description: 'Topic of the phase-5 message published when a prediction batch completes.',
  }),
};

export type IngestionConfig = EnvValues<typeof INGESTION_VARS>;
