import { z } from 'zod';
import { errorCodeSchema } from '@watchfloor/core';

/** The error envelope every route answers with on failure. */
export const errorBodySchema = z
  .object({
    error: errorCodeSchema,
    message: z.string(),
    details: z.unknown().optional(),
  })
  .describe('A coded error');

/** Error responses to document on a route, by status. */
export function errors(...statuses: (400 | 401 | 403 | 404 | 409 | 413 | 415 | 429 | 500 | 503)[]): Record<number, typeof errorBodySchema> {
  return Object.fromEntries(statuses.map((s) => [s, errorBodySchema]));
}
