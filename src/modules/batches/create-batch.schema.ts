import { z } from 'zod';
import { batchIdSchema, expectedPlayerSchema, gameDateSchema } from './batch-identifiers.js';

/** Duplicates reported per request; a list with thousands of them needs no more to be fixed. */
const MAX_DUPLICATES_REPORTED = 10;

/** Body of `POST /v1/batches`. */
export const createBatchSchema = z
  .strictObject({
    batch_id: batchIdSchema.optional(),
    game_date: gameDateSchema,
    expected_players: z.array(expectedPlayerSchema).min(1).optional(),
    expected_count: z.int().min(1).max(100_000_000).optional(),
    correlation_id: z.string().min(1).max(200).optional(),
    force: z.boolean().default(false),
    min_completion_pct: z.number().gt(0).max(100).default(95),
  })
  .superRefine((body, ctx) => {
    const hasList = body.expected_players !== undefined;
    const hasCount = body.expected_count !== undefined;
    if (hasList && hasCount) {
      ctx.addIssue({
        code: 'custom',
        path: ['expected_count'],
        message: 'give either expected_players or expected_count, not both',
      });
    } else if (!hasList && !hasCount) {
      ctx.addIssue({
        code: 'custom',
        path: ['expected_players'],
        message: 'required: the list of expected player ids (or give expected_count instead)',
      });
    }
    if (hasList) reportDuplicates(body.expected_players!, ctx);
  });

export type CreateBatchBody = z.infer<typeof createBatchSchema>;

function reportDuplicates(players: readonly string[], ctx: z.RefinementCtx): void {
  const seen = new Set<string>();
  let reported = 0;
  for (const [index, player] of players.entries()) {
    if (!seen.has(player)) {
      seen.add(player);
      continue;
    }
    ctx.addIssue({
      code: 'custom',
      path: ['expected_players', index],
      message: `duplicate of expected_players.${players.indexOf(player)} (${player}); list each player once`,
    });
    if (++reported === MAX_DUPLICATES_REPORTED) return;
  }
}
