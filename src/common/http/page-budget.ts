/**
 * Bounds the bytes of a list page as well as its count (RESPONSE_PAGE_MAX_BYTES): items are taken
 * in order while their serialised JSON fits the budget, and the page ends early (with a cursor)
 * at the first that does not. The first item is always taken, so a client following the cursor
 * always moves on; its size is bounded by the text limits of what it holds.
 */
export class PageBudget {
  private usedBytes = 0;
  private taken = 0;

  constructor(private readonly maxBytes: number) {}

  /** Whether `item` joins the page (then it is counted); false once the budget would be passed. */
  admit(item: unknown): boolean {
    // Items are joined with a comma in the JSON array.
    const bytes = Buffer.byteLength(JSON.stringify(item) ?? 'null') + (this.taken > 0 ? 1 : 0);
    if (this.taken > 0 && this.usedBytes + bytes > this.maxBytes) return false;
    this.usedBytes += bytes;
    this.taken++;
    return true;
  }
}

/** One row of a page read from a store: the item to show (null: nothing to show) and its cursor. */
export interface PageEntry<T> {
  item: T | null;
  cursor: string;
}

export interface BoundedPage<T> {
  items: T[];
  /** The cursor of the next page, or null when the store had no more rows. */
  next: string | null;
}

/**
 * The page of `entries` (read with `limit`, in cursor order) that fits `maxBytes`. `next` is the
 * cursor of the last entry shown when the page was cut, and otherwise what every list answered
 * before: the last cursor when the store returned `limit` rows (there may be more), else null.
 * Entries without an item (an index row whose document is gone) move the cursor but show nothing.
 */
export function boundedPage<T>(
  entries: readonly PageEntry<T>[],
  limit: number,
  maxBytes: number,
): BoundedPage<T> {
  const budget = new PageBudget(maxBytes);
  const items: T[] = [];
  let lastCursor: string | null = null;
  for (const entry of entries) {
    if (entry.item !== null) {
      if (!budget.admit(entry.item)) return { items, next: lastCursor };
      items.push(entry.item);
    }
    lastCursor = entry.cursor;
  }
  return { items, next: entries.length >= limit ? lastCursor : null };
}
