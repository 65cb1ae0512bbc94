import { parseLegacyImportArguments } from './legacy-import-arguments.js';

describe('parseLegacyImportArguments', () => {
  it.each([
    [['export.ndjson'], { kind: 'file', path: 'export.ndjson' }],
    [['--from-firestore'], { kind: 'firestore', collection: 'prediction_batches', since: null }],
    [
      ['--from-firestore', '--collection', 'old_batches', '--since', '2026-01-20'],
      { kind: 'firestore', collection: 'old_batches', since: '2026-01-20' },
    ],
    [
      ['--since=2026-01-20', '--from-firestore'],
      { kind: 'firestore', collection: 'prediction_batches', since: '2026-01-20' },
    ],
    [['--help'], { kind: 'help' }],
    [['-h', 'export.ndjson'], { kind: 'help' }],
  ])('reads %j', (argv, expected) => {
    expect(parseLegacyImportArguments(argv)).toEqual(expected);
  });

  it.each([
    [[], 'name one FILE, or --from-firestore'],
    [['a.json', 'b.json'], 'name one FILE, or --from-firestore'],
    [['-x'], "Unknown option '-x'"],
    [['a.json', '--since', '2026-01-20'], '--collection and --since go with --from-firestore'],
    [['--from-firestore', 'a.json'], '--from-firestore takes no FILE (got a.json)'],
    [['--from-firestore', '--since'], "Option '--since <value>' argument missing"],
    [
      ['--from-firestore', '--since', '20-01-2026'],
      '--since 20-01-2026: expected a game date YYYY-MM-DD',
    ],
    [
      ['--from-firestore', '--since', '2026-02-30'],
      '--since 2026-02-30: expected a game date YYYY-MM-DD (not a calendar date)',
    ],
    [
      ['--from-firestore', '--collection', 'a/b'],
      '--collection a/b: expected a top-level collection id',
    ],
    [
      ['--from-firestore', '--collection', '__x__'],
      '--collection __x__: expected a top-level collection id',
    ],
  ])('answers %j with a usage problem', (argv, problem) => {
    const parsed = parseLegacyImportArguments(argv);
    expect(parsed.kind).toBe('usage');
    expect(parsed.kind === 'usage' && parsed.problem).toContain(problem);
  });
});
