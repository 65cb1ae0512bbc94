import { localPidOf } from '../config/service-identity.js';

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
  const pid = localPidOf(holder);
  return pid !== null && pid !== process.pid && !processExists(pid);
}
