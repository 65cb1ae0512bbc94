import { RecentSet } from './recent-set.js';

describe('RecentSet', () => {
  it('never holds more than its capacity: adding one more forgets the oldest', () => {
    const set = new RecentSet<string>(3);
    for (const id of ['a', 'b', 'c', 'd', 'e']) set.add(id);
    expect(set.size).toBe(3);
    expect(['a', 'b', 'c', 'd', 'e'].filter((id) => set.has(id))).toEqual(['c', 'd', 'e']);
  });

  it('keeps a member found by has over older ones', () => {
    const set = new RecentSet<string>(2);
    set.add('a');
    set.add('b');
    expect(set.has('a')).toBe(true);
    set.add('c');
    expect(set.has('a')).toBe(true);
    expect(set.has('b')).toBe(false);
    expect(set.has('c')).toBe(true);
  });

  it('counts a member added twice once', () => {
    const set = new RecentSet<number>(2);
    set.add(1);
    set.add(1);
    set.add(2);
    expect(set.size).toBe(2);
    expect(set.has(1)).toBe(true);
  });

  it('refuses a capacity that is not a positive integer', () => {
    expect(() => new RecentSet(0)).toThrow('positive integer, got 0');
  });
});
