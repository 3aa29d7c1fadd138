import { z } from 'zod';
import { addDays, isoDateSchema } from './dates';

/**
 * Administrative units (đơn vị hành chính). A unit is versioned: the same
 * official code can name different units at different dates (Vietnam reused
 * commune codes for the wards of 1 July 2025, and code 86 is both the old and
 * the new Vĩnh Long), so a place is always looked up by code *and* date.
 */
export const PLACE_LEVELS = ['country', 'province', 'district', 'commune'] as const;
export const placeLevelSchema = z.enum(PLACE_LEVELS);
export type PlaceLevel = z.infer<typeof placeLevelSchema>;

/** The day the 2025 reform took effect: 34 provinces, no districts, 3,321 communes. */
export const REFORM_2025_DATE = '2025-07-01';
/** The last day the pre-2025 units (63 provinces, districts, old communes) were valid. */
export const PRE_2025_LAST_DAY = '2025-06-30';

/** Vietnamese name of each level, for the UI and docs. */
export const PLACE_LEVEL_NAMES_VI: Record<PlaceLevel, string> = {
  country: 'Quốc gia',
  province: 'Tỉnh, thành phố',
  district: 'Quận, huyện, thị xã, thành phố thuộc tỉnh',
  commune: 'Xã, phường, thị trấn, đặc khu',
};

export const placeCodeSchema = z
  .string()
  .regex(/^(VN|\d{2,5})$/, 'must be an official unit code: 2 digits (province), 3 (district), 5 (commune), or VN')
  .describe('Official administrative unit code (GSO / Decision 19/2025/QĐ-TTg)');

export const placeSummarySchema = z.object({
  code: z.string(),
  name: z.string().describe('Official full name, e.g. "Phường Trà Vinh"'),
  nameEn: z.string().nullable(),
  level: placeLevelSchema,
  parentCode: z.string().nullable(),
  validFrom: isoDateSchema.nullable().describe('First day valid; null: valid since before our records begin'),
  validTo: isoDateSchema.nullable().describe('Last day valid (inclusive); null: still valid'),
});
export type PlaceSummary = z.infer<typeof placeSummarySchema>;

export const placeDetailSchema = placeSummarySchema.extend({
  areaKm2: z.number().nullable(),
  hasGeometry: z.boolean(),
  ancestors: z.array(placeSummarySchema).describe('From the country down to the parent'),
  children: z.array(placeSummarySchema),
  source: z.string().nullable(),
});
export type PlaceDetail = z.infer<typeof placeDetailSchema>;

const positionSchema = z.array(z.number()).min(2).max(3);
/** A polygon or multipolygon in GeoJSON (RFC 7946), WGS 84 longitude, latitude. */
export const areaGeometrySchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('Polygon'), coordinates: z.array(z.array(positionSchema)) }),
  z.object({ type: z.literal('MultiPolygon'), coordinates: z.array(z.array(z.array(positionSchema))) }),
]);

/** A unit's boundary as a GeoJSON Feature, its properties the unit's summary. */
export const placeFeatureSchema = z.object({
  type: z.literal('Feature'),
  geometry: areaGeometrySchema,
  properties: placeSummarySchema.extend({ areaKm2: z.number().nullable() }),
});
export type PlaceFeature = z.infer<typeof placeFeatureSchema>;

/** Several units' boundaries as one GeoJSON FeatureCollection, with the box around them all. */
export const placeFeatureCollectionSchema = z
  .object({
    type: z.literal('FeatureCollection'),
    bbox: z.tuple([z.number(), z.number(), z.number(), z.number()]).optional().describe('[west, south, east, north]; absent when no unit has a boundary'),
    features: z.array(placeFeatureSchema),
    missing: z.array(z.string()).describe('Codes of the units whose boundaries are not available (pre-2025 communes are not openly licensed)'),
  })
  .describe('A GeoJSON FeatureCollection (RFC 7946), coordinates in WGS 84 longitude, latitude');
export type PlaceFeatureCollection = z.infer<typeof placeFeatureCollectionSchema>;

/** How a place became another: the kinds of change a lineage edge records. */
export const LINEAGE_KINDS = ['merge', 'split', 'rename', 'continue', 'upgrade'] as const;
export const lineageKindSchema = z.enum(LINEAGE_KINDS);
export type LineageKind = z.infer<typeof lineageKindSchema>;

/** Whether the whole of the old unit moved into the new one, or only a part of it. */
export const lineagePartSchema = z.enum(['full', 'partial']);
export type LineagePart = z.infer<typeof lineagePartSchema>;

export const lineageEdgeSchema = z.object({
  place: placeSummarySchema.describe('The unit on the other side of the edge'),
  kind: lineageKindSchema,
  part: lineagePartSchema,
  share: z.number().min(0).max(1).nullable().describe('Share of the old unit that moved, when known'),
  effectiveDate: isoDateSchema,
  legalRef: z.string().nullable(),
});
export type LineageEdge = z.infer<typeof lineageEdgeSchema>;

/**
 * A level of units abolished whole by the 2025 reform: the districts (cấp
 * huyện) ceased on 1 July 2025, when local government became two levels.
 * A district became no unit of its own; its communes did.
 */
export const LEVEL_ABOLITIONS_2025 = {
  district: {
    effectiveDate: REFORM_2025_DATE,
    legalRef: 'Luật Tổ chức chính quyền địa phương số 72/2025/QH15 (16/6/2025): chính quyền địa phương hai cấp, không tổ chức cấp huyện từ ngày 01/7/2025',
  },
} as const satisfies Partial<Record<PlaceLevel, { effectiveDate: string; legalRef: string }>>;

/** The abolition a unit ended with, when its whole level ended on its last day (a district, 30 June 2025); else null. */
export function abolitionOf(place: Pick<PlaceSummary, 'level' | 'validTo'>): { level: PlaceLevel; effectiveDate: string; legalRef: string } | null {
  const abolition = (LEVEL_ABOLITIONS_2025 as Partial<Record<PlaceLevel, { effectiveDate: string; legalRef: string }>>)[place.level];
  if (!abolition || place.validTo === null || addDays(place.validTo, 1) !== abolition.effectiveDate) return null;
  return { level: place.level, ...abolition };
}

/** One unit of the new map that took in units of an abolished one. */
export const successorSchema = z.object({
  place: placeSummarySchema.describe('The unit of the new map'),
  from: z.array(placeSummarySchema).describe("The abolished unit's own units (its communes) that went into it"),
  others: z.number().int().min(0).describe('How many units from outside the abolished one went into it too'),
});
export type Successor = z.infer<typeof successorSchema>;

export const abolishedSchema = z
  .object({
    level: placeLevelSchema.describe('The level abolished'),
    effectiveDate: isoDateSchema.describe('The first day without that level'),
    legalRef: z.string(),
    successors: z.array(successorSchema).describe('The units of the new map its communes went into, by code'),
  })
  .describe('The whole level of this unit was abolished (the districts on 1 July 2025): what became of its area');
export type Abolished = z.infer<typeof abolishedSchema>;

export const lineageSchema = z.object({
  place: placeSummarySchema,
  from: z.array(lineageEdgeSchema).describe('The units this one was formed from'),
  to: z.array(lineageEdgeSchema).describe('The units this one became'),
  abolished: abolishedSchema.nullable().describe('Set when the level of this unit was abolished (a district before 1 July 2025); null otherwise'),
});
export type Lineage = z.infer<typeof lineageSchema>;

export const locateResultSchema = z.object({
  at: isoDateSchema,
  point: z.object({ lat: z.number(), lon: z.number() }),
  precision: placeLevelSchema.describe('The finest level whose boundaries were known at that date'),
  commune: placeSummarySchema.nullable(),
  district: placeSummarySchema.nullable(),
  province: placeSummarySchema.nullable(),
  note: z.string().nullable(),
});
export type LocateResult = z.infer<typeof locateResultSchema>;

/**
 * Classifies the edges into one new unit: several sources make a merge;
 * an old unit shared among several new ones is a split; one whole source
 * is a rename (or a continuation when the name is unchanged).
 */
export function classifyLineage(input: {
  sourcesOfNew: number;
  targetsOfOld: number;
  part: LineagePart;
  oldName: string;
  newName: string;
  oldLevel: PlaceLevel;
  newLevel: PlaceLevel;
}): LineageKind {
  if (input.part === 'partial' || input.targetsOfOld > 1) return 'split';
  if (input.sourcesOfNew > 1) return 'merge';
  if (input.oldLevel !== input.newLevel) return 'upgrade';
  return input.oldName === input.newName ? 'continue' : 'rename';
}
