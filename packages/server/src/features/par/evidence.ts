import { createHash } from 'node:crypto';
import { buffer as readAll } from 'node:stream/consumers';
import { AppError } from '@watchfloor/core';
import type { FileSource } from '@watchfloor/connectors';

/**
 * Evidence files of a PAR Index self-assessment: PDF documents and PNG or
 * JPEG images, told by their content alone. The name a file was sent under
 * and the type its sender declared are never believed: an HTML page called
 * `bien-ban.pdf`, or a program declared `application/pdf`, is refused. What
 * is stored is only ever served back as that type, as an attachment.
 */

/** The types accepted, each by the bytes a file of it starts with. */
const SIGNATURES: readonly { mediaType: string; extension: string; magic: Buffer }[] = [
  { mediaType: 'application/pdf', extension: 'pdf', magic: Buffer.from('%PDF-', 'latin1') },
  { mediaType: 'image/png', extension: 'png', magic: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) },
  { mediaType: 'image/jpeg', extension: 'jpg', magic: Buffer.from([0xff, 0xd8, 0xff]) },
];

/** The media type a file's first bytes show, or null when it is none of the accepted ones. */
export function evidenceTypeOf(head: Buffer): { mediaType: string; extension: string } | null {
  const s = SIGNATURES.find((x) => head.length >= x.magic.length && head.subarray(0, x.magic.length).equals(x.magic));
  return s ? { mediaType: s.mediaType, extension: s.extension } : null;
}

/**
 * The name a file is kept under: the last part of what was sent (no
 * folders), without control characters, at most 200 characters, and with
 * the extension of its real type when it does not already have it.
 */
export function evidenceFileName(sent: string | undefined, extension: string): string {
  const base = (sent ?? '').split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex -- control characters are what is taken out
  let name = base.replace(/[\u0000-\u001f\u007f"]/g, '').trim().slice(0, 200);
  if (name === '' || name === '.' || name === '..') name = 'minh-chung';
  const alike = extension === 'jpg' ? /\.(jpe?g)$/i : new RegExp(`\\.${extension}$`, 'i');
  return alike.test(name) ? name : `${name}.${extension}`;
}

/** An uploaded file read whole (it is within the evidence limit), checked for its type, with its SHA-256. */
export async function readEvidence(file: FileSource, sentName: string | undefined): Promise<{ fileName: string; mediaType: string; content: Buffer; sha256: string }> {
  const content = file.buffer ?? (await readAll(file.stream()));
  if (content.length === 0) throw new AppError('empty_file', 'The file is empty');
  const type = evidenceTypeOf(content.subarray(0, 16));
  if (!type) throw new AppError('evidence_type_not_allowed', 'Evidence must be a PDF document or a PNG or JPEG image (judged by its content, not its name)', { accepted: SIGNATURES.map((s) => s.mediaType) });
  return { fileName: evidenceFileName(sentName, type.extension), mediaType: type.mediaType, content, sha256: createHash('sha256').update(content).digest('hex') };
}

/** A Content-Disposition header for a download: the name as ASCII, and in full (RFC 6266 / 5987). */
export function attachment(fileName: string): string {
  const ascii = fileName.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}
