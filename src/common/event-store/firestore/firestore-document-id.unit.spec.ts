import { documentIdOf } from './firestore-document-id.js';

describe('documentIdOf', () => {
  it('keeps ordinary texts as they are', () => {
    expect(documentIdOf('game-2026-01-22', 'stream id')).toBe('game-2026-01-22');
    expect(documentIdOf('emoji \ud83d\ude00 tab\t', 'event id')).toBe('emoji \ud83d\ude00 tab\t');
  });

  it('escapes what Firestore refuses or reserves, one to one', () => {
    const texts = [
      'a/b',
      'a%2Fb',
      '%',
      '%25',
      '.',
      '..',
      '%2E',
      '__name__',
      '%5F_name__',
      '',
      '%00',
      '_x_',
    ];
    const ids = texts.map((text) => documentIdOf(text, 'key'));
    expect(ids).toEqual([
      'a%2Fb',
      'a%252Fb',
      '%25',
      '%2525',
      '%2E',
      '%2E%2E',
      '%252E',
      '%5F_name__',
      '%255F_name__',
      '%00',
      '%2500',
      '_x_',
    ]);
    expect(new Set(ids).size).toBe(texts.length);
    for (const id of ids) expect(id).not.toContain('/');
  });

  it('refuses a text whose id would pass 1,500 bytes, naming it', () => {
    expect(documentIdOf('x'.repeat(1500), 'key')).toHaveLength(1500);
    expect(() => documentIdOf('/'.repeat(600), 'idempotency key "k"')).toThrow(
      /idempotency key "k" is 600 bytes long: .* at most 1500 bytes/,
    );
  });
});
