import { accessSync, constants } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Errors of access(W_OK) that also stop writes through the files SQLite already has open: a
 * read-only file system, an immutable file or folder. (EACCES, mode bits, only stops new opens.)
 */
const REFUSED = new Map([
  ['EROFS', 'its file system is mounted read-only; remount it read-write'],
  [
    'EPERM',
    'it is immutable or its file system refuses writes; check lsattr (chattr -i) and the mount',
  ],
]);

/**
 * Whether the store's files can be written, without writing: a few access() calls, cheap enough
 * for every health probe, so readiness notices a read-only disk with no traffic. An immutable
 * database file alone still takes appends (in the -wal file) but every checkpoint fails, so the
 * -wal grows without bound and a restart opens the store read-only: it is reported too.
 */
export function fileSystemFault(path: string): string | null {
  if (path === ':memory:') return null;
  for (const file of [path, `${path}-wal`, `${path}-shm`, dirname(path)]) {
    try {
      accessSync(file, constants.W_OK);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? '';
      const why = REFUSED.get(code);
      // ENOENT (no -wal yet) and EACCES (mode bits; open files stay writable) are not faults.
      if (why === undefined) continue;
      return `SQLite store file ${file} is not writable (${code}): ${why}; until then appends or checkpoints of ${path} fail`;
    }
  }
  return null;
}
