import type { FastifyRequest } from 'fastify';
import { AppError } from '@watchfloor/core';
import { spoolToFile, type SpooledFile } from '@watchfloor/connectors';

const hasCode = (e: unknown, code: string): boolean => e instanceof Error && 'code' in e && e.code === code;

/** The `file_too_large` error of an upload limit. */
export function fileTooLarge(limitBytes: number): AppError {
  return new AppError('file_too_large', `The file is larger than the ${limitBytes} bytes this server accepts; split it into several files`, { limitBytes });
}

/**
 * The file of a multipart upload (with the text fields sent before it), written to a temporary file as it
 * arrives (never held in memory), refused with `file_too_large` past the
 * limit. The caller reads it as often as it needs and disposes of it.
 */
export async function receiveUpload(req: FastifyRequest, limitBytes: number): Promise<{ file: SpooledFile; fileName: string; fields: Record<string, string> }> {
  // Headers and boundaries add a little to the file itself.
  if (Number(req.headers['content-length']) > limitBytes + 64 * 1024) throw fileTooLarge(limitBytes);
  let part;
  try {
    part = await req.file();
  } catch (e) {
    if (hasCode(e, 'FST_INVALID_MULTIPART_CONTENT_TYPE')) throw new AppError('unsupported_media_type', 'Send the file as multipart/form-data, in a field named "file"');
    throw e;
  }
  if (!part) throw new AppError('invalid_body', 'The request holds no file: send it in a multipart field named "file"');
  let file: SpooledFile;
  try {
    file = await spoolToFile(part.file, limitBytes);
  } catch (e) {
    if (hasCode(e, 'FST_REQ_FILE_TOO_LARGE')) throw fileTooLarge(limitBytes);
    throw e;
  }
  if (part.file.truncated) {
    await file.dispose();
    throw fileTooLarge(limitBytes);
  }
  // The text fields sent before the file.
  const fields: Record<string, string> = {};
  for (const [name, f] of Object.entries(part.fields)) {
    const one = Array.isArray(f) ? f[0] : f;
    if (one && one.type === 'field' && typeof one.value === 'string') fields[name] = one.value;
  }
  return { file, fileName: part.filename, fields };
}
