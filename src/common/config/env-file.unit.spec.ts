import { parseEnvFile } from './env-file.js';

describe('parseEnvFile', () => {
  it('reads KEY=VALUE lines, skipping comments and blank lines', () => {
    const { file, issues } = parseEnvFile(
      [
        '# header',
        '',
        '  PORT=9000  ',
        'export HOST=127.0.0.1',
        "LOG_LEVEL='warn'",
        'SQLITE_PATH="/data/a b.sqlite"',
        'ADMIN_TOKEN=a=b#c',
      ].join('\r\n'),
      'x.env',
    );
    expect(issues).toEqual([]);
    expect(Object.fromEntries([...file.entries].map(([key, entry]) => [key, entry.value]))).toEqual(
      {
        PORT: '9000',
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
        SQLITE_PATH: '/data/a b.sqlite',
        ADMIN_TOKEN: 'a=b#c',
      },
    );
    expect(file.entries.get('PORT')?.lineNumber).toBe(3);
  });

  it('reports bad lines and repeated keys in one line naming the file', () => {
    const { issues } = parseEnvFile(['PORT=1', 'oops', 'PORT=2'].join('\n'), 'config/x.env');
    expect(issues).toEqual([
      {
        variable: 'SHOTCLOCK_ENV_FILE',
        line: 'SHOTCLOCK_ENV_FILE=config/x.env: expected an env file of KEY=VALUE lines, but line 2 is not KEY=VALUE: "oops"; PORT is set twice, on lines 1 and 3',
      },
    ]);
  });
});
