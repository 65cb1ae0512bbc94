import { z } from 'zod';
import { boundedString, TEXT_LIMITS } from '../../common/http/text-limits.js';
import {
  batchIdSchema,
  EXPECTED_PLAYER_PATTERN,
  EXPECTED_PLAYER_RULE,
  gameDateSchema,
} from './batch-identifiers.js';
import { informational } from '../../common/ingestion/informational-field.js';

/** Player problems reported per request: a million-id list with a systematic mistake needs no more. */
const MAX_PLAYER_ISSUES = 10;

/** Every element checked once, problems capped (a per-element schema would report them all). */
const expectedPlayersSchema = z
  .array(z.unknown())
  .min(1)
  .superRefine(checkPlayers)
  // checkPlayers has rejected every list holding anything but distinct valid ids.
  .transform((players) => players as string[]);

/** Body of `POST /v1/batches`. */
export const createBatchSchema = z
  .strictObject({
    batch_id: batchIdSchema.optional(),
    game_date: gameDateSchema,
    expected_players: expectedPlayersSchema.optional(),
    expected_count: z.int().min(1).max(100_000_000).optional(),
    // "" means not given: the correlation id then defaults to the batch id.
    correlation_id: informational(boundedString(TEXT_LIMITS.correlationId).min(1).optional()),
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
  });

export type CreateBatchBody = z.infer<typeof createBatchSchema>;

function checkPlayers(players: readonly unknown[], ctx: z.RefinementCtx): void {
  const seen = new Set<string>();
  let issues = 0;
  const report = (index: number, message: string) => {
    ctx.addIssue({ code: 'custom', path: [index], message });
    return ++issues === MAX_PLAYER_ISSUES;
  };
  for (const [index, player] of players.entries()) {
    if (typeof player !== 'string' || !EXPECTED_PLAYER_PATTERN.test(player)) {
      if (
        report(
          index,
          `must be ${EXPECTED_PLAYER_RULE}, got ${JSON.stringify(player)?.slice(0, 80)}`,
        )
      )
        return;
    } else if (seen.has(player)) {
      const first = players.indexOf(player);
      if (
        report(index, `duplicate of expected_players.${first} (${player}); list each player once`)
      )
        return;
    } else {
      seen.add(player);
    }
  }
}
