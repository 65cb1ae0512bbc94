import { fileURLToPath } from 'node:url';
import { loadConfig } from './app-config.js';
import {
  FEATURE_FLAG_DEFINITIONS,
  FLAG_NAMES,
  type BooleanFlagName,
  type NumberFlagName,
} from './feature-flag.definitions.js';
import { PRODUCTION_TIMEOUTS_MS } from './timeout.config.js';

const ROLLOUT_DAY1 = fileURLToPath(new URL('../../../config/rollout-day1.env', import.meta.url));

describe('config/rollout-day1.env', () => {
  const config = loadConfig({ SHOTCLOCK_ENV_FILE: ROLLOUT_DAY1 });

  it('sets every flag in the file', () => {
    for (const name of FLAG_NAMES)
      expect([name, config.flags.source(name)]).toEqual([name, 'file']);
  });

  it('turns every boolean flag off and keeps every number at its default', () => {
    for (const name of FLAG_NAMES) {
      const definition = FEATURE_FLAG_DEFINITIONS[name];
      if (definition.kind === 'boolean') {
        expect([name, config.flags.isEnabled(name as BooleanFlagName, 'any-unit')]).toEqual([
          name,
          false,
        ]);
      } else {
        expect([name, config.flags.number(name as NumberFlagName)]).toEqual([
          name,
          definition.defaultValue,
        ]);
      }
    }
  });

  it('leaves the production timeouts in force', () => {
    expect({ ...config.timeouts }).toEqual(PRODUCTION_TIMEOUTS_MS);
  });
});
