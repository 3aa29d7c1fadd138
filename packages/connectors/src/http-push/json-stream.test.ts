import { describe, expect, it } from 'vitest';
import { AppError } from '@watchfloor/core';
import { decodeUtf8, limitBytes, MAX_ROW_CHARS, type ReadRow } from '../rows';
import { readJsonArray, readNdjson } from './json-stream';

/** A text delivered in chunks of `size` characters, as a network would cut it. */
async function* chunks(text: string, size: number): AsyncGenerator<string> {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
}

async function all(rows: AsyncIterable<ReadRow>): Promise<ReadRow[]> {
  const out: ReadRow[] = [];
  for await (const r of rows) out.push(r);
  return out;
}

const summary = (rows: ReadRow[]) => rows.map((r) => (r.problem ? `${r.line}:${r.problem.reason}` : `${r.line}:${JSON.stringify(r.value)}`));

describe('NDJSON bodies', () => {
  const body = '{"a":1}\r\n\n{"a":2}\n{"a": oops}\n  \n[1,2]\n{"a":"x\\ny"}';

  it('reads a row a line, with the line of each, whatever the chunking', async () => {
    for (const size of [1, 3, 7, 1000]) {
      expect(summary(await all(readNdjson(chunks(body, size))))).toEqual(['1:{"a":1}', '3:{"a":2}', '4:invalid_json', '6:not_an_object', '7:{"a":"x\\ny"}']);
    }
  });

  it('keeps a malformed line as it was sent, with a message naming its line', async () => {
    const bad = (await all(readNdjson(chunks(body, 5)))).find((r) => r.problem?.reason === 'invalid_json');
    expect(bad).toMatchObject({ line: 4, raw: '{"a": oops}' });
    expect(bad?.problem?.message).toMatch(/^Line 4 is not valid JSON/);
  });

  it('refuses a line longer than the limit without holding it, and reads on', async () => {
    const long = `{"a":"${'x'.repeat(MAX_ROW_CHARS + 10)}"}`;
    const rows = await all(readNdjson(chunks(`${long}\n{"a":3}\n`, 64 * 1024)));
    expect(summary(rows)).toEqual(['1:row_too_long', '2:{"a":3}']);
    expect(rows[0]!.raw.length).toBeLessThan(1000);
  });
});

describe('JSON bodies', () => {
  it('reads the elements of a top-level array one by one', async () => {
    const body = '[\n {"a": "[not a bracket]", "b": "quote \\" inside"},\n {"a": 2}\n]\n';
    for (const size of [1, 2, 5, 1000]) expect(summary(await all(readJsonArray(chunks(body, size))))).toEqual(['2:{"a":"[not a bracket]","b":"quote \\" inside"}', '3:{"a":2}']);
  });

  it('reads the observations member of an object, ignoring the others', async () => {
    const body = '{"source": "x", "meta": [1, {"observations": []}],\n "observations": [{"a": 1},\n{"a": 2}], "after": true}';
    expect(summary(await all(readJsonArray(chunks(body, 4))))).toEqual(['2:{"a":1}', '3:{"a":2}']);
  });

  it('rejects an element that does not parse and reads the next', async () => {
    const body = '[{"a": 1},\n{a: 2},\n{"a": 3}]';
    expect(summary(await all(readJsonArray(chunks(body, 3))))).toEqual(['1:{"a":1}', '2:invalid_json', '3:{"a":3}']);
  });

  it('stops at a broken structure with one rejected row, keeping the rows before it', async () => {
    expect(summary(await all(readJsonArray(chunks('[{"a": 1},\n{"a": 2', 4))))).toEqual(['1:{"a":1}', '2:invalid_json']);
    expect(summary(await all(readJsonArray(chunks('[{"a": 1}}', 4))))).toEqual(['1:invalid_json']);
    expect(summary(await all(readJsonArray(chunks('{"rows": []}', 4))))).toEqual(['1:invalid_json']);
    expect(summary(await all(readJsonArray(chunks('"hello"', 4))))).toEqual(['1:invalid_json']);
    expect(summary(await all(readJsonArray(chunks('[{"a": "unterminated', 4))))).toEqual(['1:invalid_json']);
    expect(summary(await all(readJsonArray(chunks('[] x', 4))))).toEqual(['1:invalid_json']);
  });

  it('reads nothing from an empty body', async () => {
    expect(await all(readJsonArray(chunks('  \n', 4)))).toEqual([]);
    expect(await all(readJsonArray(chunks('[]', 4)))).toEqual([]);
  });
});

describe('body limits and encoding', () => {
  it('refuses a body past the limit at the chunk that crosses it', async () => {
    const seen: number[] = [];
    const run = async () => {
      for await (const b of limitBytes(chunks('x'.repeat(100), 30), 70)) seen.push(b.length);
    };
    const e = await run().catch((x: unknown) => x);
    expect(e).toBeInstanceOf(AppError);
    expect(e).toMatchObject({ code: 'body_too_large' });
    expect(seen).toEqual([30, 30]);
  });

  it('decodes UTF-8 cut anywhere, drops a BOM, and refuses other encodings', async () => {
    const bytes = Buffer.from('\uFEFF{"note":"Sở Tài chính"}', 'utf8');
    async function* bytewise(b: Buffer) {
      for (const x of b) yield Buffer.from([x]);
    }
    let text = '';
    for await (const t of decodeUtf8(bytewise(bytes))) text += t;
    expect(text).toBe('{"note":"Sở Tài chính"}');
    const latin = Buffer.from([0x7b, 0x22, 0xd0, 0x22, 0x7d]);
    const e = await (async () => {
      for await (const _ of decodeUtf8(bytewise(latin))) void _;
    })().catch((x: unknown) => x);
    expect(e).toMatchObject({ code: 'unsupported_encoding', status: 415 });
  });
});
