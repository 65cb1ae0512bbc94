import { getJson, postJson, waitUntil } from './multi-instance-http.js';
import type { StoreInspector } from './multi-instance-inspector.js';
import type { Instance } from './multi-instance-process.js';
import type { Workload } from './multi-instance-workload.js';

/** What the spec reads from the service's admin endpoints. */
interface ProjectionStatus {
  name: string;
  kind: 'projection' | 'reaction';
  state: string;
  lag: number;
  holder: string | null;
  rebuild: unknown;
  last_error: string | null;
}
interface LeaseView {
  name: string;
  holder: string;
  live: boolean;
  acquired_at: string;
}

export const projections = async (instance: Instance) =>
  (await getJson<{ projections: ProjectionStatus[] }>(`${instance.baseUrl}/v1/projections`))
    .projections;

export const leases = async (instance: Instance) =>
  (await getJson<{ leases: LeaseView[] }>(`${instance.baseUrl}/v1/leases`)).leases;

/** Leases of singleton jobs (not the `instance:` liveness leases) held live, per holder. */
export async function jobLeasesByHolder(instance: Instance): Promise<Map<string, number>> {
  const byHolder = new Map<string, number>();
  for (const lease of await leases(instance)) {
    if (lease.name.startsWith('instance:') || !lease.live) continue;
    byHolder.set(lease.holder, (byHolder.get(lease.holder) ?? 0) + 1);
  }
  return byHolder;
}

/** Creates the workload's batches, round-robin over `instances`. */
export async function createBatches(instances: Instance[], workload: Workload): Promise<void> {
  await Promise.all(
    workload.batches.map(({ players: _players, ...body }, i) =>
      postJson(`${instances[i % instances.length]!.baseUrl}/v1/batches`, body, 201),
    ),
  );
}

/**
 * Waits until the run has done everything it will: every batch complete, every phase-2 date
 * triggered (the deadline dates by their timers), then every projection and reaction running
 * caught up on the instance holding it, and every outbox topic caught up.
 */
export async function waitUntilSettled(
  instances: Instance[],
  workload: Workload,
  timeoutMs: number,
) {
  const instance = instances[0]!;
  const base = instance.baseUrl;
  await waitUntil(
    async () => {
      const open: string[] = [];
      for (const batch of workload.batches) {
        const view = await getJson<{ is_complete: boolean; completed_count: number }>(
          `${base}/v1/batches/${batch.batch_id}`,
        );
        if (!view.is_complete) open.push(`${batch.batch_id} at ${view.completed_count}`);
      }
      for (const date of [...workload.completeDates, ...workload.deadlineDates]) {
        const view = await getJson<{ status: string }>(`${base}/v1/phases/${date}`);
        if (view.status !== 'triggered') open.push(`phase ${date} ${view.status}`);
      }
      return open.length === 0 || open.join(', ');
    },
    'every batch complete and every phase-2 date triggered',
    timeoutMs,
  );
  await waitUntil(
    async () => {
      const statuses = await holderStatuses(instances);
      const names = (await projections(instance)).map((p) => p.name);
      const behind = names
        .map((name) => [name, statuses.get(name)] as const)
        .filter(([, p]) => !p || p.lag !== 0 || p.state !== 'running' || p.last_error !== null)
        .map(([name, p]) =>
          p
            ? `${name} on ${p.holder} ${p.state} lag ${p.lag}${p.last_error ? ` (${p.last_error})` : ''}`
            : `${name} held by no live instance`,
        );
      const topics = (
        await getJson<{ topics: Array<{ topic: string; backlog: number }> }>(`${base}/v1/outbox`)
      ).topics
        .filter((t) => t.backlog !== 0)
        .map((t) => `outbox ${t.topic} backlog ${t.backlog}`);
      const all = [...behind, ...topics];
      return all.length === 0 || all.join(', ');
    },
    'every projection, reaction and outbox topic caught up',
    timeoutMs,
  );
}

/** Each projection's and reaction's status as reported by the instance that runs it. */
async function holderStatuses(instances: Instance[]): Promise<Map<string, ProjectionStatus>> {
  const byName = new Map<string, ProjectionStatus>();
  for (const instance of instances) {
    for (const status of await projections(instance)) {
      if (status.holder === instance.id) {
        byName.set(status.name, status);
      }
    }
  }
  return byName;
}

/**
 * Rebuilds every projection from scratch, each on the instance holding it (the others answer
 * 409), and waits until each has rebuilt and runs again caught up. The 202 answers before the
 * rebuild starts, so "rebuilt" is read from the store: its checkpoint row was rewritten since.
 */
export async function rebuildAllProjections(
  instances: Instance[],
  inspector: StoreInspector,
  timeoutMs: number,
) {
  const before = await inspector.checkpointWrites();
  const names = (await projections(instances[0]!))
    .filter((p) => p.kind === 'projection')
    .map((p) => p.name);
  for (const name of names) await rebuildOnHolder(instances, name);
  await waitUntil(
    async () => {
      const [after, now] = await Promise.all([
        inspector.checkpointWrites(),
        holderStatuses(instances),
      ]);
      const pending = names.filter((name) => {
        const status = now.get(name);
        return (
          after.get(name) === undefined ||
          after.get(name) === before.get(name) ||
          status?.state !== 'running' ||
          status.rebuild !== null ||
          status.lag !== 0
        );
      });
      return pending.length === 0 || `not yet rebuilt and caught up: ${pending.join(', ')}`;
    },
    'every projection rebuilt and caught up',
    timeoutMs,
  );
}

/**
 * Singleton jobs that run where they should not: a projection, reaction or outbox dispatcher that
 * an instance reports running (any state but standby) without holding its lease, or that its
 * holder reports not running. Empty when each job runs on exactly its lease holder.
 */
export async function jobsOffTheirLease(instances: Instance[]): Promise<string[]> {
  const wrong: string[] = [];
  for (const instance of instances) {
    const holders = new Map(
      (await leases(instance)).filter((l) => l.live).map((l) => [l.name, l.holder]),
    );
    const topics = (
      await getJson<{ topics: Array<{ topic: string; state: string }> }>(
        `${instance.baseUrl}/v1/outbox`,
      )
    ).topics;
    const jobs = [
      ...(await projections(instance)).map((p) => ({
        lease: `projection:${p.name}`,
        state: p.state,
      })),
      ...topics.map((t) => ({ lease: `outbox:${t.topic}`, state: t.state })),
    ];
    for (const { lease, state } of jobs) {
      const runsHere = state !== 'standby' && state !== 'unassigned';
      const holder = holders.get(lease) ?? null;
      if (runsHere !== (holder === instance.id)) {
        wrong.push(`${lease} is ${state} on ${instance.id}, lease held by ${holder}`);
      }
    }
  }
  return wrong;
}

/** POST the rebuild to the holder; a 409 (the lease moved meanwhile) asks the new holder. */
async function rebuildOnHolder(instances: Instance[], name: string): Promise<void> {
  const answers: string[] = [];
  for (let attempt = 1; attempt <= 3; attempt++) {
    const holder = (await holderStatuses(instances)).get(name)?.holder;
    const instance = instances.find((candidate) => candidate.id === holder);
    if (instance) {
      const response = await fetch(`${instance.baseUrl}/v1/projections/${name}/rebuild`, {
        method: 'POST',
        signal: AbortSignal.timeout(15_000),
      });
      const text = await response.text();
      if (response.status === 202) return;
      answers.push(`${instance.id}: ${response.status} ${text}`);
      if (response.status !== 409) break;
    } else {
      answers.push(`no live holder (${holder ?? 'none'})`);
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`rebuild of projection ${name} not accepted: ${answers.join('; ')}`);
}
