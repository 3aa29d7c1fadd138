import { z } from 'zod';
import { indicatorCodeSchema, localisedSchema } from './indicators/shared';
import { observationStatusSchema } from './indicators/observation';
import { frequencySchema, periodKeySchema } from './indicators/periods';

/**
 * Manual entry (nhập tay): the form in which an agency officer types the
 * period's figures of a manual source. The form lists what the source is
 * expected to supply, with the value already stored; the entries go through
 * the one write path like every other channel.
 */

const placeCode = z.string().regex(/^(VN|\d{2,5})$/, 'must be an administrative unit code');

export const manualFormQuerySchema = z.object({
  period: periodKeySchema.describe('The period the figures are for (2026-10, 2026-Q3, 2026 …)'),
  place: placeCode.optional().describe("The unit the figures are for; default: the source's mapping default"),
  organisation: z.string().min(1).max(40).optional().describe("The reporting organisation, when figures are broken down by it; default: the source's mapping default"),
});

export const manualFormFieldSchema = z.object({
  indicator: z.string(),
  names: localisedSchema,
  unit: z.string(),
  frequency: frequencySchema,
  validRange: z.object({ min: z.number().nullable(), max: z.number().nullable() }).nullable(),
  applicable: z.boolean().describe("False when the period is not one of the indicator's (a quarterly figure in a monthly form)"),
  stored: z
    .object({
      value: z.number(),
      status: observationStatusSchema,
      note: z.string().nullable(),
      revision: z.number().int(),
      source: z.string(),
      enteredBy: z.string().nullable(),
      recordedAt: z.string(),
    })
    .nullable()
    .describe('The value stored for this period, place and organisation: to prefill; a different value becomes a revision'),
});
export type ManualFormField = z.infer<typeof manualFormFieldSchema>;

export const manualFormSchema = z.object({
  source: z.object({ code: z.string(), name: z.string(), ownerOrganisationCode: z.string() }),
  period: z.string(),
  place: z.object({ code: z.string(), name: z.string() }),
  organisation: z.string().nullable(),
  fields: z.array(manualFormFieldSchema),
});
export type ManualForm = z.infer<typeof manualFormSchema>;

export const manualEntrySchema = z
  .object({
    period: periodKeySchema,
    place: placeCode.optional().describe("Default: the source's mapping default"),
    organisation: z.string().min(1).max(40).optional(),
    enteredBy: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .optional()
      .describe('Who typed the figures, for an API token that acts for no user; a signed-in user (or their token) is recorded by login instead'),
    figures: z
      .array(
        z
          .object({
            indicator: indicatorCodeSchema,
            value: z.number(),
            status: observationStatusSchema.optional(),
            note: z.string().max(2000).nullable().optional(),
          })
          .strict(),
      )
      .min(1)
      .max(1000),
  })
  .strict();
export type ManualEntry = z.infer<typeof manualEntrySchema>;
