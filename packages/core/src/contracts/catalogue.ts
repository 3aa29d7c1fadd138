import { z } from 'zod';
import { route } from '../contract';
import { indicatorCodeSchema, indicatorDefinitionSchema, indicatorDomainSchema } from '../indicators';

/** The HTTP contract of the indicator catalogue: list, read, define, and move it between installations as a file. */

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

/** What an import did, definition by definition. */
export const importResultSchema = z.object({ created: z.number().int(), updated: z.number().int(), unchanged: z.number().int() });
export type ImportResult = z.infer<typeof importResultSchema>;

/** `:code` of an indicator, the path parameter of every route about one indicator. */
export const indicatorParams = z.object({ code: indicatorCodeSchema });

const REFUSAL =
  'Refused definitions answer 400 `invalid_indicator_definition`, with `details` listing each problem as `{ code, path, reason, message }` ' +
  '(reasons include unknown_indicator, self_reference, cycle, duplicate_code and the rules of a single definition such as thresholds_out_of_order).';

export const list = route({
  method: 'GET',
  path: '/api/indicators',
  tags: ['indicators'],
  summary: 'The indicator catalogue, by code',
  description: 'Without signing in, only the published indicators (`published: true`).',
  query: z.object({ domain: indicatorDomainSchema.optional().describe('Only indicators of this domain') }),
  response: z.object({ indicators: z.array(indicatorDefinitionSchema) }),
  errors: [400],
});

export const exportFile = route({
  method: 'GET',
  path: '/api/indicators/export',
  tags: ['indicators'],
  summary: 'The whole catalogue as a file to import elsewhere',
  response: catalogueFileSchema,
});

export const importFile = route({
  method: 'POST',
  path: '/api/indicators/import',
  tags: ['indicators'],
  summary: 'Import a catalogue file, all or nothing',
  description:
    'The body is an exported catalogue file, or a bare array of definitions. Definitions replace those of the same code; ' +
    'identical ones are left unchanged. Every definition and the catalogue as a whole are checked first, and one problem stores nothing. ' +
    REFUSAL,
  body: catalogueImportSchema,
  response: importResultSchema,
  errors: [400, 413, 415],
});

export const detail = route({
  method: 'GET',
  path: '/api/indicators/:code',
  tags: ['indicators'],
  summary: 'One indicator definition',
  description: 'Without signing in, an unpublished indicator answers 404 `unknown_indicator`, as an unknown one does.',
  params: indicatorParams,
  response: indicatorDefinitionSchema,
  errors: [400, 404],
});

export const define = route({
  method: 'PUT',
  path: '/api/indicators/:code',
  tags: ['indicators'],
  summary: 'Define an indicator, or replace its definition',
  description: `The code in the body must be the one in the path. Answers 201 when the indicator is new, 200 when it replaced a definition. ${REFUSAL}`,
  params: indicatorParams,
  body: definitionBodySchema,
  statuses: [200, 201],
  response: indicatorDefinitionSchema,
  errors: [400, 413, 415],
});
