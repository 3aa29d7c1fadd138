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

export interface IndicatorTable {
  code: string;
  kind: string;
  domain: string;
  frequency: string;
  unit: string;
  name_vi: string;
  name_en: string;
  owner_org_code: string | null;
  /** The whole validated definition, JSON (jsonb in PostgreSQL, text in SQLite). */
  definition: unknown;
  updated_at: string;
}

export interface ObservationTable {
  id: Generated<number>;
  indicator_code: string;
  /** The place version valid during the period: facts keep the place of their time. */
  place_id: number;
  place_code: string;
  period_key: string;
  period_kind: string;
  period_start: string;
  period_end: string;
  /** '' when the figure is not broken down by organisation. */
  org_code: string;
  value: number;
  status: string;
  source: string;
  run_id: number | null;
  entered_by: string | null;
  note: string | null;
  revision: number;
  recorded_at: string;
}

export interface ObservationRevisionTable {
  id: Generated<number>;
  observation_id: number;
  revision: number;
  value: number;
  status: string;
  source: string;
  run_id: number | null;
  entered_by: string | null;
  note: string | null;
  recorded_at: string;
}

export interface TargetTable {
  id: Generated<number>;
  indicator_code: string;
  place_id: number;
  place_code: string;
  period_key: string;
  value: number;
  source: string;
  updated_at: string;
}

/** Every place's ancestors: its own hierarchy (share 1) and, through lineage, the later units it became (with the share that moved). Includes the place itself. */
export interface PlaceAncestryTable {
  place_id: number;
  ancestor_id: number;
  share: number;
  via_lineage: number;
}

/**
 * Pre-aggregated observations per indicator × place × stored period (a
 * day's month, or the fact's own month, quarter or year) × level of the
 * contributing facts; wider periods are composed from these on read. Every statistic is weighted by the share with which a
 * fact's place belongs to the place (1 within its own hierarchy, less after
 * a partial merge), so means and sums regroup alike.
 */
export interface ObservationRollupTable {
  indicator_code: string;
  place_id: number;
  period_key: string;
  level: string;
  sum: number;
  weight: number;
  min: number;
  max: number;
  last_end: string;
  last_sum: number;
  last_weight: number;
  /** Contributions that were estimated or came through a partial merge. */
  estimated: number;
  /** How many facts contributed. */
  facts: number;
  latest_recorded_at: string;
}

export interface Database {
  place: PlaceTable;
  place_geometry: PlaceGeometryTable;
  place_lineage: PlaceLineageTable;
  organisation: OrganisationTable;
  organisation_lineage: OrganisationLineageTable;
  dataset: DatasetTable;
  indicator: IndicatorTable;
  observation: ObservationTable;
  observation_revision: ObservationRevisionTable;
  target: TargetTable;
  place_ancestry: PlaceAncestryTable;
  observation_rollup: ObservationRollupTable;
}
