import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Jest runs a spec only through its tier's project (jest.config.js): an untiered spec never runs. */
const TIERED = /\.(unit|int|e2e)\.spec\.ts$/;

function specFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return specFiles(path);
    return /spec\.[cm]?[jt]s$/.test(entry.name) ? [path] : [];
  });
}

describe('test files', () => {
  it('are named by tier: *.unit.spec.ts, *.int.spec.ts or *.e2e.spec.ts', () => {
    const specs = [...specFiles('src'), ...specFiles('test')];
    expect(specs.length).toBeGreaterThan(100);
    expect(specs.filter((path) => !TIERED.test(path))).toEqual([]);
  });

  it('keep unit specs beside the code or among the static checks', () => {
    const misplaced = specFiles('test').filter(
      (path) => path.endsWith('.unit.spec.ts') && !path.startsWith(join('test', 'static')),
    );
    expect(misplaced).toEqual([]);
  });
});
