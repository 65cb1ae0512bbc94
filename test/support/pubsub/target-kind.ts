// Which Pub/Sub target the tests use: the shared emulator detection, named for Pub/Sub.
import {
  describeEmulatorChoice,
  emulatorTargetKind,
  findEmulatorBinary,
  PUBSUB_EMULATOR,
  type EmulatorTargetKind,
} from '../emulators/emulator-kind.js';

export type PubSubTargetKind = EmulatorTargetKind;

export const PUBSUB_TARGET_ENV = PUBSUB_EMULATOR.envName;

/** The path of Google's Pub/Sub emulator launcher, or undefined when this machine has none. */
export function findPubSubEmulatorBinary(): string | undefined {
  return findEmulatorBinary(PUBSUB_EMULATOR);
}

/** SHOTCLOCK_PUBSUB_TARGET=emulator|fake|auto (default auto: the emulator when its binary exists). */
export function pubSubTargetKind(): PubSubTargetKind {
  return emulatorTargetKind(PUBSUB_EMULATOR);
}

/** One line saying which target `pubSubTargetKind()` picks and why, for logs and CI. */
export function describePubSubTargetChoice(): string {
  return describeEmulatorChoice(PUBSUB_EMULATOR);
}
