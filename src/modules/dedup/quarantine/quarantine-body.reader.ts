import type { Storage } from '../../../common/event-store/index.js';
import { bodyReference } from './quarantine-body.keeper.js';
import type { MessageQuarantined } from './quarantine.events.js';

/** A quarantine entry's raw body: held, or evicted with what the log says it was. */
export type QuarantinedBody =
  | { held: true; body: Buffer; bytes: number; sha256: string }
  | { held: false; bytes: number; sha256: string };

/** The body of an entry, whichever version wrote it (inline base64, or in the body store). */
export async function readQuarantinedBody(
  storage: Storage,
  entry: MessageQuarantined,
): Promise<QuarantinedBody> {
  if (entry.body_base64 !== undefined) {
    const body = Buffer.from(entry.body_base64, 'base64');
    const reference = bodyReference(body);
    return { held: true, body, bytes: reference.body_bytes, sha256: reference.body_sha256 };
  }
  const { body_bytes: bytes, body_sha256: sha256 } = entry;
  if (bytes === undefined || sha256 === undefined) {
    throw new Error(
      `quarantine entry ${entry.quarantine_id} has neither body_base64 nor body_bytes/body_sha256: ` +
        'its MessageQuarantined event was not written by Shotclock; inspect stream quarantine-' +
        entry.quarantine_id,
    );
  }
  const stored = await storage.quarantineBodies.get(entry.quarantine_id);
  if (!stored) return { held: false, bytes, sha256 };
  const actual = bodyReference(stored.body).body_sha256;
  if (actual !== sha256) {
    throw new Error(
      `the stored body of quarantine entry ${entry.quarantine_id} has sha256 ${actual}, ` +
        `the entry says ${sha256}: the quarantine_bodies table was changed outside Shotclock`,
    );
  }
  return { held: true, body: stored.body, bytes, sha256 };
}
