import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataScope } from '@watchfloor/core';
import type { Store } from './dialect';
import { alertInScope } from './repositories/alerts';
import { OrganisationsRepository } from './repositories/organisations';
import { PlacesRepository } from './repositories/places';
import { inScope, reaches, reachesMany, resolveScope, type ResolvedScope } from './scope';
import { testEngines } from './testing';

/**
 * The province 86 with two communes of today, and a ward (86001) that
 * ceased on 1 July 2025 and was merged into commune 29242.
 */
const PLACES = [
  { code: '86', level: 'province', parentCode: null, validFrom: null, validTo: null },
  { code: '29242', level: 'commune', parentCode: '86', validFrom: '2025-07-01', validTo: null },
  { code: '29254', level: 'commune', parentCode: '86', validFrom: '2025-07-01', validTo: null },
  { code: '86001', level: 'commune', parentCode: '86', validFrom: null, validTo: '2025-06-30' },
] as const;

/** The province's committee, a department under it, two communes' committees, and an agency with no place of its own. */
const ORGANISATIONS = [
  { code: 'VL-UBND', kind: 'peoples_committee', parentCode: null, placeCode: '86' },
  { code: 'VL-STC', kind: 'department', parentCode: 'VL-UBND', placeCode: '86' },
  { code: 'UBND-29242', kind: 'peoples_committee', parentCode: 'VL-UBND', placeCode: '29242' },
  { code: 'UBND-29254', kind: 'peoples_committee', parentCode: 'VL-UBND', placeCode: '29254' },
  { code: 'VL-KHAC', kind: 'other', parentCode: 'VL-UBND', placeCode: null },
] as const;

const GRANT_PLACES = [null, '86', '29242', '29254', '86001'];
const GRANT_ORGS = [null, 'VL-UBND', 'VL-STC', 'UBND-29242', 'VL-KHAC'];
const TARGET_PLACES = [null, '86', '29242', '29254', '86001'];
const TARGET_ORGS = [null, 'VL-UBND', 'VL-STC', 'UBND-29242', 'UBND-29254', 'VL-KHAC'];

/** Every single grant, some pairs of grants (a leader's and an officer's), nothing, the public and everything. */
function scopes(): { name: string; scope: DataScope }[] {
  const single = GRANT_PLACES.flatMap((placeCode) => GRANT_ORGS.map((organisationCode) => ({ placeCode, organisationCode })));
  return [
    { name: 'all', scope: { kind: 'all' } },
    { name: 'public', scope: { kind: 'public' } },
    { name: 'no grant', scope: { kind: 'grants', grants: [] } },
    ...single.map((g) => ({ name: `${g.organisationCode ?? '*'} @ ${g.placeCode ?? '*'}`, scope: { kind: 'grants', grants: [g] } as const })),
    {
      name: 'officer of 29242 and reader of 29254',
      scope: { kind: 'grants', grants: [{ organisationCode: 'UBND-29242', placeCode: '29242' }, { organisationCode: null, placeCode: '29254' }] },
    },
    { name: 'two departments', scope: { kind: 'grants', grants: [{ organisationCode: 'VL-STC', placeCode: null }, { organisationCode: 'VL-KHAC', placeCode: '86' }] } },
  ];
}

interface Probe {
  id: number;
  placeCode: string | null;
  orgCode: string | null;
  placeId: number | null;
}

for (const engine of testEngines()) {
  describe.skipIf(engine.skip)(`one scope rule on ${engine.engine}`, () => {
    let store: Store;
    const probes: Probe[] = [];

    beforeAll(async () => {
      store = await engine.open();
      const places = new PlacesRepository(store.db);
      const ids = await places.upsertPlaces(PLACES.map((p) => ({ ...p, name: p.code, nameEn: null, areaKm2: null, source: null })));
      const idOf = (code: string) => {
        const p = PLACES.find((x) => x.code === code);
        const id = p && ids.get(`${p.level}:${p.code}:${p.validFrom ?? ''}`);
        if (id === undefined) throw new Error(`no id for place ${code}: ${[...ids.keys()].join(', ')}`);
        return id;
      };
      await places.upsertLineage([{ fromPlaceId: idOf('86001'), toPlaceId: idOf('29242'), kind: 'merge', part: 'full', share: null, effectiveDate: '2025-07-01', legalRef: null }]);
      await places.rebuildAncestry();
      await new OrganisationsRepository(store.db).upsert(ORGANISATIONS.map((o) => ({ ...o, name: o.code, nameEn: null, validFrom: null, validTo: null, demo: false })));
      // One row per target, in a table of the test's own, for the SQL filters to select from.
      await sql`create table scope_probe (id integer primary key, place_code text, org_code text, place_id integer)`.execute(store.db);
      for (const placeCode of TARGET_PLACES) {
        for (const orgCode of TARGET_ORGS) {
          const probe = { id: probes.length + 1, placeCode, orgCode, placeId: placeCode === null ? null : idOf(placeCode) };
          probes.push(probe);
          await sql`insert into scope_probe (id, place_code, org_code, place_id) values (${probe.id}, ${placeCode}, ${orgCode}, ${probe.placeId})`.execute(store.db);
        }
      }
    });
    afterAll(async () => store?.close());

    /** The ids of the probes a SQL filter keeps. */
    const selected = async (filter: ReturnType<typeof inScope>): Promise<Set<number>> => {
      const { rows } = await sql<{ id: number }>`select p.id from scope_probe p where ${filter}`.execute(store.db);
      return new Set(rows.map((r) => Number(r.id)));
    };
    const name = (p: Probe) => `${p.orgCode ?? '-'} @ ${p.placeCode ?? '-'}`;

    it('judges every grant × target alike in the SQL filters and in reaches(), for records, alerts and figures', async () => {
      const disagreements: string[] = [];
      let judged = 0;
      let reached = 0;
      for (const { name: scopeName, scope } of scopes()) {
        const resolved: ResolvedScope = await resolveScope(store.db, scope);
        // A record with its own place and agency (a case, a dossier).
        const records = await selected(inScope(resolved, { placeCode: 'p.place_code', orgCode: 'p.org_code' }));
        // An alert: without a place, it stands where its agency is.
        const alerts = await selected(alertInScope(resolved, 'p'));
        // A figure or a station: a place and no agency, which a grant's agency reaches by its place.
        const figures = await selected(inScope(resolved, { placeId: 'p.place_id', placeOfOrg: true }));
        const figureProbes = probes.filter((p) => p.orgCode === null);
        const batch = await reachesMany(store.db, resolved, probes);
        for (const [i, p] of probes.entries()) {
          const cases: [string, boolean, boolean][] = [
            ['record', records.has(p.id), await reaches(store.db, resolved, { placeCode: p.placeCode, orgCode: p.orgCode })],
            ['alert', alerts.has(p.id), await reaches(store.db, resolved, { placeCode: p.placeCode, orgCode: p.orgCode, orgPlace: true })],
            ['write', batch[i] ?? false, await reaches(store.db, resolved, { placeCode: p.placeCode, orgCode: p.orgCode, placeOfOrg: true })],
          ];
          if (figureProbes.includes(p)) cases.push(['figure', figures.has(p.id), await reaches(store.db, resolved, { placeCode: p.placeCode, placeOfOrg: true })]);
          for (const [what, bySql, byReaches] of cases) {
            judged++;
            if (byReaches) reached++;
            if (bySql !== byReaches) disagreements.push(`${scopeName} → ${what} ${name(p)}: filter ${bySql}, reaches ${byReaches}`);
          }
        }
      }
      expect(disagreements).toEqual([]);
      // Every case was judged, and the set is not one-sided: some of each answer.
      expect(judged).toBe(scopes().length * (probes.length * 3 + TARGET_PLACES.length));
      expect(reached).toBeGreaterThan(judged / 10);
      expect(reached).toBeLessThan(judged / 2);
    });

    it('reaches what one grant holds whole, through lineage too, and nothing for the public', async () => {
      const officer = await resolveScope(store.db, { kind: 'grants', grants: [{ organisationCode: 'UBND-29242', placeCode: '29242' }] });
      const at = (placeCode: string | null, orgCode: string | null) => reaches(store.db, officer, { placeCode, orgCode });
      expect(await at('29242', 'UBND-29242')).toBe(true);
      expect(await at('29242', 'VL-STC')).toBe(false);
      expect(await at('29254', 'UBND-29242')).toBe(false);
      expect(await at('86', 'UBND-29242')).toBe(false);
      // The ward merged into 29242 is within it.
      expect(await at('86001', 'UBND-29242')).toBe(true);
      // A grant naming an agency does not reach a record without one.
      expect(await at('29242', null)).toBe(false);
      // Its agency's place stands for an alert without a place.
      expect(await reaches(store.db, officer, { placeCode: null, orgCode: 'UBND-29242', orgPlace: true })).toBe(true);
      // A figure of 29242 is reached by the committee of 29242, by its place.
      expect(await reaches(store.db, officer, { placeCode: '29242', placeOfOrg: true })).toBe(true);
      expect(await reaches(store.db, await resolveScope(store.db, { kind: 'public' }), { placeCode: '86' })).toBe(false);
      expect(await reaches(store.db, await resolveScope(store.db, { kind: 'all' }), {})).toBe(true);
    });
  });
}
