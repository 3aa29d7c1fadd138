import { describe, expect, it } from 'vitest';
import { decodeTcvn3, decodeVni, encodeTcvn3, encodeVni, TCVN3_TABLE, VNI_TABLE } from './legacy-vietnamese';

/** Every Vietnamese vowel with every tone (72 forms), and đ: the letters beyond ASCII, in lower case. */
const VOWELS = [...'aăâeêioôơuưy'];
const TONES = ['', '\u0300', '\u0309', '\u0303', '\u0301', '\u0323'];
const lower = [...VOWELS.flatMap((v) => TONES.map((t) => (v + t).normalize('NFC'))), 'đ'];
const upper = lower.map((c) => c.toUpperCase());
const beyondAscii = (cs: string[]) => cs.filter((c) => c.charCodeAt(0) > 0x7f);

const hex = (b: Buffer) => [...b].map((x) => x.toString(16).padStart(2, '0')).join(' ');

const SENTENCE = 'Tỉnh Trà Vinh; Phường Long Đức; Số hồ sơ tiếp nhận; Tháng 10 năm 2026';

describe('TCVN3 (ABC)', () => {
  it('gives each of the 67 lower-case letters beyond ASCII a byte of its own, and the 7 capitals without tone', () => {
    const letters = beyondAscii(lower);
    expect(letters).toHaveLength(67);
    const codes = letters.map((c) => encodeTcvn3(c));
    expect(codes.every((b) => b.length === 1)).toBe(true);
    expect(new Set(codes.map((b) => b[0])).size).toBe(67);
    expect(letters.map((c) => decodeTcvn3(encodeTcvn3(c)))).toEqual(letters);
    expect(hex(encodeTcvn3('ĂÂÊÔƠƯĐ'))).toBe('a1 a2 a3 a4 a5 a6 a7');
  });

  it('matches the published chart, row by row', () => {
    // Each vowel's codes in the chart's order: grave, hook, tilde, acute, dot below.
    expect(hex(encodeTcvn3('àảãáạ'))).toBe('b5 b6 b7 b8 b9');
    expect(hex(encodeTcvn3('ằẳẵắặ'))).toBe('bb bc bd be c6');
    expect(hex(encodeTcvn3('èẻẽéẹ'))).toBe('cc ce cf d0 d1');
    expect(hex(encodeTcvn3('ìỉĩíị'))).toBe('d7 d8 dc dd de');
    expect(hex(encodeTcvn3('òỏõóọ'))).toBe('df e1 e2 e3 e4');
    expect(hex(encodeTcvn3('ờởỡớợ'))).toBe('ea eb ec ed ee');
    expect(hex(encodeTcvn3('ùủũúụ'))).toBe('ef f1 f2 f3 f4');
    expect(hex(encodeTcvn3('ỳỷỹýỵ'))).toBe('fa fb fc fd fe');
    expect(hex(encodeTcvn3('ăâêôơưđ'))).toBe('a8 a9 aa ab ac ad ae');
    expect(TCVN3_TABLE.slice(0, 0x80).join('')).toBe(Array.from({ length: 0x80 }, (_, i) => String.fromCharCode(i)).join(''));
    expect(TCVN3_TABLE[0xb0]).toBe('\uFFFD');
  });

  it('reads a sentence back as written', () => {
    expect(decodeTcvn3(encodeTcvn3(SENTENCE))).toBe(SENTENCE);
    expect(hex(encodeTcvn3('Tỉnh Trà'))).toBe('54 d8 6e 68 20 54 72 b5');
  });

  it('reads capitals typed in a capital font as capitals, when the word has two other capitals', () => {
    // A capital font shows the lower-case codes as capitals: the file holds "TØNH TRµ VINH".
    expect(hex(encodeTcvn3('TỈNH'))).toBe('54 d8 4e 48');
    expect(decodeTcvn3(encodeTcvn3('BÁO CÁO TỈNH TRÀ VINH, PHƯỜNG LONG ĐỨC'))).toBe('BÁO CÁO TỈNH TRÀ VINH, PHƯỜNG LONG ĐỨC');
    // With one other letter the word stays as read: "Số" is the usual spelling.
    expect(decodeTcvn3(encodeTcvn3('SỐ'))).toBe('Số');
    expect(decodeTcvn3(encodeTcvn3('Số hồ sơ'))).toBe('Số hồ sơ');
  });
});

describe('VNI Windows', () => {
  it('writes every vowel with every tone, and đ, in both cases, and reads them back', () => {
    const letters = [...beyondAscii(lower), ...beyondAscii(upper)];
    expect(letters).toHaveLength(134);
    expect(letters.map((c) => decodeVni(encodeVni(c)))).toEqual(letters);
    // Two bytes at most, and no two letters alike.
    expect(letters.every((c) => encodeVni(c).length <= 2)).toBe(true);
    expect(new Set(letters.map((c) => hex(encodeVni(c)))).size).toBe(134);
  });

  it('matches the published chart', () => {
    expect(hex(encodeVni('á à ả ã ạ'))).toBe('61 f9 20 61 f8 20 61 fb 20 61 f5 20 61 ef');
    expect(hex(encodeVni('ấ ặ ê'))).toBe('61 e1 20 61 eb 20 65 e2');
    expect(hex(encodeVni('Á Ấ Ặ'))).toBe('41 d9 20 41 c1 20 41 cb');
    expect(hex(encodeVni('ơ ớ ư ự Ự'))).toBe('f4 20 f4 f9 20 f6 20 f6 ef 20 d6 cf');
    expect(hex(encodeVni('đ Đ í ì ỉ ĩ ị ỵ Ỵ'))).toBe('f1 20 d1 20 ed 20 ec 20 e6 20 f3 20 f2 20 ee 20 ce');
    expect(VNI_TABLE[0xf9]).toBe('\u0301');
    // Outside the chart, Windows-1252: the dashes and quotes Windows tools write in any font.
    expect([VNI_TABLE[0x96], TCVN3_TABLE[0x93], TCVN3_TABLE[0xa0]]).toEqual(['–', '“', '\u00a0']);
  });

  it('reads a sentence back as written', () => {
    expect(decodeVni(encodeVni(SENTENCE))).toBe(SENTENCE);
    expect(decodeVni(encodeVni(SENTENCE.toUpperCase()))).toBe(SENTENCE.toUpperCase());
  });
});
