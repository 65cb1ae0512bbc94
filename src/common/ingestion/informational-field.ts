import { z } from 'zod';

/**
 * An informational field of a message whose null, empty or blank value means "not given": real
 * publishers and operators send `""` for a value they do not have (`correlation_id: ""`,
 * `worker_instance: ""`), and that must neither quarantine a message nor be stored as if it said
 * something. Identifying fields (batch_id, player_lookup, processor_name) are never wrapped, so
 * `""` stays a schema violation there. `schema` decides what absent becomes (optional, nullish,
 * a default).
 */
export const informational = <T extends z.ZodType>(schema: T) =>
  z.preprocess(
    (value) =>
      value === null || (typeof value === 'string' && value.trim() === '') ? undefined : value,
    schema,
  );
