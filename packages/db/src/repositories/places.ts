import type { Kysely, Selectable, Transaction } from 'kysely';
import { computeAncestry, type LineageEdge, type PlaceLevel, type PlaceSummary, type Successor } from '@watchfloor/core';
import type { Database, PlaceTable } from '../schema';
import { readValidFrom, readValidTo, validOn, writeValidFrom, writeValidTo } from '../validity';
import { inScope, type ResolvedScope } from '../scope';

type Db = Kysely<Database> | Transaction<Database>;
export type PlaceRow = Selectable<PlaceTable>;

export function toPlaceSummary(r: PlaceRow): PlaceSummary {
  return {
    code: r.code,
    name: r.name,
    nameEn: r.name_en,
    level: r.level as PlaceLevel,
    parentCode: r.parent_code,
    validFrom: readValidFrom(r.valid_from),
    validTo: readValidTo(r.valid_to),
  };
}

/** One place version to write: the loader's unit of work. */
export interface PlaceInput {
  code: string;
  level: PlaceLevel;
  name: string;
  nameEn: string | null;
  parentCode: string | null;
  validFrom: string | null;
  validTo: string | null;
  areaKm2: number | null;
  source: string | null;
}

export interface GeometryInput {
  placeId: number;
  geojson: string;
  minLon: number;
  minLat: number;
  maxLon: number;
  maxLat: number;
  source: string | null;
}

export interface LineageInput {
  fromPlaceId: number;
  toPlaceId: number;
  kind: string;
  part: string;
  share: number | null;
  effectiveDate: string;
  legalRef: string | null;
}

export interface GeometryCandidate {
  place: PlaceRow;
  geojson: string;
}

const CHUNK = 500;

function chunks<T>(xs: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += size) out.push(xs.slice(i, i + size));
  return out;
}

/** All SQL about places, their geometry and their lineage. */
export class PlacesRepository {
  constructor(private readonly db: Db) {}

  /**
   * Units valid on `at`, optionally of one level and/or under one parent,
   * ordered by code; `within`: only the units a caller's scope reaches.
   */
  async listAt(at: string, filter: { level?: PlaceLevel | undefined; parentCode?: string | undefined; within?: ResolvedScope | undefined } = {}): Promise<PlaceRow[]> {
    let q = this.db.selectFrom('place').selectAll().where(validOn(at));
    if (filter.level) q = q.where('level', '=', filter.level);
    if (filter.parentCode) q = q.where('parent_code', '=', filter.parentCode);
    if (filter.within) q = q.where(inScope(filter.within, { placeId: 'place.id' }));
    return q.orderBy('code').execute();
  }

  /** The version of `code` valid on `at`. */
  async findAt(code: string, at: string): Promise<PlaceRow | undefined> {
    return this.db.selectFrom('place').selectAll().where('code', '=', code).where(validOn(at)).executeTakeFirst();
  }

  /** Every version of `code`, oldest first. */
  async versions(code: string): Promise<PlaceRow[]> {
    return this.db.selectFrom('place').selectAll().where('code', '=', code).orderBy('valid_from').execute();
  }

  async hasGeometry(placeId: number): Promise<boolean> {
    const r = await this.db.selectFrom('place_geometry').select('place_id').where('place_id', '=', placeId).executeTakeFirst();
    return r !== undefined;
  }

  async geometry(placeId: number): Promise<{ geojson: string; source: string | null } | undefined> {
    return this.db.selectFrom('place_geometry').select(['geojson', 'source']).where('place_id', '=', placeId).executeTakeFirst();
  }

  /** The boundaries of the children of `parentCode` valid on `at` that have one, with their boxes, ordered by code. */
  async childGeometries(parentCode: string, at: string): Promise<(GeometryCandidate & { bbox: [number, number, number, number] })[]> {
    const rows = await this.db
      .selectFrom('place_geometry as g')
      .innerJoin('place as p', 'p.id', 'g.place_id')
      .selectAll('p')
      .select(['g.geojson', 'g.min_lon', 'g.min_lat', 'g.max_lon', 'g.max_lat'])
      .where('p.parent_code', '=', parentCode)
      .where(validOn(at, 'p'))
      .orderBy('p.code')
      .execute();
    return rows.map(({ geojson, min_lon, min_lat, max_lon, max_lat, ...place }) => ({ place, geojson, bbox: [min_lon, min_lat, max_lon, max_lat] }));
  }

  /** Places of one level valid on `at` whose bounding box contains the point: candidates for an exact test. */
  async geometryCandidates(lon: number, lat: number, at: string, level: PlaceLevel): Promise<GeometryCandidate[]> {
    return this.geometriesInBox({ minLon: lon, minLat: lat, maxLon: lon, maxLat: lat }, at, level);
  }

  /**
   * Places of one level valid on `at` whose boundary's bounding box overlaps
   * the box (a point is a box of no size), ordered by code: the candidates
   * for an exact test against a point or an area.
   */
  async geometriesInBox(box: { minLon: number; minLat: number; maxLon: number; maxLat: number }, at: string, level: PlaceLevel): Promise<GeometryCandidate[]> {
    const rows = await this.db
      .selectFrom('place_geometry as g')
      .innerJoin('place as p', 'p.id', 'g.place_id')
      .selectAll('p')
      .select('g.geojson')
      .where('p.level', '=', level)
      .where(validOn(at, 'p'))
      .where('g.min_lon', '<=', box.maxLon)
      .where('g.max_lon', '>=', box.minLon)
      .where('g.min_lat', '<=', box.maxLat)
      .where('g.max_lat', '>=', box.minLat)
      .orderBy('p.code')
      .execute();
    return rows.map(({ geojson, ...place }) => ({ place, geojson }));
  }

  /** Lineage edges arriving at (from) and leaving (to) a place version. */
  async lineage(placeId: number): Promise<{ from: LineageEdge[]; to: LineageEdge[] }> {
    const base = this.db
      .selectFrom('place_lineage as l')
      .select(['l.kind', 'l.part', 'l.share', 'l.effective_date', 'l.legal_ref']);
    const from = await base
      .innerJoin('place as p', 'p.id', 'l.from_place_id')
      .selectAll('p')
      .where('l.to_place_id', '=', placeId)
      .orderBy('p.code')
      .execute();
    const to = await base
      .innerJoin('place as p', 'p.id', 'l.to_place_id')
      .selectAll('p')
      .where('l.from_place_id', '=', placeId)
      .orderBy('p.code')
      .execute();
    const edge = (r: (typeof from)[number]): LineageEdge => ({
      place: toPlaceSummary(r),
      kind: r.kind as LineageEdge['kind'],
      part: r.part as LineageEdge['part'],
      share: r.share,
      effectiveDate: r.effective_date,
      legalRef: r.legal_ref,
    });
    return { from: from.map(edge), to: to.map(edge) };
  }

  /**
   * Where the children of a unit went (the communes of a district, on its
   * last day `lastDay`): each unit they became, by code, with the children
   * that went into it and how many units from elsewhere joined them there.
   */
  async successorsOfChildren(parentCode: string, lastDay: string): Promise<Successor[]> {
    const children = await this.listAt(lastDay, { parentCode });
    if (children.length === 0) return [];
    const childById = new Map(children.map((c) => [c.id, c]));
    const edges: (PlaceRow & { from_place_id: number })[] = [];
    for (const part of chunks(children.map((c) => c.id))) {
      edges.push(
        ...(await this.db
          .selectFrom('place_lineage as l')
          .innerJoin('place as p', 'p.id', 'l.to_place_id')
          .selectAll('p')
          .select('l.from_place_id')
          .where('l.from_place_id', 'in', part)
          .execute()),
      );
    }
    const targets = new Map<number, { place: PlaceRow; from: PlaceRow[] }>();
    for (const { from_place_id, ...place } of edges) {
      const t = targets.get(place.id) ?? { place, from: [] };
      t.from.push(childById.get(from_place_id)!);
      targets.set(place.id, t);
    }
    if (targets.size === 0) return [];
    const sources = new Map<number, number>();
    for (const part of chunks([...targets.keys()])) {
      const counts = await this.db
        .selectFrom('place_lineage')
        .select((eb) => ['to_place_id', eb.fn.countAll<number | string>().as('n')])
        .where('to_place_id', 'in', part)
        .groupBy('to_place_id')
        .execute();
      for (const c of counts) sources.set(c.to_place_id, Number(c.n));
    }
    const byCode = (a: PlaceRow, b: PlaceRow) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);
    return [...targets.values()]
      .sort((a, b) => byCode(a.place, b.place))
      .map((t) => ({
        place: toPlaceSummary(t.place),
        from: t.from.sort(byCode).map(toPlaceSummary),
        others: (sources.get(t.place.id) ?? t.from.length) - t.from.length,
      }));
  }

  /**
   * Recomputes every place's ancestry (its own hierarchy, and the later units
   * it became through lineage) from the places and lineage stored now.
   */
  /**
   * Every unit under each of some places (through place_ancestry, lineage
   * included; the place itself too) valid at some time between two dates,
   * with its level and stored validity: the units a figure built from them
   * should hear from.
   */
  async unitsUnder(ancestorIds: readonly number[], from: string, to: string): Promise<{ ancestorId: number; placeId: number; level: PlaceLevel; validFrom: string; validTo: string }[]> {
    const out: { ancestorId: number; placeId: number; level: PlaceLevel; validFrom: string; validTo: string }[] = [];
    const unique = [...new Set(ancestorIds)];
    for (let i = 0; i < unique.length; i += 400) {
      const rows = await this.db
        .selectFrom('place_ancestry as a')
        .innerJoin('place as p', 'p.id', 'a.place_id')
        .select(['a.ancestor_id', 'a.place_id', 'p.level', 'p.valid_from', 'p.valid_to'])
        .where('a.ancestor_id', 'in', unique.slice(i, i + 400))
        .where('p.valid_from', '<=', to)
        .where('p.valid_to', '>=', from)
        .execute();
      for (const r of rows) out.push({ ancestorId: r.ancestor_id, placeId: r.place_id, level: r.level as PlaceLevel, validFrom: r.valid_from, validTo: r.valid_to });
    }
    return out;
  }

  /**
   * The units of some levels under each of some places (place_ancestry:
   * their hierarchy, and the units they were formed from), other than the
   * places themselves, valid at some time between two dates, with the share
   * of each that belongs to the place: the units a figure that does not add
   * up is weighed over, or shown beside.
   */
  async unitRowsUnder(ancestorIds: readonly number[], levels: readonly PlaceLevel[], from: string, to: string): Promise<(PlaceRow & { ancestor_id: number; share: number })[]> {
    const out: (PlaceRow & { ancestor_id: number; share: number })[] = [];
    if (levels.length === 0) return out;
    const unique = [...new Set(ancestorIds)];
    for (let i = 0; i < unique.length; i += 400) {
      const rows = await this.db
        .selectFrom('place_ancestry as a')
        .innerJoin('place as p', 'p.id', 'a.place_id')
        .selectAll('p')
        .select(['a.ancestor_id', 'a.share'])
        .where('a.ancestor_id', 'in', unique.slice(i, i + 400))
        .whereRef('a.place_id', '!=', 'a.ancestor_id')
        .where('p.level', 'in', levels)
        .where('p.valid_from', '<=', to)
        .where('p.valid_to', '>=', from)
        .orderBy('p.code')
        .execute();
      out.push(...rows);
    }
    return out;
  }

  async rebuildAncestry(): Promise<number> {
    const places = await this.db.selectFrom('place').select(['id', 'code', 'parent_code', 'valid_from', 'valid_to']).execute();
    const edges = await this.db.selectFrom('place_lineage').select(['from_place_id', 'to_place_id', 'share']).execute();
    const rows = computeAncestry(
      places.map((p) => ({ id: p.id, code: p.code, parentCode: p.parent_code, validFrom: readValidFrom(p.valid_from), validTo: readValidTo(p.valid_to) })),
      edges.map((e) => ({ fromId: e.from_place_id, toId: e.to_place_id, share: e.share })),
    );
    await this.db.deleteFrom('place_ancestry').execute();
    for (const part of chunks(rows, 1000)) {
      await this.db
        .insertInto('place_ancestry')
        .values(part.map((r) => ({ place_id: r.placeId, ancestor_id: r.ancestorId, share: r.share, via_lineage: r.viaLineage ? 1 : 0 })))
        .execute();
    }
    return rows.length;
  }

  async ancestryCount(): Promise<number> {
    const r = await this.db.selectFrom('place_ancestry').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(r.n);
  }

  /** How many place versions, geometries and lineage edges are stored, by level. */
  async counts(): Promise<{ places: Record<string, number>; geometries: number; lineageEdges: number }> {
    const byLevel = await this.db.selectFrom('place').select(['level', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('level').execute();
    const g = await this.db.selectFrom('place_geometry').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const l = await this.db.selectFrom('place_lineage').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return {
      places: Object.fromEntries(byLevel.map((r) => [r.level, Number(r.n)])),
      geometries: Number(g.n),
      lineageEdges: Number(l.n),
    };
  }

  /**
   * Inserts or updates place versions by their natural key (code, level,
   * valid_from) and returns the id of each, keyed `level:code:validFrom`.
   * Ids stay stable across reloads, so facts that point at a place keep pointing at it.
   */
  async upsertPlaces(inputs: readonly PlaceInput[]): Promise<Map<string, number>> {
    const ids = new Map<string, number>();
    for (const part of chunks(inputs)) {
      const rows = part.map((p) => ({
        code: p.code,
        level: p.level,
        name: p.name,
        name_en: p.nameEn,
        parent_code: p.parentCode,
        valid_from: writeValidFrom(p.validFrom),
        valid_to: writeValidTo(p.validTo),
        area_km2: p.areaKm2,
        source: p.source,
      }));
      const out = await this.db
        .insertInto('place')
        .values(rows)
        .onConflict((oc) =>
          oc.columns(['code', 'level', 'valid_from']).doUpdateSet((eb) => ({
            name: eb.ref('excluded.name'),
            name_en: eb.ref('excluded.name_en'),
            parent_code: eb.ref('excluded.parent_code'),
            valid_to: eb.ref('excluded.valid_to'),
            area_km2: eb.ref('excluded.area_km2'),
            source: eb.ref('excluded.source'),
          })),
        )
        .returning(['id', 'code', 'level', 'valid_from'])
        .execute();
      for (const r of out) ids.set(placeKey(r.level, r.code, readValidFrom(r.valid_from)), r.id);
    }
    return ids;
  }

  async upsertGeometries(inputs: readonly GeometryInput[]): Promise<void> {
    for (const part of chunks(inputs, 50)) {
      await this.db
        .insertInto('place_geometry')
        .values(
          part.map((g) => ({
            place_id: g.placeId,
            geojson: g.geojson,
            min_lon: g.minLon,
            min_lat: g.minLat,
            max_lon: g.maxLon,
            max_lat: g.maxLat,
            source: g.source,
          })),
        )
        .onConflict((oc) =>
          oc.column('place_id').doUpdateSet((eb) => ({
            geojson: eb.ref('excluded.geojson'),
            min_lon: eb.ref('excluded.min_lon'),
            min_lat: eb.ref('excluded.min_lat'),
            max_lon: eb.ref('excluded.max_lon'),
            max_lat: eb.ref('excluded.max_lat'),
            source: eb.ref('excluded.source'),
          })),
        )
        .execute();
    }
  }

  async upsertLineage(inputs: readonly LineageInput[]): Promise<void> {
    for (const part of chunks(inputs)) {
      await this.db
        .insertInto('place_lineage')
        .values(
          part.map((l) => ({
            from_place_id: l.fromPlaceId,
            to_place_id: l.toPlaceId,
            kind: l.kind,
            part: l.part,
            share: l.share,
            effective_date: l.effectiveDate,
            legal_ref: l.legalRef,
          })),
        )
        .onConflict((oc) =>
          oc.columns(['from_place_id', 'to_place_id']).doUpdateSet((eb) => ({
            kind: eb.ref('excluded.kind'),
            part: eb.ref('excluded.part'),
            share: eb.ref('excluded.share'),
            effective_date: eb.ref('excluded.effective_date'),
            legal_ref: eb.ref('excluded.legal_ref'),
          })),
        )
        .execute();
    }
  }
}

/** The key `upsertPlaces` returns ids under. */
export function placeKey(level: string, code: string, validFrom: string | null): string {
  return `${level}:${code}:${validFrom ?? ''}`;
}
