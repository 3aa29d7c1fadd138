import { parse as parseCsv } from 'csv-parse/sync';
import { z } from 'zod';
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import { DataFileError, PRE_2025_LAST_DAY, REFORM_2025_DATE, bboxOf, classifyLineage, isArea, type BBox, type LineageKind, type LineagePart, type PlaceLevel } from '@watchfloor/core';
import { placeKey, type PlaceInput } from '@watchfloor/db';

/**
 * Turns the shipped geography files into place versions, geometries and
 * lineage edges, validating every row. Pure: text in, plan out, so a bad
 * file is refused before anything touches the database.
 */

export const GEOGRAPHY_FILES = {
  units2025: 'admin/vn_admin_units_2025_34prov.csv',
  unitsPre2025: 'admin/vn_admin_units_pre2025_v2.4.1.csv',
  merges2025: 'admin/dvhcvn20250701_merges.json',
  legalActs: 'admin/legal-acts-2025.csv',
  provinces2025Geo: 'admin/vn_34provinces_2025_simplified.geojson',
  wards2025Geo: 'admin/vinhlong_2025_wards_simplified.geojson',
  provincesPre2025Geo: 'admin/vn_63provinces_pre2025_simplified.geojson',
  districtsPre2025Geo: 'admin/bentre_travinh_vinhlong_pre2025_districts.geojson',
} as const;

export type GeographyFileKey = keyof typeof GEOGRAPHY_FILES;
export type GeographyTexts = Record<GeographyFileKey, string>;

export interface PlannedGeometry {
  key: string;
  geojson: string;
  bbox: BBox;
  source: string;
}

export interface PlannedLineage {
  fromKey: string;
  toKey: string;
  kind: LineageKind;
  part: LineagePart;
  effectiveDate: string;
  legalRef: string | null;
}

export interface GeographyPlan {
  places: PlaceInput[];
  geometries: PlannedGeometry[];
  lineage: PlannedLineage[];
  /** Rows of the source files that could not be used, with why (not errors: upstream gaps). */
  warnings: string[];
}

const PRE = { validFrom: null, validTo: PRE_2025_LAST_DAY } as const;
const POST = { validFrom: REFORM_2025_DATE, validTo: null } as const;

const SRC_2025 = 'QĐ 19/2025/QĐ-TTg codes via thanglequoc/vietnamese-provinces-database (MIT)';
const SRC_PRE = 'GSO codes as of 2025-03-01 via thanglequoc/vietnamese-provinces-database v2.4.1 (MIT)';

const code = (digits: number) => z.string().regex(new RegExp(`^\\d{${digits}}$`), `must be ${digits} digits`);
const name = z.string().trim().min(1, 'must not be empty');

const row2025 = z.object({ province_code: code(2), province_name: name, ward_code: code(5), ward_name: name });
const rowPre = z.object({
  province_code: code(2),
  province_name: name,
  district_code: code(3),
  district_name: name,
  ward_code: z.union([code(5), z.literal('')]),
  ward_name: z.string(),
});
const rowLegal = z.object({
  level: z.enum(['province', 'commune']),
  new_province_code: z.union([code(2), z.literal('*')]),
  legal_ref: name,
  effective_date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
});

function zodReason(e: z.ZodError): string {
  return e.issues.map((i) => `${i.path.join('.') || 'row'} ${i.message}`).join('; ');
}

/** Parses a CSV with a header row; each record comes with the file line it started on. */
export function parseCsvRows<T>(file: string, text: string, schema: z.ZodType<T>): { line: number; row: T }[] {
  let records: { record: Record<string, string>; info: { lines: number } }[];
  try {
    records = parseCsv(text, { columns: true, bom: true, info: true, skip_empty_lines: true }) as typeof records;
  } catch (e) {
    const err = e as { lines?: number; message?: string };
    throw new DataFileError(file, err.lines ?? null, `not valid CSV: ${err.message ?? String(e)}`);
  }
  return records.map(({ record, info }) => {
    const parsed = schema.safeParse(record);
    if (!parsed.success) throw new DataFileError(file, info.lines, zodReason(parsed.error));
    return { line: info.lines, row: parsed.data };
  });
}

/** Parses JSON, reporting a syntax error with its line. */
export function parseJsonFile(file: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    const pos = /position (\d+)/.exec(msg);
    const line = pos ? text.slice(0, Number(pos[1])).split('\n').length : null;
    throw new DataFileError(file, line, `not valid JSON: ${msg}`);
  }
}

const featureCollection = z.object({
  type: z.literal('FeatureCollection'),
  features: z.array(
    z.object({
      type: z.literal('Feature'),
      properties: z.object({ code: z.string(), areaKm2: z.number().optional(), nameEn: z.string().optional() }).loose(),
      geometry: z.object({ type: z.string() }).loose(),
    }),
  ),
});

function parseAreas(file: string, text: string): { code: string; geometry: Geometry; areaKm2: number | null; nameEn: string | null }[] {
  const parsed = featureCollection.safeParse(parseJsonFile(file, text));
  if (!parsed.success) throw new DataFileError(file, null, `not a GeoJSON FeatureCollection with a code on each feature: ${zodReason(parsed.error)}`);
  const fc = parsed.data as unknown as FeatureCollection<Geometry, { code: string; areaKm2?: number; nameEn?: string }>;
  return fc.features.map((f: Feature<Geometry, { code: string; areaKm2?: number; nameEn?: string }>, i) => {
    if (!isArea(f.geometry)) throw new DataFileError(file, null, `feature ${i} (code ${f.properties.code}) is a ${f.geometry.type}, not a Polygon or MultiPolygon`);
    return { code: f.properties.code, geometry: f.geometry, areaKm2: f.properties.areaKm2 ?? null, nameEn: f.properties.nameEn ?? null };
  });
}

const mergesFile = z.object({
  data: z.array(
    z.object({
      level1_id: code(2),
      name: name,
      merges: z.array(z.object({ old_id: code(2), name: name, type: z.enum(['full', 'partial']) })),
      level2s: z.array(
        z.object({
          level2_id: code(5),
          name: name,
          merges: z.array(z.object({ old_id: z.string().regex(/^\d{3}$|^\d{5}$/), name: name, type: z.enum(['full', 'partial']) })),
        }),
      ),
    }),
  ),
});

/** Builds the plan from the files' texts. Throws DataFileError on the first bad row. */
export function planGeography(t: GeographyTexts): GeographyPlan {
  const warnings: string[] = [];
  const places = new Map<string, PlaceInput>();
  const put = (p: PlaceInput) => places.set(placeKey(p.level, p.code, p.validFrom), p);

  put({ code: 'VN', level: 'country', name: 'Việt Nam', nameEn: 'Viet Nam', parentCode: null, validFrom: null, validTo: null, areaKm2: null, source: null });

  for (const { row } of parseCsvRows(GEOGRAPHY_FILES.units2025, t.units2025, row2025)) {
    put({ code: row.province_code, level: 'province', name: row.province_name, nameEn: null, parentCode: 'VN', ...POST, areaKm2: null, source: SRC_2025 });
    put({ code: row.ward_code, level: 'commune', name: row.ward_name, nameEn: null, parentCode: row.province_code, ...POST, areaKm2: null, source: SRC_2025 });
  }
  for (const { row } of parseCsvRows(GEOGRAPHY_FILES.unitsPre2025, t.unitsPre2025, rowPre)) {
    put({ code: row.province_code, level: 'province', name: row.province_name, nameEn: null, parentCode: 'VN', ...PRE, areaKm2: null, source: SRC_PRE });
    put({ code: row.district_code, level: 'district', name: row.district_name, nameEn: null, parentCode: row.province_code, ...PRE, areaKm2: null, source: SRC_PRE });
    if (row.ward_code) put({ code: row.ward_code, level: 'commune', name: row.ward_name, nameEn: null, parentCode: row.district_code, ...PRE, areaKm2: null, source: SRC_PRE });
  }

  const geometries: PlannedGeometry[] = [];
  const attach = (file: string, text: string, level: PlaceLevel, era: typeof PRE | typeof POST, source: string) => {
    for (const a of parseAreas(file, text)) {
      const key = placeKey(level, a.code, era.validFrom);
      const place = places.get(key);
      if (!place) {
        warnings.push(`${file}: boundary for ${level} ${a.code} has no matching unit; skipped`);
        continue;
      }
      if (a.areaKm2 !== null) place.areaKm2 = a.areaKm2;
      if (a.nameEn !== null) place.nameEn = a.nameEn;
      if (!isArea(a.geometry)) continue;
      geometries.push({ key, geojson: JSON.stringify(a.geometry), bbox: bboxOf(a.geometry), source });
    }
  };
  const SRC_GEO_2025 = 'sapnhap.bando.com.vn via thanglequoc/vietnamese-provinces-database, simplified';
  const SRC_GEO_PRE = 'gis.chinhphu.vn (2019) via daohoangson/dvhcvn (GPL-3.0), simplified';
  attach(GEOGRAPHY_FILES.provinces2025Geo, t.provinces2025Geo, 'province', POST, SRC_GEO_2025);
  attach(GEOGRAPHY_FILES.wards2025Geo, t.wards2025Geo, 'commune', POST, SRC_GEO_2025);
  attach(GEOGRAPHY_FILES.provincesPre2025Geo, t.provincesPre2025Geo, 'province', PRE, SRC_GEO_PRE);
  attach(GEOGRAPHY_FILES.districtsPre2025Geo, t.districtsPre2025Geo, 'district', PRE, SRC_GEO_PRE);

  const legal = parseCsvRows(GEOGRAPHY_FILES.legalActs, t.legalActs, rowLegal).map((r) => r.row);
  const legalFor = (level: 'province' | 'commune', province: string) =>
    legal.find((l) => l.level === level && l.new_province_code === province) ?? legal.find((l) => l.level === level && l.new_province_code === '*');

  const merges = mergesFile.safeParse(parseJsonFile(GEOGRAPHY_FILES.merges2025, t.merges2025));
  if (!merges.success) throw new DataFileError(GEOGRAPHY_FILES.merges2025, null, `unexpected shape: ${zodReason(merges.error)}`);

  interface RawEdge {
    fromKey: string;
    toKey: string;
    part: LineagePart;
    legal: ReturnType<typeof legalFor>;
  }
  const raw: RawEdge[] = [];
  const oldLevel = (id: string): PlaceLevel => (id.length === 2 ? 'province' : id.length === 3 ? 'district' : 'commune');
  for (const prov of merges.data.data) {
    const newProv = placeKey('province', prov.level1_id, REFORM_2025_DATE);
    if (!places.has(newProv)) {
      warnings.push(`${GEOGRAPHY_FILES.merges2025}: province ${prov.level1_id} is not among the 2025 units; its lineage is skipped`);
      continue;
    }
    for (const m of prov.merges) {
      const from = placeKey('province', m.old_id, null);
      if (!places.has(from)) warnings.push(`${GEOGRAPHY_FILES.merges2025}: old province ${m.old_id} (${m.name}) is unknown; edge skipped`);
      else raw.push({ fromKey: from, toKey: newProv, part: m.type, legal: legalFor('province', prov.level1_id) });
    }
    for (const w of prov.level2s) {
      const to = placeKey('commune', w.level2_id, REFORM_2025_DATE);
      if (!places.has(to)) {
        warnings.push(`${GEOGRAPHY_FILES.merges2025}: new commune ${w.level2_id} (${w.name}) is not among the 2025 units; its lineage is skipped`);
        continue;
      }
      for (const m of w.merges) {
        const from = placeKey(oldLevel(m.old_id), m.old_id, null);
        if (!places.has(from)) warnings.push(`${GEOGRAPHY_FILES.merges2025}: old unit ${m.old_id} (${m.name}) → ${w.level2_id} is not among the pre-2025 units; edge skipped`);
        else raw.push({ fromKey: from, toKey: to, part: m.type, legal: legalFor('commune', prov.level1_id) });
      }
    }
  }
  const sources = new Map<string, number>();
  const targets = new Map<string, number>();
  for (const e of raw) {
    sources.set(e.toKey, (sources.get(e.toKey) ?? 0) + 1);
    targets.set(e.fromKey, (targets.get(e.fromKey) ?? 0) + 1);
  }
  const lineage: PlannedLineage[] = raw.map((e) => {
    const from = places.get(e.fromKey)!;
    const to = places.get(e.toKey)!;
    return {
      fromKey: e.fromKey,
      toKey: e.toKey,
      part: e.part,
      kind: classifyLineage({
        sourcesOfNew: sources.get(e.toKey) ?? 0,
        targetsOfOld: targets.get(e.fromKey) ?? 0,
        part: e.part,
        oldName: from.name,
        newName: to.name,
        oldLevel: from.level,
        newLevel: to.level,
      }),
      effectiveDate: e.legal?.effective_date ?? REFORM_2025_DATE,
      legalRef: e.legal?.legal_ref ?? null,
    };
  });

  return { places: [...places.values()], geometries, lineage, warnings };
}
