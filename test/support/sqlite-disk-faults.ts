import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, statfsSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** statfs f_type of tmpfs: chattr +i there does not stop writes through files already open. */
const TMPFS_MAGIC = 0x01021994;

function run(command: string, args: string[], why: string): void {
  try {
    execFileSync(command, args, { stdio: 'pipe' });
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
    throw new Error(
      `cannot inject the fault on this machine: \`${command} ${args.join(' ')}\` failed (${stderr || String(error)}); ${why}`,
      { cause: error },
    );
  }
}

/**
 * A real read-only store: sets the immutable flag on `files` (the database and its -wal; never the
 * -shm, which SQLite maps into memory: a write to an immutable mapping kills the process with
 * SIGBUS). Fails, saying why, where the flag cannot be set or would not stop writes.
 */
export function makeImmutable(files: readonly string[]): { undo(): void } {
  for (const file of files) {
    if (statfsSync(file).type === TMPFS_MAGIC) {
      throw new Error(
        `cannot inject the fault on this machine: ${file} is on tmpfs, where chattr +i does not stop writes through open files; point TMPDIR to an ext4 or xfs folder`,
      );
    }
  }
  run('chattr', ['+i', ...files], 'the test needs root with CAP_LINUX_IMMUTABLE');
  const undo = () => run('chattr', ['-i', ...files], 'remove the flag by hand (chattr -i)');
  for (const file of files) {
    let opened: number;
    try {
      opened = openSync(file, 'r+');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EPERM') continue;
      undo();
      throw error;
    }
    closeSync(opened);
    undo();
    throw new Error(
      `cannot inject the fault on this machine: ${file} still opens for writing after chattr +i`,
    );
  }
  return { undo };
}

/** A real small file system (tmpfs of `sizeBytes`) in a fresh folder; `unmount()` removes it. */
export function mountSmallDisk(sizeBytes: number): { path: string; unmount(): void } {
  const path = mkdtempSync(join(tmpdir(), 'shotclock-small-disk-'));
  try {
    run(
      'mount',
      ['-t', 'tmpfs', '-o', `size=${sizeBytes}`, 'tmpfs', path],
      'the test needs root with CAP_SYS_ADMIN (mount)',
    );
  } catch (error) {
    rmSync(path, { recursive: true, force: true });
    throw error;
  }
  return {
    path,
    unmount() {
      try {
        execFileSync('umount', [path], { stdio: 'pipe' });
      } catch {
        // Still busy (a file left open by a failed test): detach it now, freed once closed.
        run('umount', ['-l', path], 'unmount it by hand');
      }
      rmSync(path, { recursive: true, force: true });
    },
  };
}

/** Remounts the file system at `path` read-only (no file on it may be open for writing) and back. */
export function remountReadOnly(path: string): { undo(): void } {
  run(
    'mount',
    ['-o', 'remount,ro', path],
    'the test needs root with CAP_SYS_ADMIN and no file open for writing there',
  );
  return { undo: () => run('mount', ['-o', 'remount,rw', path], 'remount it read-write by hand') };
}

/** Writes `file` until the file system is full (ENOSPC, with big then single-byte writes). */
export function fillDisk(file: string): void {
  const fd = openSync(file, 'w');
  try {
    for (const size of [64 * 1024, 1]) {
      const chunk = Buffer.alloc(size, 1);
      for (;;) {
        try {
          writeSync(fd, chunk);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code === 'ENOSPC') break;
          throw error;
        }
      }
    }
  } finally {
    closeSync(fd);
  }
}
