import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { AppError, type FileEncoding } from '@watchfloor/core';
import { chooseEncoding, decodedText, encodeWindows1258, isVietnameseSyllable, openText, sampleLine, vietnameseScore } from './encoding';
import { encodeTcvn3, encodeVni } from './legacy-vietnamese';
import { bufferSource, type FileSource } from './source';

const TEXT =
  'Đơn vị;Chỉ tiêu;Tháng 10 năm 2026\r\n' +
  'Tỉnh Trà Vinh;Số hồ sơ tiếp nhận;1.234\r\n' +
  'Phường Long Đức;Số hồ sơ giải quyết đúng hạn;987\r\n' +
  'Xã Nguyệt Hóa;Tỷ lệ hài lòng (%);95,5\r\n';

const utf16 = (text: string, order: 'le' | 'be') => {
  const le = Buffer.from(`\uFEFF${text}`, 'utf16le');
  return order === 'le' ? le : Buffer.from(le.map((_, i) => le[i ^ 1] ?? 0));
};

/** The same text in each encoding, as the tools that write them would. */
const FILES: [string, Buffer, FileEncoding][] = [
  ['UTF-8', Buffer.from(TEXT), 'utf-8'],
  ['UTF-8 with a BOM', Buffer.from(`\uFEFF${TEXT}`), 'utf-8'],
  ['UTF-16 LE', utf16(TEXT, 'le'), 'utf-16'],
  ['UTF-16 BE', utf16(TEXT, 'be'), 'utf-16'],
  ['Windows-1258', encodeWindows1258(TEXT), 'windows-1258'],
  ['TCVN3', encodeTcvn3(TEXT), 'tcvn3'],
  ['VNI', encodeVni(TEXT), 'vni'],
];

/** A file source that streams `size` bytes at a time, so marks and letters fall on either side of a chunk's end. */
function chunked(buffer: Buffer, size: number): FileSource {
  const chunks: Buffer[] = [];
  for (let i = 0; i < buffer.length; i += size) chunks.push(buffer.subarray(i, i + size));
  return { size: buffer.length, head: buffer.subarray(0, 8), stream: () => Readable.from(chunks), path: null, buffer: null };
}

async function textOf(source: FileSource, encoding: FileEncoding | null): Promise<string> {
  const { decoding } = await openText(source, encoding);
  let text = '';
  for await (const chunk of decodedText(source, decoding)) text += chunk;
  return text;
}

function codeOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof AppError) return e.code;
    throw e;
  }
  throw new Error('expected a refusal');
}

describe('Vietnamese syllables', () => {
  it('takes the syllables of real names and reports, in any case', () => {
    const words = 'Tỉnh Trà Vinh Phường Long Đức Số hồ sơ tiếp nhận Tháng năm NGHIÊNG quý giường gì gìn khuỷu hoà hòa thuở Nguyễn Ủy ban nhân dân Huyện Thị xã trấn Cần Thơ'.split(' ');
    expect(words.filter((w) => !isVietnameseSyllable(w))).toEqual([]);
  });

  it('refuses what a wrong reading makes of them', () => {
    // TCVN3 read as Windows-1258, Windows-1258 read as VNI, VNI read as Windows-1258; two tones; a tone in the wrong place.
    for (const w of ['TØnh', 'Trµ', 'ViÞnh', 'traì', 'Traø', 'Ðöùc', 'hóà', 'tóan', 'trf']) expect([w, isVietnameseSyllable(w)]).toEqual([w, false]);
  });

  it('scores a text by its words beyond ASCII', () => {
    expect(vietnameseScore('Tỉnh Trà Vinh, 2026')).toBe(2);
    expect(vietnameseScore('TØnh Trµ Vinh')).toBe(-2);
    expect(vietnameseScore('GRDP;86;2025')).toBe(0);
  });
});

describe('the encoding of a file', () => {
  it.each(FILES)('tells %s and reads it back exactly, however it is cut into chunks', async (_name, bytes, encoding) => {
    expect(chooseEncoding(bytes, null)).toMatchObject({ encoding, chosenBy: 'detected' });
    expect(await textOf(bufferSource(bytes), null)).toBe(TEXT);
    for (const size of [1, 2, 3, 7]) expect(await textOf(chunked(bytes, size), null)).toBe(TEXT);
  });

  it('takes a declared encoding that fits, and says so', async () => {
    for (const [, bytes, encoding] of FILES) {
      const { read } = await openText(bufferSource(bytes), encoding);
      expect(read).toEqual({ encoding, chosenBy: 'declared', sample: 'Đơn vị;Chỉ tiêu;Tháng 10 năm 2026' });
    }
  });

  it('reads UTF-16 without its mark only when declared', async () => {
    const bare = Buffer.from(TEXT, 'utf16le');
    expect(codeOf(() => chooseEncoding(bare, null))).toBe('unsupported_encoding');
    expect(await textOf(bufferSource(bare), 'utf-16')).toBe(TEXT);
  });

  it('gives a tie to Windows-1258', () => {
    // "xí" in Windows-1258 and VNI, "xớ" in TCVN3: one possible syllable each.
    expect(chooseEncoding(Buffer.from([0x78, 0xed, 0x0a]), null).encoding).toBe('windows-1258');
  });

  it('refuses bytes that read as Vietnamese in no encoding it knows', () => {
    expect(codeOf(() => chooseEncoding(Buffer.from([0x81, 0x8d, 0x3b, 0x8f, 0x90, 0x9d, 0x0a]), null))).toBe('unsupported_encoding');
  });

  it('refuses a declared encoding the bytes cannot be in', () => {
    const [, utf8] = FILES[0] ?? [];
    const [, bom16] = FILES[2] ?? [];
    if (!utf8 || !bom16) throw new Error('no files');
    const cases: [Buffer, FileEncoding][] = [
      [encodeWindows1258(TEXT), 'utf-8'],
      [utf8, 'tcvn3'],
      [bom16, 'windows-1258'],
      [Buffer.from(`\uFEFF${TEXT}`), 'utf-16'],
      [Buffer.from('indicator,place\n'), 'utf-16'],
      // Windows-1258 declared as TCVN3: its words are not Vietnamese in TCVN3, and are in Windows-1258.
      [encodeWindows1258(TEXT), 'tcvn3'],
    ];
    for (const [bytes, declared] of cases) expect([declared, codeOf(() => chooseEncoding(bytes, declared))]).toEqual([declared, 'encoding_mismatch']);
    // A file in plain ASCII fits any of them.
    expect(chooseEncoding(Buffer.from('indicator,place\n'), 'vni')).toMatchObject({ encoding: 'vni', chosenBy: 'declared' });
  });

  it('refuses a file that starts as UTF-8 and is not further on', async () => {
    const bytes = Buffer.concat([Buffer.from(`indicator;place\n${'GRDP;86\n'.repeat(10_000)}`), encodeWindows1258('Trà Vinh\n')]);
    await expect(textOf(bufferSource(bytes), null)).rejects.toMatchObject({ code: 'unsupported_encoding' });
    await expect(textOf(bufferSource(bytes), 'utf-8')).rejects.toMatchObject({ code: 'encoding_mismatch' });
  });

  it('shows the first line holding a letter beyond ASCII', () => {
    expect(sampleLine('indicator;place\r\nGRDP;Trà Vinh\r\n')).toBe('GRDP;Trà Vinh');
    expect(sampleLine('\r\nindicator;place\r\n')).toBe('indicator;place');
    expect(sampleLine(`${'x'.repeat(300)}é`)).toHaveLength(201);
  });
});
