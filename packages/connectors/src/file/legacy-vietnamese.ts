/**
 * The two pre-Unicode Vietnamese font encodings that older provincial tools
 * still export, read into Unicode (NFC), with their inverses (to make files
 * in them, e.g. for tests). Neither is in ICU or iconv: they are encodings
 * of fonts (.VnTime, VNI-Times), not registered character sets.
 *
 * Tables written from the published charts:
 * - TCVN3 (ABC, VSCII-3, TCVN 5712:1993 VN3): the VSCII article's code chart
 *   (https://en.wikipedia.org/wiki/VSCII) and the comparison table "Unicode &
 *   Vietnamese Legacy Character Encodings" of the Vietnamese Unicode FAQs
 *   (http://vietunicode.sourceforge.net/charset/), which also gives VNI.
 * - VNI Windows: the same comparison table; cross-checked against "Bảng đối
 *   chiếu encoding các bộ chữ hiện hành với Unicode"
 *   (https://www.scribd.com/document/23311958/Bang-Ma-Unicode).
 */

/** The five tone marks, in the order the TCVN3 chart lists each vowel's codes: huyền, hỏi, ngã, sắc, nặng. */
const TONES = ['\u0300', '\u0309', '\u0303', '\u0301', '\u0323'] as const;

const nfc = (s: string) => s.normalize('NFC');

// ---- TCVN3 -----------------------------------------------------------------

/**
 * TCVN3 is single-byte: ASCII unchanged, 0xA0 a no-break space, the seven
 * capitals without tone (Ă Â Ê Ô Ơ Ư Đ) and the 67 lower-case letters with
 * their tones precomposed. A capital with a tone has no code: it is written
 * with the lower-case code in a capital font (.VnTimeH), so the file holds
 * the lower-case letter.
 */
const TCVN3_PLAIN: readonly (readonly [number, string])[] = [
  [0xa0, '\u00a0'],
  [0xa1, 'Ă'],
  [0xa2, 'Â'],
  [0xa3, 'Ê'],
  [0xa4, 'Ô'],
  [0xa5, 'Ơ'],
  [0xa6, 'Ư'],
  [0xa7, 'Đ'],
  [0xa8, 'ă'],
  [0xa9, 'â'],
  [0xaa, 'ê'],
  [0xab, 'ô'],
  [0xac, 'ơ'],
  [0xad, 'ư'],
  [0xae, 'đ'],
];

/** Each vowel's five toned forms, codes in the order of TONES. */
const TCVN3_TONED: readonly (readonly [string, readonly number[]])[] = [
  ['a', [0xb5, 0xb6, 0xb7, 0xb8, 0xb9]],
  ['ă', [0xbb, 0xbc, 0xbd, 0xbe, 0xc6]],
  ['â', [0xc7, 0xc8, 0xc9, 0xca, 0xcb]],
  ['e', [0xcc, 0xce, 0xcf, 0xd0, 0xd1]],
  ['ê', [0xd2, 0xd3, 0xd4, 0xd5, 0xd6]],
  ['i', [0xd7, 0xd8, 0xdc, 0xdd, 0xde]],
  ['o', [0xdf, 0xe1, 0xe2, 0xe3, 0xe4]],
  ['ô', [0xe5, 0xe6, 0xe7, 0xe8, 0xe9]],
  ['ơ', [0xea, 0xeb, 0xec, 0xed, 0xee]],
  ['u', [0xef, 0xf1, 0xf2, 0xf3, 0xf4]],
  ['ư', [0xf5, 0xf6, 0xf7, 0xf8, 0xf9]],
  ['y', [0xfa, 0xfb, 0xfc, 0xfd, 0xfe]],
];

/**
 * Windows-1252 for what a table leaves out above 0x7F (curly quotes, dashes
 * that Windows tools write in any font). Written out for 0x80–0x9F: Node's
 * TextDecoder reads its label as Latin-1, which is right from 0xA0 only.
 */
const CP1252_80 = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f,
  0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
];
const cp1252Char = (b: number) => String.fromCharCode(b >= 0x80 && b < 0xa0 ? (CP1252_80[b - 0x80] ?? b) : b);

/** The text of each of the 256 TCVN3 bytes; the chart's unassigned codes (0xAF, 0xB0–0xB4, …) read as U+FFFD. */
export const TCVN3_TABLE: readonly string[] = (() => {
  const t: string[] = [];
  for (let b = 0; b < 256; b++) t.push(b < 0x80 ? String.fromCharCode(b) : b < 0xa0 ? cp1252Char(b) : '\uFFFD');
  for (const [b, c] of TCVN3_PLAIN) t[b] = c;
  for (const [v, codes] of TCVN3_TONED) codes.forEach((b, i) => (t[b] = nfc(v + TONES[i])));
  return t;
})();

/** The lower-case letters TCVN3 gives codes to above ASCII (those a capital font shows as capitals). */
const TCVN3_LOWER = new Set(TCVN3_TABLE.slice(0xa8).filter((c) => c !== '\uFFFD' && c.length === 1 && c !== c.toUpperCase()));

/** Writes UTF-16 code units as little-endian bytes (whatever the machine's order), to be read back as one string. */
class Utf16Out {
  private readonly bytes: Buffer;
  private n = 0;
  constructor(units: number) {
    this.bytes = Buffer.allocUnsafe(units * 2);
  }
  push(u: number) {
    this.bytes[this.n++] = u & 0xff;
    this.bytes[this.n++] = u >> 8;
  }
  text(): string {
    return this.bytes.toString('utf16le', 0, this.n);
  }
}

/** Each TCVN3 byte's one UTF-16 code unit. */
const TCVN3_UNITS = Uint16Array.from(TCVN3_TABLE, (c) => c.charCodeAt(0));

/** TCVN3 bytes as text, one character a byte, before the capital-font fix. */
export function tcvn3Chars(bytes: Uint8Array): string {
  const out = new Utf16Out(bytes.length);
  for (let i = 0; i < bytes.length; i++) out.push(TCVN3_UNITS[bytes[i] ?? 0] ?? 0xfffd);
  return out.text();
}

/** Letters as TCVN3 text has them: ASCII and the Latin letters of its table (it has no combining marks). */
const LETTERS = /[A-Za-z\u00C0-\u024F\u1E00-\u1EFF]+/g;
const isUpper = (c: string) => c !== c.toLowerCase() && c === c.toUpperCase();
const isLower = (c: string) => c !== c.toUpperCase() && c === c.toLowerCase();

/**
 * Capitals typed in a capital font: a word holding a TCVN3 lower-case
 * letter whose other letters are capitals, at least two of them ("TØNH" →
 * "TỈNH", "§øC" → "ĐỨC"), is all capitals. A word with one other letter
 * ("Sè") is left as it reads ("Số"): "Số" is far more common than "SỐ".
 */
export function tcvn3Capitals(text: string): string {
  return text.replace(LETTERS, (word) => {
    let upper = 0;
    let legacy = false;
    for (const c of word) {
      if (TCVN3_LOWER.has(c)) legacy = true;
      else if (isLower(c)) return word;
      else if (isUpper(c)) upper++;
    }
    return legacy && upper >= 2 ? word.toUpperCase() : word;
  });
}

/** A whole TCVN3 text (a file or a cell) as Unicode NFC. */
export function decodeTcvn3(bytes: Uint8Array): string {
  return nfc(tcvn3Capitals(tcvn3Chars(bytes)));
}

/** TCVN3 codes of text; a capital with a tone takes its lower-case code, as a capital font would. Throws on a character TCVN3 cannot write. */
export function encodeTcvn3(text: string): Buffer {
  const out: number[] = [];
  for (const c of nfc(text)) {
    const b = TCVN3_CODES.get(c) ?? TCVN3_CODES.get(c.toLowerCase());
    if (b === undefined) throw new Error(`TCVN3 has no code for ${JSON.stringify(c)}`);
    out.push(b);
  }
  return Buffer.from(out);
}

const TCVN3_CODES = new Map<string, number>();
for (let b = 255; b >= 0; b--) {
  const c = TCVN3_TABLE[b];
  if (c !== undefined && c !== '\uFFFD') TCVN3_CODES.set(c, b);
}

// ---- VNI -------------------------------------------------------------------

/**
 * VNI Windows keeps ASCII and writes most vowels with a tone or a hat as
 * the ASCII base letter followed by one byte for its marks ("á" = a + 0xF9,
 * "ấ" = a + 0xE1, "ặ" = a + 0xEB); i, y with a dot, đ, ơ and ư have single
 * bytes of their own, and ơ, ư take a tone byte after them ("ớ" = 0xF4 +
 * 0xF9). The byte for a capital is 0x20 below the lower-case one (the
 * capitals' marks too: "Á" = A + 0xD9).
 */
const VNI_LETTERS: readonly (readonly [number, string])[] = [
  [0xf1, 'đ'],
  [0xf4, 'ơ'],
  [0xf6, 'ư'],
  [0xec, 'ì'],
  [0xe6, 'ỉ'],
  [0xf3, 'ĩ'],
  [0xed, 'í'],
  [0xf2, 'ị'],
  [0xee, 'ỵ'],
];

/** The bytes that follow a base letter, each with the combining marks it adds (lower-case bytes; a capital's is 0x20 less). */
const VNI_MARKS: readonly (readonly [number, string])[] = [
  // A tone alone (a, e, i, o, u, y, ơ, ư).
  [0xf8, '\u0300'],
  [0xfb, '\u0309'],
  [0xf5, '\u0303'],
  [0xf9, '\u0301'],
  [0xef, '\u0323'],
  // The circumflex (â, ê, ô), alone and with each tone.
  [0xe2, '\u0302'],
  [0xe0, '\u0302\u0300'],
  [0xe5, '\u0302\u0309'],
  [0xe3, '\u0302\u0303'],
  [0xe1, '\u0302\u0301'],
  [0xe4, '\u0302\u0323'],
  // The breve (ă), alone and with each tone.
  [0xea, '\u0306'],
  [0xe8, '\u0306\u0300'],
  [0xfa, '\u0306\u0309'],
  [0xfc, '\u0306\u0303'],
  [0xe9, '\u0306\u0301'],
  [0xeb, '\u0306\u0323'],
];

const CAPITAL = 0x20;

/** The text of each of the 256 VNI bytes: marks as combining characters (NFC joins them to their letter); other bytes above 0x7F as Windows-1252. */
export const VNI_TABLE: readonly string[] = (() => {
  const t: string[] = [];
  for (let b = 0; b < 256; b++) t.push(b < 0x80 ? String.fromCharCode(b) : cp1252Char(b));
  for (const [b, c] of VNI_LETTERS) {
    t[b] = c;
    t[b - CAPITAL] = c.toUpperCase();
  }
  for (const [b, m] of VNI_MARKS) {
    t[b] = m;
    t[b - CAPITAL] = m;
  }
  return t;
})();

/** Each VNI byte's UTF-16 code units (one or two), and how many. */
const VNI_UNITS = VNI_TABLE.map((c) => [...c].map((x) => x.charCodeAt(0)));

/** VNI bytes as text, one string a byte, before the marks are joined to their letters (NFC). */
export function vniChars(bytes: Uint8Array): string {
  const out = new Utf16Out(bytes.length * 2);
  for (let i = 0; i < bytes.length; i++) for (const u of VNI_UNITS[bytes[i] ?? 0] ?? []) out.push(u);
  return out.text();
}

/** A whole VNI text as Unicode NFC. */
export function decodeVni(bytes: Uint8Array): string {
  return nfc(vniChars(bytes));
}

/** Each precomposed letter VNI writes, as its bytes. */
const VNI_CODES: ReadonlyMap<string, readonly number[]> = (() => {
  const m = new Map<string, number[]>();
  const add = (c: string, bytes: number[]) => {
    if (!m.has(c)) m.set(c, bytes);
  };
  for (const [b, c] of VNI_LETTERS) {
    add(c, [b]);
    add(c.toUpperCase(), [b - CAPITAL]);
  }
  for (const base of 'aeiouy') {
    for (const [b, marks] of VNI_MARKS) {
      const lower = nfc(base + marks);
      if (lower.length !== 1) continue;
      add(lower, [base.charCodeAt(0), b]);
      add(lower.toUpperCase(), [base.toUpperCase().charCodeAt(0), b - CAPITAL]);
    }
  }
  for (const [base, byte] of [
    ['ơ', 0xf4],
    ['ư', 0xf6],
  ] as const) {
    for (const [b, marks] of VNI_MARKS.slice(0, 5)) {
      const lower = nfc(base + marks);
      add(lower, [byte, b]);
      add(lower.toUpperCase(), [byte - CAPITAL, b - CAPITAL]);
    }
  }
  return m;
})();

/** VNI bytes of text. Throws on a character VNI cannot write. */
export function encodeVni(text: string): Buffer {
  const out: number[] = [];
  for (const c of nfc(text)) {
    const code = c.charCodeAt(0);
    if (c.length === 1 && code < 0x80) out.push(code);
    else {
      const bytes = VNI_CODES.get(c);
      if (!bytes) throw new Error(`VNI has no code for ${JSON.stringify(c)}`);
      out.push(...bytes);
    }
  }
  return Buffer.from(out);
}
