import type { RejectionReason } from '../rejections';
import { z } from 'zod';
import { indicatorCodeSchema } from './shared';

/**
 * One reported value (số liệu) as every channel hands it to the one write
 * path: an indicator, the code of the place as it was during the period
 * (facts keep the place of their time), the period key (or, for a stream,
 * the instant), an optional organisation, the value and its status.
 */
export const OBSERVATION_STATUSES = ['provisional', 'estimated', 'final'] as const;
export const observationStatusSchema = z.enum(OBSERVATION_STATUSES);
export type ObservationStatus = z.infer<typeof observationStatusSchema>;

/** Text with no NUL character (which PostgreSQL cannot store and nobody types). */
// eslint-disable-next-line no-control-regex -- NUL is exactly what this refuses
export const NO_NUL = /^[^\u0000]*$/;
const NUL_MESSAGE = 'must not contain NUL characters';

export const observationInputSchema = z.object({
  indicator: indicatorCodeSchema,
  place: z.string().regex(/^(VN|\d{2,5})$/, 'must be an administrative unit code'),
  period: z.string().min(4).max(40).regex(NO_NUL, NUL_MESSAGE).describe('Period key matching the frequency (2025-07, 2025-Q3, 2025 …), or an ISO instant for a stream'),
  organisation: z.string().min(1).max(40).regex(NO_NUL, NUL_MESSAGE).nullable().default(null),
  value: z.number().describe('The value, in the indicator unit'),
  unit: z.string().max(32).regex(NO_NUL, NUL_MESSAGE).optional().describe('The unit the value is in, when the sender states it: converted to the indicator unit when of its family (triệu đồng to tỷ đồng), else refused unit_mismatch'),
  status: observationStatusSchema.default('final'),
  note: z.string().max(2000).regex(NO_NUL, NUL_MESSAGE).nullable().default(null),
});
export type ObservationInput = z.infer<typeof observationInputSchema>;
/** As written by a client or a file, with defaults left out. */
export type ObservationInputRaw = z.input<typeof observationInputSchema>;


export interface RejectedRow {
  /** 0-based index of the row in the batch. */
  index: number;
  reason: RejectionReason;
  message: string;
  row: unknown;
}

/** Where a batch came from: kept on every observation and revision. */
export interface Provenance {
  /** The channel or system, e.g. 'manual', 'demo-generator', 'pci-vcci', 'http-push:so-tai-chinh'. */
  source: string;
  /** The ingestion run, when the batch belongs to one. */
  runId?: number | null;
  /** The person who entered the figures, for manual entry. */
  enteredBy?: string | null;
}
