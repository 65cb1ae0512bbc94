// The Firestore test target: Google's real emulator when its binary is on this machine, otherwise
// the in-process gRPC fake in ./fake/, behind one interface so the same test code runs on both.
import {
  emulatorTargetKind,
  findEmulatorBinary,
  FIRESTORE_EMULATOR,
  missingEmulatorError,
  type EmulatorTargetKind,
} from '../emulators/emulator-kind.js';
import { FirestoreEmulatorTarget } from './emulator-target.js';
import { FirestoreFakeTarget } from './fake-target.js';
import {
  DEFAULT_FIRESTORE_TEST_PROJECT_ID,
  FIRESTORE_ATTACH_ENV,
  type FirestoreTarget,
} from './target.js';

export type { FirestoreTarget } from './target.js';

const announced = new Set<string>();

/** SHOTCLOCK_FIRESTORE_TARGET=emulator|fake|auto (default auto: the emulator when its binary exists). */
export function firestoreTargetKind(): EmulatorTargetKind {
  return emulatorTargetKind(FIRESTORE_EMULATOR);
}

/**
 * Starts the target `kind` (default firestoreTargetKind()). With SHOTCLOCK_FIRESTORE_EMULATOR_HOST
 * set, the emulator target attaches to that running emulator instead of starting one. Asking for
 * the emulator when its binary is missing fails. Stop it with `stop()` (afterAll).
 */
export async function startFirestoreTarget(
  kind: EmulatorTargetKind = firestoreTargetKind(),
  projectId = DEFAULT_FIRESTORE_TEST_PROJECT_ID,
): Promise<FirestoreTarget> {
  // The real client otherwise probes a GCE metadata server that does not exist here.
  process.env['METADATA_SERVER_DETECTION'] ??= 'none';
  if (kind === 'fake') {
    announce('firestore target: fake (in-process gRPC fake)');
    return FirestoreFakeTarget.start(projectId);
  }
  const attachTo = process.env[FIRESTORE_ATTACH_ENV];
  if (attachTo) {
    announce(`firestore target: emulator (attached to ${attachTo})`);
    return FirestoreEmulatorTarget.attach(attachTo, projectId);
  }
  const binary = findEmulatorBinary(FIRESTORE_EMULATOR);
  if (!binary) throw missingEmulatorError(FIRESTORE_EMULATOR);
  announce(`firestore target: emulator (${binary})`);
  return FirestoreEmulatorTarget.start(binary, projectId);
}

let projectCounter = 0;

/** A project id no other test in this process uses: an isolated database on a shared target. */
export function uniqueFirestoreProjectId(prefix = 'shotclock-test'): string {
  projectCounter += 1;
  return `${prefix}-${process.pid}-${projectCounter}`;
}

/** One line per process (per test file under Jest) and kind, saying which target ran. */
function announce(line: string): void {
  if (announced.has(line)) return;
  announced.add(line);
  process.stderr.write(`${line}\n`);
}
