import type { Geometry, Point } from 'geojson';
import {
  areasIntersect,
  bboxOf,
  boxesOverlap,
  CAP_GEOCODE_VN_ADMIN,
  isArea,
  parseCapCircle,
  parseCapPolygon,
  type Area,
  type BBox,
  type CapArea,
  type CapAreaMapping,
} from '@watchfloor/core';
import { PlacesRepository, toPlaceSummary, type PlaceRow, type Store } from '@watchfloor/db';

type MatchedBy = CapAreaMapping['places'][number]['matchedBy'];

/** A mapped area, and the place versions (ids) behind it for storage. */
export interface MappedArea {
  mapping: Omit<CapAreaMapping, 'info' | 'area'>;
  placeIds: { id: number; code: string }[];
}

/**
 * Maps a CAP area onto our places on a date. Geocodes of our scheme
 * (VN-ADMIN: the official code of a province, district or commune) name
 * places directly; polygons and circles select the places whose boundary
 * they touch, descending from provinces to the finest level whose
 * boundaries are known there (the communes of today's Vĩnh Long, the
 * districts of the three old provinces before July 2025, else the
 * province). Other geocode schemes (SAME, FIPS…) name places we do not
 * know; an area outside our geography maps to nothing, and the note says why.
 */
export class CapAreaMapper {
  private readonly places: PlacesRepository;

  constructor(db: Store['db']) {
    this.places = new PlacesRepository(db);
  }

  async map(area: CapArea, at: string): Promise<MappedArea> {
    const found = new Map<number, { row: PlaceRow; matchedBy: MatchedBy }>();
    const notes: string[] = [];
    const add = (row: PlaceRow, matchedBy: MatchedBy) => {
      if (!found.has(row.id)) found.set(row.id, { row, matchedBy });
    };

    const foreignSchemes = new Set<string>();
    for (const g of area.geocode) {
      if (g.valueName.trim().toUpperCase() !== CAP_GEOCODE_VN_ADMIN) {
        foreignSchemes.add(g.valueName);
        continue;
      }
      const row = /^\d{2,5}$/.test(g.value.trim()) ? await this.places.findAt(g.value.trim(), at) : undefined;
      if (row) add(row, 'geocode');
      else notes.push(`${CAP_GEOCODE_VN_ADMIN} ${g.value} names no unit valid on ${at}`);
    }
    if (foreignSchemes.size > 0) notes.push(`geocodes of ${[...foreignSchemes].join(', ')} are not a scheme we know (ours: ${CAP_GEOCODE_VN_ADMIN})`);

    const shapes: { shape: Area | Point; matchedBy: MatchedBy }[] = [];
    for (const text of area.polygon) {
      const p = parseCapPolygon(text);
      if (p.ok) shapes.push({ shape: p.value, matchedBy: 'polygon' });
      else notes.push(`polygon skipped: ${p.reason}`);
    }
    for (const text of area.circle) {
      const c = parseCapCircle(text);
      if (c.ok) shapes.push({ shape: c.value.area ?? { type: 'Point', coordinates: [c.value.lon, c.value.lat] }, matchedBy: 'circle' });
      else notes.push(`circle skipped: ${c.reason}`);
    }
    let shapeHits = 0;
    for (const { shape, matchedBy } of shapes) {
      const hits = await this.placesTouching(shape, at);
      shapeHits += hits.length;
      for (const row of hits) add(row, matchedBy);
    }
    if (shapes.length > 0 && shapeHits === 0) notes.push(`no unit of ours with a known boundary lies in this area on ${at}`);
    if (area.geocode.length === 0 && shapes.length === 0) notes.push('the area is described in words only');

    const rows = [...found.values()].sort((a, b) => a.row.code.localeCompare(b.row.code));
    return {
      mapping: {
        areaDesc: area.areaDesc,
        places: rows.map(({ row, matchedBy }) => ({ ...toPlaceSummary(row), matchedBy })),
        note: notes.length === 0 ? null : `${rows.length === 0 ? 'Mapped to no place: ' : ''}${notes.join('; ')}`,
      },
      placeIds: rows.map(({ row }) => ({ id: row.id, code: row.code })),
    };
  }

  /** The finest places with known boundaries that the shape touches. */
  private async placesTouching(shape: Area | Point, at: string): Promise<PlaceRow[]> {
    const box: BBox =
      shape.type === 'Point' ? { minLon: shape.coordinates[0]!, maxLon: shape.coordinates[0]!, minLat: shape.coordinates[1]!, maxLat: shape.coordinates[1]! } : bboxOf(shape);
    const out: PlaceRow[] = [];
    for (const c of await this.places.geometriesInBox(box, at, 'province')) {
      const g = parseArea(c.geojson);
      if (g && areasIntersect(shape, g)) out.push(...(await this.descend(c.place, shape, box, at)));
    }
    return out;
  }

  /** Within a unit the shape touches: its children with boundaries that the shape touches, recursively; else the unit itself. */
  private async descend(unit: PlaceRow, shape: Area | Point, box: BBox, at: string): Promise<PlaceRow[]> {
    const children = await this.places.childGeometries(unit.code, at);
    const out: PlaceRow[] = [];
    for (const c of children) {
      const [minLon, minLat, maxLon, maxLat] = c.bbox;
      if (!boxesOverlap(box, { minLon, minLat, maxLon, maxLat })) continue;
      const g = parseArea(c.geojson);
      if (g && areasIntersect(shape, g)) out.push(...(await this.descend(c.place, shape, box, at)));
    }
    // No child boundary touched (none known, or the shape falls in a gap of simplified boundaries): the unit itself.
    return out.length > 0 ? out : [unit];
  }
}

function parseArea(geojson: string): Area | null {
  const g = JSON.parse(geojson) as Geometry;
  return isArea(g) ? g : null;
}
