/**
 * The ancestry of every place version: the units it rolls up into. Within
 * its own time a place belongs wholly (share 1) to itself, its parent, its
 * grandparent…; through lineage it also belongs to the later units it
 * became, with the share that moved. That second part is what lets
 * 2016–2024 facts of Trà Vinh add up into today's Vĩnh Long by a join.
 */
export interface AncestryPlace {
  id: number;
  code: string;
  parentCode: string | null;
  /** Inclusive; null = open. */
  validFrom: string | null;
  validTo: string | null;
}

export interface AncestryEdge {
  fromId: number;
  toId: number;
  /** Share of the old unit that moved; null = unknown (what known shares leave, split equally). */
  share: number | null;
}

export interface AncestryRow {
  placeId: number;
  ancestorId: number;
  share: number;
  viaLineage: boolean;
}

const overlaps = (a: AncestryPlace, b: AncestryPlace) =>
  (a.validFrom ?? '') <= (b.validTo ?? '9999-12-31') && (b.validFrom ?? '') <= (a.validTo ?? '9999-12-31');

/** Computes the ancestry rows of every place (including each place itself). */
export function computeAncestry(places: readonly AncestryPlace[], edges: readonly AncestryEdge[]): AncestryRow[] {
  const byId = new Map(places.map((p) => [p.id, p]));
  const versionsByCode = new Map<string, AncestryPlace[]>();
  for (const p of places) versionsByCode.set(p.code, [...(versionsByCode.get(p.code) ?? []), p]);

  const parentOf = (p: AncestryPlace): AncestryPlace | undefined =>
    p.parentCode === null ? undefined : versionsByCode.get(p.parentCode)?.find((v) => overlaps(v, p));

  const chainCache = new Map<number, AncestryPlace[]>();
  /** The place and its ancestors in its own time, nearest first. */
  const chain = (p: AncestryPlace): AncestryPlace[] => {
    const cached = chainCache.get(p.id);
    if (cached) return cached;
    const parent = parentOf(p);
    const out = [p, ...(parent && parent.id !== p.id ? chain(parent) : [])];
    chainCache.set(p.id, out);
    return out;
  };

  const outgoing = new Map<number, AncestryEdge[]>();
  for (const e of edges) outgoing.set(e.fromId, [...(outgoing.get(e.fromId) ?? []), e]);

  /** The later units a place became, with shares; inherited from the nearest ancestor that has lineage. */
  const imageCache = new Map<number, Map<number, number>>();
  const image = (p: AncestryPlace): Map<number, number> => {
    const cached = imageCache.get(p.id);
    if (cached) return cached;
    const own = outgoing.get(p.id);
    let out: Map<number, number>;
    if (own && own.length > 0) {
      // Unknown shares split what the known ones leave, equally.
      const known = own.reduce((a, e) => a + (e.share ?? 0), 0);
      const unknown = own.filter((e) => e.share === null).length;
      const rest = unknown > 0 ? Math.max(0, 1 - known) / unknown : 0;
      out = new Map();
      for (const e of own) out.set(e.toId, (out.get(e.toId) ?? 0) + (e.share ?? rest));
    } else {
      const parent = parentOf(p);
      out = parent ? image(parent) : new Map();
    }
    imageCache.set(p.id, out);
    return out;
  };

  const rows: AncestryRow[] = [];
  for (const p of places) {
    const own = chain(p);
    const ownIds = new Set(own.map((a) => a.id));
    for (const a of own) rows.push({ placeId: p.id, ancestorId: a.id, share: 1, viaLineage: false });
    const later = new Map<number, number>();
    for (const [targetId, share] of image(p)) {
      const target = byId.get(targetId);
      if (!target) continue;
      for (const a of chain(target)) {
        if (ownIds.has(a.id)) continue;
        later.set(a.id, (later.get(a.id) ?? 0) + share);
      }
    }
    for (const [ancestorId, share] of later) rows.push({ placeId: p.id, ancestorId, share: Math.min(1, share), viaLineage: true });
  }
  return rows;
}
