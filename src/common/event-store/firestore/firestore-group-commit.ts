/** How one item of a group came out. */
export type GroupOutcome<R> = { ok: true; value: R } | { ok: false; error: unknown };

interface Waiting<T, R> {
  item: T;
  resolve: (value: R) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit: items asked for in the same turn of the event loop are committed together by one
 * call of `commit`, which answers each item on its own (one item's refusal is not the others').
 * A group stops growing at `maxWeight` (an item heavier than that goes alone). Groups do not wait
 * for each other: a slow commit does not hold back the next group.
 */
export class GroupCommit<T, R> {
  private queue: Array<Waiting<T, R>> = [];
  private scheduled = false;

  constructor(
    private readonly commit: (items: readonly T[]) => Promise<Array<GroupOutcome<R>>>,
    private readonly weightOf: (item: T) => number,
    private readonly maxWeight: number,
  ) {}

  run(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (this.scheduled) return;
      this.scheduled = true;
      setImmediate(() => this.flush());
    });
  }

  private flush(): void {
    this.scheduled = false;
    while (this.queue.length > 0) void this.commitGroup(this.takeGroup());
  }

  private takeGroup(): Array<Waiting<T, R>> {
    let weight = 0;
    let size = 0;
    while (size < this.queue.length) {
      const next = this.weightOf(this.queue[size]!.item);
      if (size > 0 && weight + next > this.maxWeight) break;
      weight += next;
      size += 1;
    }
    return this.queue.splice(0, size);
  }

  private async commitGroup(group: Array<Waiting<T, R>>): Promise<void> {
    let outcomes: Array<GroupOutcome<R>>;
    try {
      outcomes = await this.commit(group.map((waiting) => waiting.item));
    } catch (error) {
      for (const waiting of group) waiting.reject(error);
      return;
    }
    group.forEach((waiting, index) => {
      const outcome = outcomes[index]!;
      if (outcome.ok) waiting.resolve(outcome.value);
      else waiting.reject(outcome.error);
    });
  }
}
