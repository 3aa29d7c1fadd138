import type { Generated } from 'kysely';

/**
 * The database as Kysely sees it. Column names are snake_case; calendar
 * dates are 'YYYY-MM-DD' strings on both engines (text in SQLite, date in
 * PostgreSQL, read back as text); instants are ISO-8601 UTC strings.
 *
 * Validity intervals are stored closed at both ends with sentinels for the
 * open ends (OPEN_START / OPEN_END in ./validity), so "valid on D" is a plain
 * range test that an index serves; the repositories turn the sentinels back
 * into null before anything leaves the data layer.
 */
export interface PlaceTable {
  id: Generated<number>;
  code: string;
  level: string;
  name: string;
  name_en: string | null;
  parent_code: string | null;
  valid_from: string;
  valid_to: string;
  area_km2: number | null;
  source: string | null;
}

export interface PlaceGeometryTable {
  place_id: number;
  geojson: string;
  min_lon: number;
  min_lat: number;
  max_lon: number;
  max_lat: number;
  source: string | null;
}

export interface PlaceLineageTable {
  id: Generated<number>;
  from_place_id: number;
  to_place_id: number;
  kind: string;
  part: string;
  share: number | null;
  effective_date: string;
  legal_ref: string | null;
}

export interface OrganisationTable {
  id: Generated<number>;
  code: string;
  name: string;
  name_en: string | null;
  kind: string;
  parent_code: string | null;
  place_code: string | null;
  valid_from: string;
  valid_to: string;
  demo: number;
}

export interface OrganisationLineageTable {
  id: Generated<number>;
  from_org_id: number;
  to_org_id: number;
  effective_date: string;
  legal_ref: string | null;
}

/** What reference data set was loaded, when, with what checksum: the basis of idempotent loading and `watchfloor status`. */
export interface DatasetTable {
  name: string;
  checksum: string;
  loaded_at: string;
  summary: string;
}

export interface Database {
  place: PlaceTable;
  place_geometry: PlaceGeometryTable;
  place_lineage: PlaceLineageTable;
  organisation: OrganisationTable;
  organisation_lineage: OrganisationLineageTable;
  dataset: DatasetTable;
}
