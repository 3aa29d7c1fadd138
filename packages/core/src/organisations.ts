import { z } from 'zod';
import { isoDateSchema } from './dates';

/** Kinds of agencies (cơ quan, đơn vị) an IOC tracks. */
export const ORGANISATION_KINDS = [
  'peoples_committee',
  'department',
  'office',
  'inspectorate',
  'public_service_unit',
  'other',
] as const;
export const organisationKindSchema = z.enum(ORGANISATION_KINDS);
export type OrganisationKind = z.infer<typeof organisationKindSchema>;

export const organisationSchema = z.object({
  code: z.string(),
  name: z.string(),
  nameEn: z.string().nullable(),
  kind: organisationKindSchema,
  parentCode: z.string().nullable(),
  placeCode: z.string().nullable().describe('The administrative unit the agency serves'),
  validFrom: isoDateSchema.nullable(),
  validTo: isoDateSchema.nullable(),
  demo: z.boolean().describe('True when the record is demonstration data rather than an official list'),
});
export type Organisation = z.infer<typeof organisationSchema>;

export const organisationDetailSchema = organisationSchema.extend({
  children: z.array(organisationSchema),
  predecessors: z.array(organisationSchema),
  successors: z.array(organisationSchema),
});
export type OrganisationDetail = z.infer<typeof organisationDetailSchema>;
