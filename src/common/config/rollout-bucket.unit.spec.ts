import { inRollout, rolloutBucket } from './rollout-bucket.js';

const UNITS = Array.from({ length: 10_000 }, (_, i) => `batch-${i}`);
const LADDER = [1, 5, 10, 25, 50, 75, 100];
const FLAG = 'ENABLE_SUBCOLLECTION_COMPLETIONS';

describe('rolloutBucket', () => {
  it('is deterministic and within 1..100', () => {
    for (const unit of UNITS.slice(0, 500)) {
      const bucket = rolloutBucket(FLAG, unit);
      expect(bucket).toBe(rolloutBucket(FLAG, unit));
      expect(Number.isInteger(bucket) && bucket >= 1 && bucket <= 100).toBe(true);
    }
  });

  it('follows sha256(flag:unit), first 4 bytes big-endian, mod 100, plus 1', () => {
    // sha256('F:u') starts with 0x840bd55f = 2215368031; 2215368031 % 100 + 1 = 32.
    expect(rolloutBucket('F', 'u')).toBe(32);
  });

  it('is monotonic: every unit on at p% is on at every higher step of the ladder', () => {
    for (const unit of UNITS) {
      const on = LADDER.map((percent) => inRollout(FLAG, unit, percent));
      const firstOn = on.indexOf(true);
      expect(firstOn).toBeGreaterThanOrEqual(0); // 100% reaches everyone
      expect(on.slice(firstOn).every(Boolean)).toBe(true);
    }
  });

  it.each([10, 50])('turns on %i%% of 10,000 units, within 2 percentage points', (percent) => {
    const onCount = UNITS.filter((unit) => inRollout(FLAG, unit, percent)).length;
    expect(Math.abs((onCount / UNITS.length) * 100 - percent)).toBeLessThanOrEqual(2);
  });

  it('reaches nobody at 0% and everybody at 100%', () => {
    expect(UNITS.some((unit) => inRollout(FLAG, unit, 0))).toBe(false);
    expect(UNITS.every((unit) => inRollout(FLAG, unit, 100))).toBe(true);
  });

  it('buckets differently per flag, so two flags at 10% do not hit the same units', () => {
    const a = UNITS.filter((unit) => inRollout('ENABLE_QUERY_CACHING', unit, 10));
    const b = new Set(UNITS.filter((unit) => inRollout('ENABLE_PARALLEL_CONFIG', unit, 10)));
    const overlap = a.filter((unit) => b.has(unit)).length / a.length;
    expect(overlap).toBeLessThan(0.2);
  });
});
