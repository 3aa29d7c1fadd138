import { z } from 'zod';

/**
 * The files of leadership directives: the document's own file (its PDF,
 * one per document, replaced when sent again) and the evidence the lead
 * agency attaches to a report (PDF, PNG or JPEG). Both are told by their
 * content, never by their name, and kept with their SHA-256 as evidence
 * files of the PAR Index are.
 */
export const directiveFileSchema = z.object({
  id: z.number().int(),
  fileName: z.string().describe('The name it was sent under, with the extension of its real type'),
  mediaType: z.string().describe('application/pdf, image/png or image/jpeg, as its content shows'),
  size: z.number().int().describe('Bytes'),
  sha256: z.string().describe('The SHA-256 of its content, hex'),
  uploadedAt: z.string().describe('ISO 8601 instant'),
  uploadedBy: z.string().nullable().describe('The login of who sent it'),
});
export type DirectiveFile = z.infer<typeof directiveFileSchema>;
