import type { Geometry } from 'geojson';
import {
  AppError,
  abolitionOf,
  containsPoint,
  isArea,
  todayIn,
  type Lineage,
  type LocateResult,
  type PlaceDetail,
  type PlaceFeature,
  type PlaceFeatureCollection,
  type PlaceLevel,
  type PlaceSummary,
  simplifyPlaceCollection,
  mapPlaceCollection,
  type PlaceMapCollection,
} from '@watchfloor/core';
import { PlacesRepository, readValidTo, toPlaceSummary, type PlaceRow } from '@watchfloor/db';
import type { AppContext } from '../../context';

/** Place answers as of a date. Thin over the repository; the rules about versions and errors live here. */
export class PlacesService {
  private readonly repo: PlacesRepository;

  constructor(private readonly ctx: AppContext) {
    this.repo = new PlacesRepository(ctx.store.db);
  }

  today(): string {
    return todayIn(this.ctx.clock);
  }

  async list(at: string, level?: PlaceLevel, parentCode?: string): Promise<PlaceSummary[]> {
    if (parentCode) await this.resolve(parentCode, at);
    return (await this.repo.listAt(at, { level, parentCode })).map(toPlaceSummary);
  }

  /** The version of `code` valid at `at`, or a coded 404 that says when the code was valid. */
  async resolve(code: string, at: string): Promise<PlaceRow> {
    const row = await this.repo.findAt(code, at);
    if (row) return row;
    const versions = await this.repo.versions(code);
    if (versions.length === 0) throw new AppError('unknown_place_code', `No administrative unit has code ${code}`);
    const spans = versions.map(toPlaceSummary).map((v) => `${v.name} (${v.validFrom ?? '…'} – ${v.validTo ?? 'now'})`);
    throw new AppError('place_not_valid_at_date', `Code ${code} names no unit valid on ${at}; it named ${spans.join(', ')}`, {
      versions: versions.map(toPlaceSummary),
    });
  }

  /** The version to show lineage for: the one valid at `at`, else today's, else the latest. */
  private async resolveForLineage(code: string, at: string | undefined): Promise<PlaceRow> {
    if (at) return this.resolve(code, at);
    const current = await this.repo.findAt(code, this.today());
    if (current) return current;
    const versions = await this.repo.versions(code);
    const latest = versions.at(-1);
    if (!latest) throw new AppError('unknown_place_code', `No administrative unit has code ${code}`);
    return latest;
  }

  async detail(code: string, at: string): Promise<PlaceDetail> {
    const row = await this.resolve(code, at);
    const ancestors: PlaceSummary[] = [];
    let parentCode = row.parent_code;
    while (parentCode) {
      const parent = await this.repo.findAt(parentCode, at);
      if (!parent) break;
      ancestors.unshift(toPlaceSummary(parent));
      parentCode = parent.parent_code;
    }
    const children = (await this.repo.listAt(at, { parentCode: row.code })).map(toPlaceSummary);
    return {
      ...toPlaceSummary(row),
      areaKm2: row.area_km2,
      hasGeometry: await this.repo.hasGeometry(row.id),
      ancestors,
      children,
      source: row.source,
    };
  }

  async geometry(code: string, at: string): Promise<PlaceFeature & { properties: { source: string | null } }> {
    const row = await this.resolve(code, at);
    const g = await this.repo.geometry(row.id);
    if (!g) {
      throw new AppError('no_geometry', `No boundary of ${row.name} (${row.code}) is available${row.level === 'commune' && readValidTo(row.valid_to) !== null ? ': boundaries of pre-2025 communes are not openly licensed' : ''}`);
    }
    const geometry = JSON.parse(g.geojson) as Geometry;
    if (!isArea(geometry)) throw new Error(`stored boundary of place ${row.id} is a ${geometry.type}`);
    return {
      type: 'Feature',
      geometry,
      properties: { ...toPlaceSummary(row), areaKm2: row.area_km2, source: g.source },
    };
  }

  /**
   * The boundaries of a unit's children on a date as one FeatureCollection,
   * for a choropleth: one request instead of one per child. Children with no
   * boundary (pre-2025 communes) are listed in `missing`. With a
   * `tolerance` (degrees), each boundary is simplified to it (level of detail);
   * with `properties` 'map', each feature keeps only its code (the map's shape).
   */
  async childrenGeometry(code: string, at: string, tolerance?: number, properties: 'all' | 'map' = 'all'): Promise<PlaceFeatureCollection | PlaceMapCollection> {
    const parent = await this.resolve(code, at);
    const children = await this.repo.listAt(at, { parentCode: parent.code });
    const shapes = await this.repo.childGeometries(parent.code, at);
    const features: PlaceFeature[] = [];
    for (const c of shapes) {
      const geometry = JSON.parse(c.geojson) as Geometry;
      if (!isArea(geometry)) throw new Error(`stored boundary of place ${c.place.id} is a ${geometry.type}`);
      features.push({ type: 'Feature', geometry, properties: { ...toPlaceSummary(c.place), areaKm2: c.place.area_km2 } });
    }
    const drawn = new Set(shapes.map((c) => c.place.code));
    const boxes = shapes.map((c) => c.bbox);
    const collection: PlaceFeatureCollection = {
      type: 'FeatureCollection',
      ...(boxes.length > 0
        ? { bbox: [Math.min(...boxes.map((b) => b[0])), Math.min(...boxes.map((b) => b[1])), Math.max(...boxes.map((b) => b[2])), Math.max(...boxes.map((b) => b[3]))] }
        : {}),
      features,
      missing: children.filter((c) => !drawn.has(c.code)).map((c) => c.code),
    };
    const detailed = tolerance === undefined ? collection : simplifyPlaceCollection(collection, tolerance);
    return properties === 'map' ? mapPlaceCollection(detailed) : detailed;
  }

  /**
   * What the unit was formed from and what it became; for a unit whose whole
   * level was abolished (a district, on 1 July 2025), also the units of the
   * new map its communes went into.
   */
  async lineage(code: string, at: string | undefined): Promise<Lineage> {
    const row = await this.resolveForLineage(code, at);
    const place = toPlaceSummary(row);
    const abolition = abolitionOf(place);
    const abolished = abolition && place.validTo ? { ...abolition, successors: await this.repo.successorsOfChildren(place.code, place.validTo) } : null;
    return { place, ...(await this.repo.lineage(row.id)), abolished };
  }

  /**
   * Which units contain a point on a date: the commune when its boundaries
   * of that time are known, else the district, else the province; the
   * coarser levels come from the finest unit's ancestors.
   */
  async locate(lat: number, lon: number, at: string): Promise<LocateResult> {
    const found: Partial<Record<PlaceLevel, PlaceSummary>> = {};
    let precision: PlaceLevel | null = null;
    for (const level of ['commune', 'district', 'province'] as const) {
      const hit = await this.containing(level, lon, lat, at);
      if (!hit) continue;
      precision = level;
      found[level] = toPlaceSummary(hit);
      let parentCode = hit.parent_code;
      while (parentCode) {
        const parent = await this.repo.findAt(parentCode, at);
        if (!parent) break;
        found[parent.level as PlaceLevel] = toPlaceSummary(parent);
        parentCode = parent.parent_code;
      }
      break;
    }
    if (!precision) throw new AppError('no_place_at_point', `No administrative unit with known boundaries contains (${lat}, ${lon}) on ${at}`);
    const note =
      precision === 'commune'
        ? null
        : `Boundaries of the ${precision === 'district' ? 'communes' : 'districts and communes'} valid on ${at} are not available here; located to the ${precision}.`;
    return {
      at,
      point: { lat, lon },
      precision,
      commune: found.commune ?? null,
      district: found.district ?? null,
      province: found.province ?? null,
      note,
    };
  }

  private async containing(level: PlaceLevel, lon: number, lat: number, at: string): Promise<PlaceRow | null> {
    for (const c of await this.repo.geometryCandidates(lon, lat, at, level)) {
      const g = JSON.parse(c.geojson) as Geometry;
      if (isArea(g) && containsPoint(g, lon, lat)) return c.place;
    }
    return null;
  }
}
