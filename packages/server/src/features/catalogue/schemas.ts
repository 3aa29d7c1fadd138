import { z } from 'zod';
import { indicatorDefinitionSchema } from '@watchfloor/core';

/**
 * A request part the service validates itself, so that every problem comes
 * back with its coded reason (per definition, per row) instead of the
 * generic `invalid_body`; OpenAPI still shows the schema it is checked against.
 */
export function documentedAs(schema: z.ZodType, description: string): z.ZodUnknown {
  const { $schema: _dialect, ...json } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });
  return z.unknown().meta({ ...json, description });
}

export const CATALOGUE_FORMAT = 'watchfloor-indicator-catalogue';
export const CATALOGUE_VERSION = 1;

/** A definition in a request body: checked by CatalogueService, documented as the definition schema. */
export const definitionBodySchema = documentedAs(indicatorDefinitionSchema, 'An indicator definition');

/** The exported catalogue file; importing it into another installation reproduces the catalogue exactly. */
export const catalogueFileSchema = z
  .object({
    format: z.literal(CATALOGUE_FORMAT),
    version: z.literal(CATALOGUE_VERSION),
    exportedAt: z.iso.datetime().describe('When the file was exported (UTC)'),
    indicators: z.array(indicatorDefinitionSchema),
  })
  .describe('A Watchfloor indicator catalogue file');
export type CatalogueFile = z.infer<typeof catalogueFileSchema>;

/** What the import accepts: a catalogue file (format and version may be left out) or a bare array of definitions. */
export const catalogueImportSchema = z.union([
  z.object({
    format: z.literal(CATALOGUE_FORMAT).optional(),
    version: z.literal(CATALOGUE_VERSION).optional(),
    exportedAt: z.string().optional(),
    indicators: z.array(definitionBodySchema),
  }),
  z.array(definitionBodySchema),
]);

/** One reason a definition is refused, as `details` of `invalid_indicator_definition` list them. */
export const definitionIssueSchema = z.object({
  code: z.string().nullable().describe('The indicator concerned; null when the definition has no readable code'),
  path: z.string().describe('Where in the definition, dot-separated; empty for the definition as a whole'),
  reason: z.string().describe('Coded reason, e.g. unknown_indicator, self_reference, cycle, thresholds_out_of_order, invalid_type'),
  message: z.string(),
  index: z.number().int().optional().describe('Position of the definition in an imported file'),
});
export type DefinitionIssue = z.infer<typeof definitionIssueSchema>;
