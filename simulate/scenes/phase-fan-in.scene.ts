import { pushEnvelope } from '../../test/support/push-envelope.js';
import { check, pollFor, type SceneContext, type SceneReport } from '../scene.js';

const SUBSCRIPTION = 'projects/nba-props-platform/subscriptions/phase2-completions-sim';

/**
 * Four of the five required processors of config/processors.yaml report, with production's class
 * names (matched through the alias table), plus two tracked ones; p2_nbacom_gamebook_pdf never does.
 */
const REPORTS = [
  { processor_name: 'NbacScheduleProcessor', minutesLate: 0 },
  {
    processor_name: 'BdlPlayerBoxscoresProcessor',
    output_table: 'nba_raw.bdl_player_boxscores',
    minutesLate: 3,
  },
  // Out of order: published after the boxscores, delivered before them below.
  { processor_name: 'OddsApiPropsBatchProcessor', minutesLate: 9 },
  { processor_name: 'OddsApiGameLinesBatchProcessor', minutesLate: 5 },
  { processor_name: 'BigDataBallPbpProcessor', minutesLate: 1 },
  { processor_name: 'NbacPlayerBoxscoreProcessor', minutesLate: 4 },
  // Not configured anywhere: shown as unexpected (config drift), never counted.
  { processor_name: 'EspnScoreboardProcessor', minutesLate: 2 },
];

interface PhaseView {
  status: string;
  trigger_reason: string | null;
  partial: boolean | null;
  completed_processors: string[];
  missing_processors: string[];
  unexpected_processors: string[];
  deadline_at: string | null;
  triggered_at: string | null;
}

/** Phase 2 of a game date with a processor that never reports: the durable deadline triggers phase 3. */
export async function phaseFanInScene(
  { client, gameDate, progress }: SceneContext,
  deadlineWaitMs: number,
): Promise<SceneReport> {
  const answers: Record<string, number> = {};
  const start = Date.parse(`${gameDate}T11:00:00Z`);
  // Out of order, and the first message delivered twice (the second time as a Pub/Sub redelivery).
  const deliveries = [0, 2, 1, 3, 4, 5, 6, 0];
  for (const index of deliveries) {
    const { minutesLate, ...fields } = REPORTS[index]!;
    const envelope = pushEnvelope(
      {
        ...fields,
        phase: 'phase_2_raw',
        execution_id: `exec-${fields.processor_name}`,
        correlation_id: `corr-${gameDate}`,
        game_date: gameDate,
        status: 'success',
        record_count: 100 + index,
        timestamp: new Date(start + minutesLate * 60_000).toISOString(),
      },
      { messageId: `phase2-${gameDate}-${fields.processor_name}`, subscription: SUBSCRIPTION },
    );
    const answer = await client.post('/v1/push/phase2-completions', envelope);
    answers[answer.status] = (answers[answer.status] ?? 0) + 1;
  }
  progress(
    `phase-2 completions pushed, answers ${JSON.stringify(answers)}; waiting for the deadline`,
  );
  const { value: phase, met } = await pollFor(
    async () => (await client.get<PhaseView>(`/v1/phases/${gameDate}`)).body,
    (view) => view.status === 'triggered',
    deadlineWaitMs,
  );
  const published = await client.get<{ messages: Array<{ topic: string; body: unknown }> }>(
    '/v1/outbox?topic=nba-phase3-trigger',
  );
  const triggers = (published.body.messages ?? []).filter((m) => m.topic === 'nba-phase3-trigger');
  return {
    title: `Phase 2 -> phase 3 for ${gameDate}`,
    lines: [
      `status ${phase.status}, reason ${phase.trigger_reason ?? '-'}, partial ${String(phase.partial)}`,
      `completed: ${phase.completed_processors.join(', ') || '-'}`,
      `missing: ${phase.missing_processors.join(', ') || '-'}`,
      `unexpected (config drift): ${phase.unexpected_processors.join(', ') || '-'}`,
      `deadline ${phase.deadline_at ?? '-'}, triggered ${phase.triggered_at ?? '-'}; phase-3 messages published: ${triggers.length}`,
      `push answers: ${JSON.stringify(answers)}`,
    ],
    checks: [
      check(
        'phase 3 triggered by the deadline, with partial data',
        met && phase.trigger_reason === 'deadline_exceeded' && phase.partial === true,
        `${phase.status} ${phase.trigger_reason}`,
      ),
      check(
        'the processor that never reported is missing',
        phase.missing_processors.join() === 'p2_nbacom_gamebook_pdf',
        phase.missing_processors.join(),
      ),
      check(
        'the unknown publisher is shown as unexpected',
        phase.unexpected_processors.includes('EspnScoreboardProcessor'),
        phase.unexpected_processors.join(),
      ),
      check(
        'exactly one phase-3 message published',
        triggers.length === 1,
        `${triggers.length} messages`,
      ),
      check(
        'every delivery acknowledged with 204 (the redelivery too)',
        answers['204'] === deliveries.length,
        JSON.stringify(answers),
      ),
    ],
  };
}
