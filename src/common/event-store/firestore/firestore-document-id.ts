/** Firestore refuses document ids longer than this many UTF-8 bytes. */
const MAX_DOCUMENT_ID_BYTES = 1500;

/**
 * The document id of an arbitrary text (a stream id, event id, key): the text itself when
 * Firestore accepts it, else escaped one to one: `%` and `/` percent-encoded, the reserved ids
 * `.` and `..` as `%2E`, an id of the form `__x__` with its first `_` as `%5F`, the empty text as
 * `%00` (a literal `%` is always escaped, so no escaped id equals another text's id).
 */
export function documentIdOf(text: string, what: string): string {
  let id = text.replaceAll('%', '%25').replaceAll('/', '%2F');
  if (id === '') id = '%00';
  else if (id === '.') id = '%2E';
  else if (id === '..') id = '%2E%2E';
  else if (/^__.*__$/s.test(id)) id = `%5F${id.slice(1)}`;
  const idBytes = Buffer.byteLength(id, 'utf8');
  if (idBytes > MAX_DOCUMENT_ID_BYTES) {
    throw new Error(
      `${what} is ${Buffer.byteLength(text, 'utf8')} bytes long: as a Firestore document id ` +
        `(escaped: ${idBytes} bytes) it must be at most ${MAX_DOCUMENT_ID_BYTES} bytes; use a shorter one`,
    );
  }
  return id;
}
