/**
 * A set that holds at most `capacity` members: adding one more forgets the least recently used
 * (added or found by `has`). For caches of facts that never change, e.g. "this batch exists":
 * a forgotten member costs one lookup, while an unbounded set grows with every id ever seen.
 */
export class RecentSet<T> {
  // A Map keeps insertion order: re-inserting a member moves it to the end (most recent).
  private readonly members = new Map<T, true>();

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new Error(`RecentSet capacity must be a positive integer, got ${capacity}`);
    }
  }

  get size(): number {
    return this.members.size;
  }

  has(member: T): boolean {
    if (!this.members.has(member)) return false;
    this.members.delete(member);
    this.members.set(member, true);
    return true;
  }

  add(member: T): void {
    this.members.delete(member);
    this.members.set(member, true);
    if (this.members.size > this.capacity) {
      const oldest = this.members.keys().next();
      if (!oldest.done) this.members.delete(oldest.value);
    }
  }
}
