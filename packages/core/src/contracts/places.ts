/** The HTTP contract of places: see ../contract.ts. */
import { z } from 'zod';
import { route } from '../contract';
import { atQuery, isoDateSchema } from '../dates';
import { MAX_SIMPLIFY_TOLERANCE, placeMapFeatureSchema } from '../level-of-detail';
import { lineageSchema, locateResultSchema, placeCodeSchema, placeDetailSchema, placeFeatureCollectionSchema, placeFeatureSchema, placeLevelSchema, placeSummarySchema } from '../places';

/** A unit's official code in the path. */
export const codeParams = z.object({ code: placeCodeSchema });

const coordinate = (name: string, limit: number) =>
  z
    .string()
    .regex(/^-?\d+(\.\d+)?$/, `${name} must be a decimal number`)
    .transform(Number)
    .refine((v) => Math.abs(v) <= limit, `${name} must be between -${limit} and ${limit}`);

/** One unit's boundary: core's placeFeatureSchema, its properties also naming where the boundary comes from. */
export const placeGeometrySchema = placeFeatureSchema
  .extend({
    properties: placeFeatureSchema.shape.properties.extend({ source: z.string().nullable().describe('Where the boundary comes from') }),
  })
  .describe('A GeoJSON Feature (RFC 7946), coordinates in WGS 84 longitude, latitude');
export type PlaceGeometry = z.infer<typeof placeGeometrySchema>;

/**
 * The children-geometry answer: core's placeFeatureCollectionSchema whose
 * features carry either every property (the default) or only the unit's
 * code (`properties=map`, core's placeMapCollectionSchema). The choice is
 * made per feature's properties, not over the whole collection, so the
 * answer's geometry is checked once whichever shape it has.
 */
export const childrenGeometrySchema = placeFeatureCollectionSchema
  .extend({
    features: z.array(
      placeFeatureSchema.extend({
        properties: z
          .union([placeFeatureSchema.shape.properties, placeMapFeatureSchema.shape.properties])
          .describe("The unit's summary and area (default), or with `properties=map` only `{ code }`"),
      }),
    ),
  })
  .describe('A GeoJSON FeatureCollection (RFC 7946), coordinates in WGS 84 longitude, latitude: the full collection (default), or with `properties=map` the shape for a map (the same features, `bbox` and `missing`, the properties of each feature only `{ code }`)');

export const list = route({
  method: 'GET',
  path: '/api/places',
  tags: ['places'],
  summary: 'The administrative units valid on a date',
  query: atQuery.extend({
    level: placeLevelSchema.optional().describe('Only units of this level'),
    parent: placeCodeSchema.optional().describe('Only the children of this unit'),
  }),
  response: z.object({ at: isoDateSchema, places: z.array(placeSummarySchema) }),
  errors: [400, 404],
});

export const locate = route({
  method: 'GET',
  path: '/api/places/locate',
  tags: ['places'],
  summary: 'Which commune, district and province contain a point on a date',
  query: atQuery.extend({ lat: coordinate('lat', 90), lon: coordinate('lon', 180) }),
  response: locateResultSchema,
  errors: [400, 404],
});

export const detail = route({
  method: 'GET',
  path: '/api/places/:code',
  tags: ['places'],
  summary: 'One unit as it was on a date, with its ancestors and children',
  params: codeParams,
  query: atQuery,
  response: placeDetailSchema.extend({ at: isoDateSchema }),
  errors: [400, 404],
});

export const geometry = route({
  method: 'GET',
  path: '/api/places/:code/geometry',
  tags: ['places'],
  summary: 'The boundary of a unit as it was on a date, as GeoJSON',
  params: codeParams,
  query: atQuery,
  response: placeGeometrySchema,
  errors: [400, 404],
});

export const childrenGeometry = route({
  method: 'GET',
  path: '/api/places/:code/children/geometry',
  tags: ['places'],
  summary: "The boundaries of a unit's children as they were on a date, as one GeoJSON FeatureCollection",
  description:
    'For a choropleth of the children. Children whose boundaries are not available (pre-2025 communes are not openly licensed) are listed by code in `missing`. With `tolerance`, each boundary is simplified for a map where a unit is a few pixels wide (level of detail): same features, codes and properties, fewer vertices. With `properties=map`, the properties of each feature are only its `code` (what a choropleth reads; names and figures come from the other endpoints): a much lighter answer for maps of thousands of units.',
  params: codeParams,
  query: atQuery.extend({
    tolerance: z
      .string()
      .regex(/^\d+(\.\d+)?([eE]-?\d+)?$/, 'tolerance must be a decimal number of degrees')
      .transform(Number)
      .refine((v) => v > 0 && v <= MAX_SIMPLIFY_TOLERANCE, `tolerance must be greater than 0 and at most ${MAX_SIMPLIFY_TOLERANCE} degrees`)
      .optional()
      .describe(`Simplify each boundary to this many degrees (Douglas–Peucker; about one screen pixel at the map's zoom), coordinates rounded to match; 0 < tolerance ≤ ${MAX_SIMPLIFY_TOLERANCE}. Default: the stored boundaries as they are`),
    properties: z
      .enum(['all', 'map'])
      .optional()
      .describe("Each feature's properties: `all` (default) the unit's summary and area; `map` only its `code` (the map's shape, placeMapCollection)"),
  }),
  response: childrenGeometrySchema,
  errors: [400, 404],
});

export const lineage = route({
  method: 'GET',
  path: '/api/places/:code/lineage',
  tags: ['places'],
  summary: 'What a unit was formed from and what it became (merges, splits, renames), with the legal act',
  description: 'Without `at`, the unit the code names today, or, for a code no longer in use, its last unit.',
  params: codeParams,
  query: z.object({ at: isoDateSchema.optional().describe('Which unit of that code: the one valid on this date') }),
  response: lineageSchema,
  errors: [400, 404],
});
