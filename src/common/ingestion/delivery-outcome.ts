/**
 * What the ingestion pipeline did with one delivery, whichever transport brought it: push answers
 * it with an HTTP status, pull acks or nacks by it.
 */
export type DeliveryOutcomeKind =
  | 'processed'
  | 'duplicate'
  | 'quarantined'
  | 'conflict'
  | 'not_envelope'
  | 'unavailable'
  | 'failed';
