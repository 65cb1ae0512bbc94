import { ManualClock } from '../../src/common/clock/clock.js';
import type { Storage } from '../../src/common/event-store/index.js';
import type { ProjectionDefinition } from '../../src/common/projections/projection-definition.js';
import { ProjectionRunner } from '../../src/common/projections/projection-runner.js';
import { sqliteStorageFactory } from './sqlite-storage.factory.js';
import type { StorageFactory } from './storage.contract.js';
import { fastTiming } from './test-timing.js';

export interface ProjectionHarness {
  storage: Storage;
  runner: ProjectionRunner;
}

/**
 * Registers Jest hooks that give each test a fresh real SQLite store with `definition` running
 * under the real runner; the returned object holds the current test's store and runner.
 */
export function projectionHarness(definition: ProjectionDefinition): ProjectionHarness {
  const harness = {} as ProjectionHarness;
  let factory: StorageFactory;
  beforeAll(() => {
    factory = sqliteStorageFactory();
  });
  afterAll(() => factory.dispose());
  beforeEach(async () => {
    ({ storage: harness.storage } = await factory.create(new ManualClock()));
    harness.runner = new ProjectionRunner(harness.storage, fastTiming);
    harness.runner.register(definition);
    harness.runner.onApplicationBootstrap();
  });
  afterEach(async () => {
    await harness.runner.stopAll();
    await harness.storage.close();
  });
  return harness;
}
