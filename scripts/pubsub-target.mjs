// Prints which Pub/Sub target the tests will use (Google's emulator or the in-process fake) and
// why; .ci/run calls it before the tests. The detection is the tests' own
// (test/support/pubsub/target-kind.ts, loaded with Node's type stripping).
import { describePubSubTargetChoice } from '../test/support/pubsub/target-kind.ts';

try {
  console.log(describePubSubTargetChoice());
} catch (error) {
  console.log(`pubsub target: unknown (${error instanceof Error ? error.message : String(error)})`);
  process.exitCode = 1;
}
