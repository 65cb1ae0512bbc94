// The Pub/Sub test target: Google's real emulator when its binary is on this machine, otherwise
// the in-process gRPC fake in ./fake/, behind one interface so the same test code runs on both.
import { EmulatorTarget } from './emulator-target.js';
import { FakeTarget } from './fake-target.js';
import {
  DEFAULT_TEST_PROJECT_ID,
  type PubSubTarget,
  type StartPubSubTargetOptions,
} from './target.js';
import {
  findPubSubEmulatorBinary,
  PUBSUB_TARGET_ENV,
  pubSubTargetKind,
  type PubSubTargetKind,
} from './target-kind.js';

export type { PubSubTarget, StartPubSubTargetOptions } from './target.js';
export {
  findPubSubEmulatorBinary,
  pubSubTargetKind,
  type PubSubTargetKind,
} from './target-kind.js';
export * from './resources.js';
export * from './pull.js';
export * from './push-receiver.js';

const announced = new Set<PubSubTargetKind>();

/**
 * Starts the target `kind` (default: pubSubTargetKind(), i.e. SHOTCLOCK_PUBSUB_TARGET or auto).
 * Asking for the emulator when its binary is missing fails. Stop it with `stop()` (afterAll).
 */
export async function startPubSubTarget(
  kind: PubSubTargetKind = pubSubTargetKind(),
  options: StartPubSubTargetOptions = {},
): Promise<PubSubTarget> {
  // The real client otherwise probes a GCE metadata server that does not exist here.
  process.env['METADATA_SERVER_DETECTION'] ??= 'none';
  const projectId = options.projectId ?? DEFAULT_TEST_PROJECT_ID;
  if (kind === 'fake') {
    announce('fake', 'pubsub target: fake (in-process gRPC fake)');
    return FakeTarget.start(projectId);
  }
  const binary = findPubSubEmulatorBinary();
  if (!binary) {
    throw new Error(
      `the Pub/Sub emulator was asked for (${PUBSUB_TARGET_ENV}=${process.env[PUBSUB_TARGET_ENV] ?? ''} ` +
        `or startPubSubTarget('emulator')) but no binary was found: install the Cloud SDK component ` +
        `'pubsub-emulator' (gcloud components install pubsub-emulator) or use ${PUBSUB_TARGET_ENV}=fake`,
    );
  }
  announce('emulator', `pubsub target: emulator (${binary})`);
  return EmulatorTarget.start(binary, projectId);
}

/** One line per process (per test file under Jest) and kind, saying which target ran. */
function announce(kind: PubSubTargetKind, line: string): void {
  if (announced.has(kind)) return;
  announced.add(kind);
  process.stderr.write(`${line}\n`);
}
