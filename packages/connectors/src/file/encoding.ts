import { AppError, type FileEncoding } from '@watchfloor/core';
import { decodeTcvn3, tcvn3Capitals, tcvn3Chars, vniChars, decodeVni } from './legacy-vietnamese';
import type { FileSource } from './source';

/**
 * The character encoding of a CSV file, declared or told from its bytes,
 * and its text as Unicode NFC, read as it streams.
 *
 * How the encoding is told (deterministic; the first rule that applies):
 * 1. A byte-order mark: EF BB BF is UTF-8, FF FE UTF-16 LE, FE FF UTF-16 BE.
 * 2. The first 64 KiB are valid UTF-8 (plain ASCII is), and not one byte in
 *    ten is zero (as in UTF-16 without its mark, every other byte): UTF-8.
 * 3. Otherwise they are read as Windows-1258, TCVN3 and VNI in turn, and
 *    each reading is scored by its words that hold a letter beyond ASCII:
 *    +1 for each that is a possible Vietnamese syllable (initial, vowels,
 *    final and tone placement), −1 for each that is not, −1 for each
 *    control or unassigned character. The highest score wins; a tie goes
 *    to Windows-1258, then TCVN3 (the order of how common they are). A best
 *    score of 0 or less tells nothing: the file is refused as
 *    `unsupported_encoding`, asking for the encoding to be declared.
 *
 * A declared encoding is used as declared, but refused (`encoding_mismatch`)
 * when the bytes cannot be in it: a byte-order mark of another encoding,
 * bytes that are not UTF-8 when UTF-8 is declared, UTF-8 text beyond ASCII
 * when a legacy encoding is declared, or a legacy reading that is not
 * Vietnamese (score below 0) where another reading is.
 */

/** How the encoding in use was chosen: declared (with the upload or as the source's default) or told from the bytes. */
export type EncodingChoice = 'declared' | 'detected';

export interface EncodingRead {
  encoding: FileEncoding;
  chosenBy: EncodingChoice;
  /** A line of the file as read (the first holding a letter beyond ASCII, else the first), so a person can tell a wrong reading. */
  sample: string | null;
}

/** What the readers need: the encoding, UTF-16's byte order, and how it was chosen (for the message when it fails further on). */
export interface TextDecoding {
  encoding: FileEncoding;
  /** UTF-16 only. */
  order?: 'le' | 'be';
  chosenBy: EncodingChoice;
}
type Decoding = Omit<TextDecoding, 'chosenBy'>;

const SAMPLE_BYTES = 64 * 1024;
const SAMPLE_CHARS = 200;

/** Names of the encodings for messages. */
export const ENCODING_NAMES: Record<FileEncoding, string> = { 'utf-8': 'UTF-8', 'utf-16': 'UTF-16', 'windows-1258': 'Windows-1258', tcvn3: 'TCVN3 (ABC)', vni: 'VNI Windows' };

const LEGACY = ['windows-1258', 'tcvn3', 'vni'] as const;
type Legacy = (typeof LEGACY)[number];

// ---- Vietnamese syllables --------------------------------------------------

const INITIALS = ['ngh', 'ng', 'nh', 'ch', 'gh', 'gi', 'kh', 'ph', 'qu', 'th', 'tr', 'b', 'c', 'd', 'đ', 'g', 'h', 'k', 'l', 'm', 'n', 'p', 'r', 's', 't', 'v', 'x', ''];
const FINALS = new Set(['', 'c', 'ch', 'm', 'n', 'ng', 'nh', 'p', 't']);
/** Vowel groups that may close with a consonant (or not). */
const CLOSABLE = new Set(['a', 'ă', 'â', 'e', 'ê', 'i', 'o', 'ô', 'ơ', 'u', 'ư', 'y', 'iê', 'yê', 'uô', 'ươ', 'oa', 'oă', 'oe', 'uâ', 'uê', 'uy', 'uyê', 'oo', 'uơ']);
/** Vowel groups ending in a glide: never closed by a consonant. */
const OPEN = new Set(['ai', 'ao', 'au', 'ay', 'âu', 'ây', 'eo', 'êu', 'ia', 'iu', 'oi', 'ôi', 'ơi', 'ui', 'ưi', 'ưu', 'ua', 'ưa', 'iêu', 'yêu', 'oai', 'oao', 'oay', 'oeo', 'uây', 'uôi', 'ươi', 'ươu', 'uya', 'uyu']);
const VOWELS = 'aăâeêioôơuưy';
const HATTED = 'ăâêôơư';
const TONE_MARKS = '\u0300\u0301\u0303\u0309\u0323';

/** Where the tone may sit in a vowel group (its indices), by the spelling rules (old and new style both taken for oa, oe, uy). */
function tonePlaces(nucleus: string, closed: boolean): number[] {
  let hat = -1;
  for (let i = 0; i < nucleus.length; i++) if (HATTED.includes(nucleus[i] ?? '')) hat = i;
  if (hat >= 0) return [hat];
  if (closed) return [nucleus.length - 1];
  if (nucleus.length === 1) return [0];
  if (nucleus.length === 2) return ['oa', 'oe', 'uy'].includes(nucleus) ? [0, 1] : [0];
  return [1];
}

function restIsRhyme(rest: string, tone: number, afterQu: boolean): boolean {
  let n = 0;
  while (n < rest.length && VOWELS.includes(rest[n] ?? '')) n++;
  if (n === 0) return false;
  const nucleus = rest.slice(0, n);
  const final = rest.slice(n);
  if (afterQu && nucleus.startsWith('u')) return false;
  if (!FINALS.has(final)) return false;
  if (!(CLOSABLE.has(nucleus) || (final === '' && OPEN.has(nucleus)))) return false;
  return tone < 0 || tonePlaces(nucleus, final !== '').includes(tone);
}

/** Whether a word is a possible Vietnamese syllable ("Tỉnh", "NGHIÊNG", "Đức", "quý"), by its spelling alone. */
export function isVietnameseSyllable(word: string): boolean {
  const parts = word.toLowerCase().normalize('NFD');
  // Letters with their hats and horns kept, tones taken out; the tone's place remembered.
  let letters = '';
  let tone = -1;
  for (const c of parts) {
    if (TONE_MARKS.includes(c)) {
      if (tone >= 0 || letters === '') return false;
      tone = letters.normalize('NFC').length - 1;
    } else letters += c;
  }
  const s = letters.normalize('NFC');
  if (!/^[a-zđăâêôơư]+$/.test(s)) return false;
  for (const initial of INITIALS) {
    if (!s.startsWith(initial)) continue;
    const rest = s.slice(initial.length);
    // "gi" before a consonant ("gìn") is g and the vowel i: the next initial tried.
    if (restIsRhyme(rest, tone - initial.length, initial === 'qu')) return true;
  }
  return false;
}

const WORDS = /[^\s\d.,;:!?'"()[\]{}<>/\\|@#$%^&*+=~`_-]+/gu;
// eslint-disable-next-line no-control-regex
const BAD_CHARS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\uFFFD]/gu;
// eslint-disable-next-line no-control-regex
const ASCII_ONLY = /^[\u0000-\u007f]*$/;

/** How Vietnamese a text reads: +1 for each word beyond ASCII that is a possible syllable, −1 for each that is not and for each control or unassigned character. */
export function vietnameseScore(text: string): number {
  let score = 0 - (text.match(BAD_CHARS)?.length ?? 0);
  for (const word of text.match(WORDS) ?? []) {
    if (ASCII_ONLY.test(word)) continue;
    score += isVietnameseSyllable(word) ? 1 : -1;
  }
  return score;
}

// ---- decoding --------------------------------------------------------------

/** A decoder of one encoding's bytes to text (not yet NFC), chunk by chunk. */
interface ChunkDecoder {
  decode(bytes: Uint8Array): string;
  end(): string;
}

function textDecoder(label: string, fatal: boolean): ChunkDecoder {
  // ignoreBOM: the BOM is kept, and dropped below with the other encodings' marks.
  const d = new TextDecoder(label, { fatal, ignoreBOM: true });
  return { decode: (b) => d.decode(b, { stream: true }), end: () => d.decode() };
}

function decoderFor(d: Decoding): ChunkDecoder {
  switch (d.encoding) {
    case 'utf-8':
      return textDecoder('utf-8', true);
    case 'utf-16':
      return textDecoder(d.order === 'be' ? 'utf-16be' : 'utf-16le', true);
    case 'windows-1258':
      return textDecoder('windows-1258', false);
    case 'tcvn3':
      return { decode: tcvn3Chars, end: () => '' };
    case 'vni':
      return { decode: vniChars, end: () => '' };
  }
}

const LETTER_OR_MARK = /[\p{L}\p{M}]/u;

/**
 * Text of a stream as Unicode NFC: each chunk is decoded, then normalised up
 * to its last character that is neither a letter nor a mark (a separator, a
 * digit, a line break): what follows may still take a mark from the next
 * chunk (Windows-1258 and VNI write tones as marks after the letter), and
 * TCVN3's capitals are told per word.
 */
class NfcText {
  private carry = '';
  constructor(private readonly finish: (text: string) => string) {}

  push(text: string): string {
    const all = this.carry + text;
    let cut = all.length;
    while (cut > 0 && LETTER_OR_MARK.test(all[cut - 1] ?? '')) cut--;
    // A chunk all letters (a giant cell) is let through rather than held.
    if (cut === 0 && all.length < 64 * 1024) {
      this.carry = all;
      return '';
    }
    if (cut === 0) cut = all.length;
    this.carry = all.slice(cut);
    return this.finish(all.slice(0, cut));
  }

  end(): string {
    const rest = this.carry;
    this.carry = '';
    return rest === '' ? '' : this.finish(rest);
  }
}

const finisher = (e: FileEncoding) => (e === 'tcvn3' ? (t: string) => tcvn3Capitals(t).normalize('NFC') : (t: string) => t.normalize('NFC'));

const BOMS: { bytes: number[]; decoding: Decoding }[] = [
  { bytes: [0xef, 0xbb, 0xbf], decoding: { encoding: 'utf-8' } },
  { bytes: [0xff, 0xfe], decoding: { encoding: 'utf-16', order: 'le' } },
  { bytes: [0xfe, 0xff], decoding: { encoding: 'utf-16', order: 'be' } },
];

function bomOf(head: Uint8Array): { length: number; decoding: Decoding } | null {
  for (const b of BOMS) if (b.bytes.every((x, i) => head[i] === x)) return { length: b.bytes.length, decoding: b.decoding };
  return null;
}

/** Whether bytes are UTF-8; a sequence cut at their end allowed unless they are the whole file. */
function isUtf8(bytes: Uint8Array, whole: boolean): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: !whole });
    return true;
  } catch {
    return false;
  }
}

function decodeLegacy(e: Legacy, bytes: Uint8Array): string {
  if (e === 'tcvn3') return decodeTcvn3(bytes);
  if (e === 'vni') return decodeVni(bytes);
  return new TextDecoder('windows-1258').decode(bytes).normalize('NFC');
}

const ASCII_BYTES = (b: Uint8Array) => b.every((x) => x < 0x80);

/** Zero bytes, one in ten or more: UTF-16 (a stray NUL in a cell is a bad row, not another encoding). */
function zeroBytes(b: Uint8Array): boolean {
  let zeros = 0;
  for (const x of b) if (x === 0) zeros++;
  return zeros * 10 >= b.length && zeros > 0;
}

/** Each legacy reading of a sample with its score, best first (ties in the order Windows-1258, TCVN3, VNI). */
export function scoreLegacy(sample: Uint8Array): { encoding: Legacy; score: number }[] {
  return LEGACY.map((encoding) => ({ encoding, score: vietnameseScore(decodeLegacy(encoding, sample)) })).sort((a, b) => b.score - a.score);
}

const declareHint = 'declare it with the upload (encoding=utf-8, utf-16, windows-1258, tcvn3 or vni) or save the file as "CSV UTF-8"';

/**
 * The decoding of a file from its first bytes (`whole`: they are all of it):
 * declared (checked to fit) or detected. Throws `unsupported_encoding` or
 * `encoding_mismatch`.
 */
export function chooseEncoding(head: Uint8Array, declared: FileEncoding | null, whole = true): TextDecoding {
  const bom = bomOf(head);
  if (declared === null) {
    if (bom) return { ...bom.decoding, chosenBy: 'detected' };
    if (!zeroBytes(head) && isUtf8(head, whole)) return { encoding: 'utf-8', chosenBy: 'detected' };
    const [best] = scoreLegacy(head);
    if (!best || best.score <= 0) throw new AppError('unsupported_encoding', `The file is not UTF-8, and it does not read as Vietnamese in Windows-1258, TCVN3 or VNI either; ${declareHint}`);
    return { encoding: best.encoding, chosenBy: 'detected' };
  }
  const name = ENCODING_NAMES[declared];
  const mismatch = (why: string) => new AppError('encoding_mismatch', `The file is not ${name} as declared: ${why}`, { declared });
  if (bom && bom.decoding.encoding !== declared) throw mismatch(`it starts with the mark of ${ENCODING_NAMES[bom.decoding.encoding]}`);
  if (declared === 'utf-8') {
    if (!isUtf8(head, whole)) throw mismatch('it holds bytes that are not UTF-8');
    return { encoding: 'utf-8', chosenBy: 'declared' };
  }
  if (declared === 'utf-16') {
    if (bom) return { ...bom.decoding, chosenBy: 'declared' };
    // Without a mark, the byte order is where the zero bytes of ASCII characters are.
    let even = 0;
    let odd = 0;
    for (let i = 0; i < head.length; i++) {
      if (head[i] !== 0) continue;
      if (i % 2 === 0) even++;
      else odd++;
    }
    if (even + odd === 0) throw mismatch('it has no byte-order mark and none of the zero bytes of UTF-16 text');
    return { encoding: 'utf-16', order: even > odd ? 'be' : 'le', chosenBy: 'declared' };
  }
  if (zeroBytes(head)) throw mismatch('it holds zero bytes, as UTF-16 text does');
  if (!ASCII_BYTES(head) && isUtf8(head, whole)) throw mismatch('it is UTF-8 text');
  const scores = scoreLegacy(head);
  const own = scores.find((s) => s.encoding === declared);
  const best = scores[0];
  if (own && best && own.score < 0 && best.score > 0 && best.encoding !== declared) throw mismatch(`its words do not read as Vietnamese in it, and they do in ${ENCODING_NAMES[best.encoding]}`);
  return { encoding: declared, chosenBy: 'declared' };
}

/** The first bytes of a file (up to `max`), read from its stream. */
export async function headBytes(source: FileSource, max = SAMPLE_BYTES): Promise<Uint8Array> {
  if (source.buffer) return source.buffer.subarray(0, max);
  const parts: Buffer[] = [];
  let n = 0;
  const stream = source.stream();
  try {
    for await (const chunk of stream) {
      const b: Buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      parts.push(b);
      n += b.length;
      if (n >= max) break;
    }
  } finally {
    stream.destroy();
  }
  return Buffer.concat(parts).subarray(0, max);
}

/**
 * The text of a file in a decoding, as Unicode NFC, as it streams; a
 * byte-order mark dropped. Bytes that are not UTF-8 (UTF-16) later in a
 * file read as such are refused: `encoding_mismatch` when declared,
 * `unsupported_encoding` when detected from the file's beginning.
 */
export async function* decodedText(source: FileSource, decoding: TextDecoding): AsyncGenerator<string> {
  const decoder = decoderFor(decoding);
  const nfc = new NfcText(finisher(decoding.encoding));
  let first = true;
  try {
    for await (const chunk of source.stream()) {
      const b: Uint8Array = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      let text = decoder.decode(b);
      if (first && text !== '') {
        first = false;
        if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      }
      const out = nfc.push(text);
      if (out) yield out;
    }
    const rest = nfc.push(decoder.end()) + nfc.end();
    if (rest) yield rest;
  } catch (e) {
    if (!(e instanceof TypeError)) throw e;
    const name = ENCODING_NAMES[decoding.encoding];
    if (decoding.chosenBy === 'declared') throw new AppError('encoding_mismatch', `The file is not ${name} as declared: it holds bytes that are not ${name} further on`, { declared: decoding.encoding });
    throw new AppError('unsupported_encoding', `The file starts as ${name} but holds bytes that are not ${name} further on; ${declareHint}`);
  }
}

/** A line of text to show as read: the first holding a letter beyond ASCII (where a wrong reading shows), else the first that is not blank. */
export function sampleLine(text: string): string | null {
  const lines = text.split(/\r\n|\n|\r/);
  const line = lines.find((l) => !ASCII_ONLY.test(l)) ?? lines.find((l) => l.trim() !== '');
  if (line === undefined) return null;
  return line.length > SAMPLE_CHARS ? `${line.slice(0, SAMPLE_CHARS)}…` : line;
}

/** Tells (or checks) a file's encoding from its first bytes: the decoding to read it with and what to show of it. */
export async function openText(source: FileSource, declared: FileEncoding | null): Promise<{ decoding: TextDecoding; read: EncodingRead; head: string }> {
  const decoding = chooseEncoding(await headBytes(source), declared, source.size <= SAMPLE_BYTES);
  let head = '';
  for await (const chunk of decodedText(source, decoding)) {
    head += chunk;
    if (head.length >= SAMPLE_BYTES) break;
  }
  return { decoding, read: { encoding: decoding.encoding, chosenBy: decoding.chosenBy, sample: sampleLine(head) }, head };
}

/** Each character Windows-1258 has a byte for (letters with a hat or horn precomposed, tones as marks). */
const CP1258_CODES: ReadonlyMap<string, number> = (() => {
  const d = new TextDecoder('windows-1258');
  const m = new Map<string, number>();
  for (let b = 0; b < 256; b++) {
    const c = d.decode(Uint8Array.of(b));
    if (!m.has(c)) m.set(c, b);
  }
  return m;
})();

/**
 * Windows-1258 bytes of text, as Windows writes them: a letter the code page
 * holds is its byte ("á", "â"); another is its base letter and a tone mark
 * ("ấ" = "â" + acute). Throws on a character it cannot write.
 */
export function encodeWindows1258(text: string): Buffer {
  const out: number[] = [];
  for (const c of text.normalize('NFC')) {
    const whole = CP1258_CODES.get(c);
    if (whole !== undefined) {
      out.push(whole);
      continue;
    }
    // The letter with its hat or horn, then its tone as a mark.
    const [first = '', ...marks] = [...c.normalize('NFD')];
    const base = CP1258_CODES.get((first + marks.filter((m) => !TONE_MARKS.includes(m)).join('')).normalize('NFC'));
    const tones = marks.filter((m) => TONE_MARKS.includes(m)).map((m) => CP1258_CODES.get(m));
    const done = base !== undefined && tones.every((x) => x !== undefined);
    if (done) out.push(base, ...(tones as number[]));
    if (!done) throw new Error(`Windows-1258 has no code for ${JSON.stringify(c)}`);
  }
  return Buffer.from(out);
}
