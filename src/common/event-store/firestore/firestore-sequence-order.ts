/** A pending event as the sequencer sees it. */
export interface PendingEvent {
  streamId: string;
  streamVersion: number;
  /** Its commit's time (the document's update time) as seconds and nanoseconds. */
  committedAt: { seconds: number; nanoseconds: number };
  /** Its place among the writes of its commit. */
  commitIndex: number;
}

/**
 * The order in which one batch of pending events takes its positions: by commit time, then by
 * place within the commit (events that share a commit share its time), so the log follows commit
 * order as closely as Firestore shows it. Each stream's events then take that stream's places in
 * version order whatever their times say: commit times of two instances may disagree, and a
 * stream's versions must never go backwards in the log.
 *
 * The batch itself must hold, for each stream, a run of its pending versions from the lowest one
 * up (the sequencer's query orders pending events by stream and version, never only by time, so
 * a batch cut at its size limit cannot take a stream's version n+1 without version n).
 */
export function sequenceOrder<T extends PendingEvent>(batch: readonly T[]): T[] {
  const byCommit = [...batch].sort(
    (a, b) =>
      a.committedAt.seconds - b.committedAt.seconds ||
      a.committedAt.nanoseconds - b.committedAt.nanoseconds ||
      a.commitIndex - b.commitIndex ||
      compareText(a.streamId, b.streamId) ||
      a.streamVersion - b.streamVersion,
  );
  const versionsOf = new Map<string, T[]>();
  for (const event of byCommit) {
    const versions = versionsOf.get(event.streamId) ?? [];
    versions.push(event);
    versionsOf.set(event.streamId, versions);
  }
  for (const versions of versionsOf.values())
    versions.sort((a, b) => a.streamVersion - b.streamVersion);
  const nextOf = new Map<string, number>();
  return byCommit.map((slot) => {
    const taken = nextOf.get(slot.streamId) ?? 0;
    nextOf.set(slot.streamId, taken + 1);
    return versionsOf.get(slot.streamId)![taken]!;
  });
}

function compareText(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}
