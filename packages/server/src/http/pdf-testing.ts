import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/**
 * Reading printed PDFs back in checks, by poppler's pdftotext (Debian:
 * poppler-utils). `text`: the blocks in reading order (a heading wrapped
 * in its cell reads whole), white space made single spaces. `lines`: the
 * page as laid out, one line per printed line (a table row reads across),
 * each with its runs of white space made single spaces.
 */
export function pdfText(file: Buffer): { text: string; lines: string[] } {
  const run = (args: string[]) => execFileSync('pdftotext', ['-enc', 'UTF-8', ...args, '-', '-'], { input: file, maxBuffer: 64 * 1024 * 1024 }).toString('utf8');
  return {
    text: run([]).replace(/\s+/g, ' '),
    lines: run(['-layout'])
      .split('\n')
      .map((l) => l.replace(/\s+/g, ' ').trim())
      .filter((l) => l !== ''),
  };
}

/** Why PDFs cannot be printed and read back here, or null when they can. */
export const pdfMissing: string | null = !existsSync(process.env.WATCHFLOOR_CHROMIUM ?? '/usr/bin/chromium')
  ? 'Chromium not found (apt-get install chromium, or set WATCHFLOOR_CHROMIUM)'
  : !['/usr/bin/pdftotext', '/usr/local/bin/pdftotext'].some((p) => existsSync(p))
    ? 'pdftotext not found (apt-get install poppler-utils)'
    : null;
if (pdfMissing) console.warn(`PDF checks skipped: ${pdfMissing}`);
