import { join } from 'node:path';
import {
  completion,
  eventsOfType,
  phase3Messages,
  phaseView,
  phaseViewWhen,
  pushCompletion,
  REQUIRED_NAMES,
  REQUIRED_REPORTS,
  settled,
} from '../support/phase-fixtures.js';
import { makeTempDir } from '../support/temp-dir.js';
import { appsOnManualClock } from '../support/apps-on-manual-clock.js';
import { eventually } from '../support/test-timing.js';

const DATE = '2026-01-22';
const MINUTE_MS = 60_000;
const DEADLINE_MS = 30 * MINUTE_MS;

/** The phase-2 deadline: a durable timer, driven by a ManualClock, with no further messages. */
describe('phase 2 completion deadline (real app, real SQLite, ManualClock)', () => {
  const apps = appsOnManualClock('2026-01-22T12:00:00.000Z');
  const start = apps.start;
  const dir = makeTempDir('shotclock-phase-deadline-');
  afterAll(() => dir.cleanup());

  /**
   * Lets reactions schedule their timers, the scheduler fire every timer due by the clock's now
   * (none due later), and projections and reactions act on it, before the clock moves again.
   */
  const quiet = async (server: Parameters<typeof settled>[0]) => {
    await settled(server);
    await apps.timersChecked();
    await settled(server);
  };

  it('fires on time with no further message: partial trigger, alert with completed, missing and minutes', async () => {
    const server = await start();
    await pushCompletion(server, completion(DATE, REQUIRED_REPORTS[0]!));
    apps.clock.advanceMs(5 * MINUTE_MS);
    await pushCompletion(server, completion(DATE, REQUIRED_REPORTS[1]!));
    await pushCompletion(server, completion(DATE, REQUIRED_REPORTS[2]!, { status: 'failed' }));
    await quiet(server);
    expect(await phaseView(server, DATE)).toMatchObject({
      status: 'in_progress',
      deadline_at: '2026-01-22T12:30:00.000Z',
      deadline_enabled: true,
      deadline_reason: null,
    });

    // One millisecond early: nothing.
    apps.clock.advanceMs(DEADLINE_MS - 5 * MINUTE_MS - 1);
    await quiet(server);
    expect((await phaseView(server, DATE)).status).toBe('in_progress');
    expect(await eventsOfType(server, 'Phase2DeadlineDue')).toHaveLength(0);

    apps.clock.advanceMs(1);
    const view = await phaseViewWhen(server, DATE, (v) => v.status === 'triggered', 'deadline');
    expect(view).toMatchObject({
      trigger_reason: 'deadline_exceeded',
      partial: true,
      completed_processors: REQUIRED_NAMES.slice(0, 2),
      missing_processors: REQUIRED_NAMES.slice(2),
      triggered_at: '2026-01-22T12:30:00.000Z',
    });
    await eventually(async () => (await phase3Messages(server)).length === 1, 'phase-3 message');
    expect((await phase3Messages(server))[0]!.body).toMatchObject({
      trigger_reason: 'deadline_exceeded',
      partial: true,
      completed_processors: REQUIRED_NAMES.slice(0, 2),
      missing_processors: REQUIRED_NAMES.slice(2),
      upstream_processors_count: 2,
      timestamp: '2026-01-22T12:30:00.000Z',
      parent_execution_id: null,
      parent_processor: null,
    });
    await eventually(
      async () => (await eventsOfType(server, 'AlertRaised')).length === 1,
      'deadline alert',
    );
    expect((await eventsOfType(server, 'AlertRaised'))[0]!.data).toMatchObject({
      alert_id: `phase2-deadline:${DATE}`,
      kind: 'phase2_deadline_exceeded',
      details: {
        completed_processors: REQUIRED_NAMES.slice(0, 2),
        missing_processors: REQUIRED_NAMES.slice(2),
        minutes_elapsed: 30,
      },
    });

    // The rest arrives late: recorded, never a second trigger.
    for (const report of REQUIRED_REPORTS.slice(2)) {
      await pushCompletion(server, completion(DATE, report));
    }
    const late = await phaseViewWhen(
      server,
      DATE,
      (v) => (v.late_processors as string[]).length === REQUIRED_REPORTS.length - 2,
      'late reports',
    );
    expect(late).toMatchObject({ trigger_reason: 'deadline_exceeded', partial: true });
    await quiet(server);
    expect(await eventsOfType(server, 'Phase3Triggered')).toHaveLength(1);
    expect(await phase3Messages(server)).toHaveLength(1);
  });

  it('honours PHASE2_COMPLETION_TIMEOUT_MINUTES with decimals', async () => {
    const server = await start({ PHASE2_COMPLETION_TIMEOUT_MINUTES: '0.5' });
    await pushCompletion(server, completion(DATE, REQUIRED_REPORTS[0]!));
    const view = await phaseViewWhen(server, DATE, (v) => v.status === 'in_progress', 'report');
    expect(view.deadline_at).toBe('2026-01-22T12:00:30.000Z');
    apps.clock.advanceMs(30_000);
    const fired = await phaseViewWhen(server, DATE, (v) => v.status === 'triggered', 'deadline');
    expect(fired).toMatchObject({ trigger_reason: 'deadline_exceeded' });
  });

  it('fires after a restart, from the durable timer alone', async () => {
    const sqlitePath = join(dir.path, 'restart.sqlite');
    let server = await start({}, sqlitePath);
    await pushCompletion(server, completion(DATE, REQUIRED_REPORTS[0]!));
    await quiet(server); // the timer is scheduled before the process goes down
    await apps.closeNewest();

    // Down while the deadline came due: the new process fires it at start.
    apps.clock.advanceMs(DEADLINE_MS + MINUTE_MS);
    server = await start({}, sqlitePath);
    const view = await phaseViewWhen(server, DATE, (v) => v.status === 'triggered', 'deadline');
    expect(view).toMatchObject({
      trigger_reason: 'deadline_exceeded',
      partial: true,
      completed_processors: REQUIRED_NAMES.slice(0, 1),
      triggered_at: '2026-01-22T12:31:00.000Z',
    });
    await eventually(async () => (await phase3Messages(server)).length === 1, 'phase-3 message');
    await eventually(
      async () => (await eventsOfType(server, 'AlertRaised')).length === 1,
      'deadline alert',
    );
    expect((await eventsOfType(server, 'AlertRaised'))[0]!.data).toMatchObject({
      details: { minutes_elapsed: 31 },
    });
  });

  it('never fires when ENABLE_PHASE2_COMPLETION_DEADLINE is off for the date', async () => {
    const server = await start({ ENABLE_PHASE2_COMPLETION_DEADLINE: 'false' });
    await pushCompletion(server, completion(DATE, REQUIRED_REPORTS[0]!));
    await quiet(server);
    expect(await phaseView(server, DATE)).toMatchObject({
      deadline_at: null,
      deadline_enabled: false,
      deadline_reason: expect.stringContaining(
        `ENABLE_PHASE2_COMPLETION_DEADLINE is off for ${DATE}: phase 3 waits for every required processor with no deadline`,
      ),
    });
    apps.clock.advanceMs(10 * DEADLINE_MS);
    await quiet(server);
    expect((await phaseView(server, DATE)).status).toBe('in_progress');
    expect(await eventsOfType(server, 'Phase3Triggered')).toHaveLength(0);
  });

  it('in monitor mode the deadline alerts twice (deadline and suppressed trigger) and publishes nothing', async () => {
    const server = await start({ PHASE2_TRIGGER_MODE: 'monitor' });
    await pushCompletion(server, completion(DATE, REQUIRED_REPORTS[0]!));
    await quiet(server);
    apps.clock.advanceMs(DEADLINE_MS);
    await phaseViewWhen(server, DATE, (v) => v.status === 'triggered', 'deadline');
    await eventually(
      async () => (await eventsOfType(server, 'AlertRaised')).length === 2,
      'two alerts',
    );
    const ids = (await eventsOfType(server, 'AlertRaised')).map((e) => e.data.alert_id).sort();
    expect(ids).toEqual([`phase2-deadline:${DATE}`, `phase3-monitor:${DATE}`]);
    await quiet(server);
    expect(await phase3Messages(server)).toHaveLength(0);
  });
});
