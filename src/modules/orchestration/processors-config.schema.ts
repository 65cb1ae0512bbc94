import { z } from 'zod';

/** Configured processor names: snake_case, as the tables they write. */
export const processorNameSchema = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,127}$/, 'a snake_case processor name (a-z, 0-9, _)');

/** `- name` or `- {name, treat_no_data_as_success}`. */
const processorEntrySchema = z.union([
  processorNameSchema,
  z.strictObject({
    name: processorNameSchema,
    treat_no_data_as_success: z.boolean().default(false),
  }),
]);

const phaseSchema = z.strictObject({
  required: z.array(processorEntrySchema).min(1, 'at least one required processor'),
  /** Recorded and shown, never waited for. */
  tracked: z.array(processorEntrySchema).default([]),
  /** The older name of `tracked` (same meaning; both lists are read). */
  optional: z.array(processorEntrySchema).default([]),
  /** Publisher class name -> configured name (a target listed nowhere else is tracked). */
  aliases: z.record(z.string().min(1), processorNameSchema).default({}),
});

/** The YAML file as written (config/processors.yaml). */
export const processorsFileSchema = z.strictObject({
  phases: z.record(
    z.string().regex(/^[a-z][a-z0-9_]*$/, 'a phase name such as phase_2_raw'),
    phaseSchema,
  ),
});

export type ProcessorsFile = z.infer<typeof processorsFileSchema>;
export type ProcessorEntry = z.infer<typeof processorEntrySchema>;
