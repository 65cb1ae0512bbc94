// Prints which target each emulator-backed suite will use (Google's emulator or the in-process
// fake) and why; .ci/run calls it before the tests. The detection is the tests' own
// (test/support/emulators/emulator-kind.ts, loaded with Node's type stripping).
import {
  describeEmulatorChoice,
  FIRESTORE_EMULATOR,
  PUBSUB_EMULATOR,
} from '../test/support/emulators/emulator-kind.ts';

for (const spec of [PUBSUB_EMULATOR, FIRESTORE_EMULATOR]) {
  try {
    console.log(describeEmulatorChoice(spec));
  } catch (error) {
    console.log(
      `${spec.service} target: unknown (${error instanceof Error ? error.message : String(error)})`,
    );
    process.exitCode = 1;
  }
}
