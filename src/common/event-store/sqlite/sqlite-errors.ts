import { dirname } from 'node:path';

/** Primary SQLite result codes (the low byte of an extended code) the adapter reacts to. */
const SQLITE_PERM = 3;
const SQLITE_BUSY = 5;
const SQLITE_LOCKED = 6;
const SQLITE_READONLY = 8;
const SQLITE_IOERR = 10;
const SQLITE_FULL = 13;
const SQLITE_CANTOPEN = 14;

const PRIMARY_NAMES = new Map([
  [SQLITE_PERM, 'SQLITE_PERM'],
  [SQLITE_READONLY, 'SQLITE_READONLY'],
  [SQLITE_IOERR, 'SQLITE_IOERR'],
  [SQLITE_FULL, 'SQLITE_FULL'],
  [SQLITE_CANTOPEN, 'SQLITE_CANTOPEN'],
]);

const EXTENDED_NAMES = new Map([
  [266, 'SQLITE_IOERR_READ'],
  [778, 'SQLITE_IOERR_WRITE'],
  [1034, 'SQLITE_IOERR_FSYNC'],
  [1290, 'SQLITE_IOERR_DIR_FSYNC'],
  [1546, 'SQLITE_IOERR_TRUNCATE'],
  [4618, 'SQLITE_IOERR_SHMOPEN'],
  [4874, 'SQLITE_IOERR_SHMSIZE'],
  [264, 'SQLITE_READONLY_RECOVERY'],
  [520, 'SQLITE_READONLY_CANTLOCK'],
  [1032, 'SQLITE_READONLY_DBMOVED'],
  [1288, 'SQLITE_READONLY_CANTINIT'],
  [1544, 'SQLITE_READONLY_DIRECTORY'],
]);

/** The (extended) result code of a node:sqlite error; duck-typed, errors may come from another realm. */
function resultCode(error: unknown): number | undefined {
  const code = (error as { errcode?: unknown } | null)?.errcode;
  return typeof code === 'number' ? code : undefined;
}

/** Another connection holds the lock this statement needs. */
export function isBusy(error: unknown): boolean {
  const code = resultCode(error);
  return code !== undefined && [SQLITE_BUSY, SQLITE_LOCKED].includes(code & 0xff);
}

/** The disk or file refused the operation (read-only, immutable, full, I/O error, cannot open). */
export function isStorageFault(error: unknown): boolean {
  const code = resultCode(error);
  return code !== undefined && PRIMARY_NAMES.has(code & 0xff);
}

/** What failed, on which file, and what to do: for a storage fault met during `operation`. */
export function describeStorageFault(
  path: string,
  operation: string,
  error: unknown,
  then = 'nothing was written, writes resume by themselves once it is fixed',
): string {
  const code = resultCode(error) ?? 0;
  const name =
    EXTENDED_NAMES.get(code) ??
    `${PRIMARY_NAMES.get(code & 0xff) ?? 'SQLITE_ERROR'}${code > 0xff ? ` (extended code ${code})` : ''}`;
  const detail = (error as { errstr?: unknown } | null)?.errstr ?? String(error);
  return `SQLite could not write ${path} during ${operation} (${name}: ${String(detail)}): ${remedy(code & 0xff, path)}; ${then}`;
}

function remedy(primary: number, path: string): string {
  const folder = dirname(path);
  switch (primary) {
    case SQLITE_FULL:
      return `the file system holding ${folder} is full; free space there (df ${folder})`;
    case SQLITE_READONLY:
    case SQLITE_PERM:
      return `the file, its -wal/-shm files or ${folder} are read-only; check for a read-only mount, the immutable flag (lsattr; chattr -i) and permissions`;
    case SQLITE_CANTOPEN:
      return `the file or its -wal/-shm files could not be opened; check that ${folder} exists and is writable, and the open-file limit`;
    default:
      return `the file system failed an I/O on the file or its -wal/-shm files; check the disk (dmesg), free space (df ${folder}), a read-only remount and the immutable flag (lsattr; chattr -i)`;
  }
}
