import { hostname } from 'node:os';

/** `<hostname>-<pid>`: the default INSTANCE_ID (service-identity.ts). */
const DEFAULT_ID = /^(.+)-(\d+)$/;

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user; ESRCH: no such process.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Whether `holder` is a default instance id of a process of this host that no longer exists
 * (the service restarted after a crash): its leases can be taken at once instead of after their
 * TTL. Explicit INSTANCE_IDs and other hosts' processes are never judged here.
 */
export function isDeadLocalHolder(holder: string): boolean {
  const match = DEFAULT_ID.exec(holder);
  if (!match || match[1] !== hostname()) return false;
  const pid = Number(match[2]);
  return pid !== process.pid && !processExists(pid);
}
