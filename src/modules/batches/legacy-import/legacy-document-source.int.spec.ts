import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir } from '../../../../test/support/temp-dir.js';
import { openLegacyDocuments, type SourceItem } from './legacy-document-source.js';

describe('openLegacyDocuments', () => {
  const dir = makeTempDir('shotclock-legacy-source-');
  afterAll(() => dir.cleanup());

  async function read(name: string, text: string) {
    const path = join(dir.path, name);
    writeFileSync(path, text);
    const source = await openLegacyDocuments(path);
    const items: SourceItem[] = [];
    for await (const item of source.items) items.push(item);
    return { format: source.format, total: source.total, items };
  }

  it('streams NDJSON with line numbers, skipping blank lines and reporting bad ones', async () => {
    const result = await read('a.ndjson', '{"a":1}\n\n not json\r\n{"b":2}\n');
    expect(result.format).toBe('ndjson');
    expect(result.total).toBeNull();
    expect(result.items.map((item) => item.location)).toEqual(['line 1', 'line 3', 'line 4']);
    expect(result.items[1]!.problem).toMatch(/^not JSON: /);
    expect(result.items[2]!.value).toEqual({ b: 2 });
  });

  it('reads a JSON array with its size known and a pretty-printed single document', async () => {
    const array = await read('a.json', '[\n  {"a": 1},\n  {"b": 2}\n]\n');
    expect(array).toMatchObject({ format: 'json-array', total: 2 });
    expect(array.items.map((item) => item.location)).toEqual(['index 0', 'index 1']);
    const single = await read('d.json', '{\n  "description": "x",\n  "document": {"a": 1}\n}\n');
    expect(single).toMatchObject({ format: 'json-document', total: 1 });
    expect(single.items[0]).toEqual({
      location: 'document',
      value: { description: 'x', document: { a: 1 } },
    });
  });

  it('reads an empty file as no documents, and names a broken JSON array', async () => {
    expect(await read('empty.json', '\n\n')).toMatchObject({ total: 0, items: [] });
    await expect(read('broken.json', '[{"a": 1},')).rejects.toThrow(
      /starts with '\[' but is not valid JSON/,
    );
  });
});
