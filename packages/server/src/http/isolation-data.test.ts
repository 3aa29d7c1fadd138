import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANONYMOUS, apiTokenCreateSchema, type FreshnessResponse, type GrantInput, type IngestResult, type LateResponse, type RejectedIngestRow, type Run, type Source, type Station } from '@watchfloor/core';
import { testEngines } from '@watchfloor/db/testing';
import { addStation, signInAs, type TestServer } from '../testing';
import { IdentityService } from '../features/identity/service';
import { multipart, openSourcesServer } from '../features/sources/test-support';

/**
 * Data supply kept within scope: two commune officers (Phường Trà Vinh 29242
 * and 29254) each see their own organisation's sources, runs, rejected rows,
 * freshness, stations and figures, and nothing of the other's (404, as for
 * what does not exist); they supply data only to their own sources, and
 * figures only for their own places (`out_of_scope` rows).
 */
const officer = (org: string, place: string): GrantInput[] => [{ role: 'agency_officer', organisationCode: org, placeCode: place }];

interface Caller {
  /** Headers for reads. */
  read: Record<string, string>;
  /** Headers for writes (with the CSRF token of a session). */
  write: Record<string, string>;
}

for (const engine of testEngines()) {
  describe.skipIf(engine.skip)(`data supply isolation (${engine.engine})`, () => {
    let s: TestServer;
    const runOf: Record<string, number> = {};
    const callers: Record<string, Caller> = {};

    const signIn = (login: string, roles: GrantInput[]): Promise<Caller> => signInAs(s, login, roles);

    const bearer = async (name: string, roles: GrantInput[]): Promise<Caller> => {
      const { token } = await new IdentityService(s.ctx).createToken(apiTokenCreateSchema.parse({ name, roles }), ANONYMOUS);
      const headers = { authorization: `Bearer ${token}` };
      return { read: headers, write: headers };
    };

    const get = (who: Caller, url: string) => s.app.inject({ method: 'GET', url, headers: who.read });
    const post = (who: Caller, url: string, payload: object) => s.app.inject({ method: 'POST', url, headers: who.write, payload });
    const patch = (who: Caller, url: string, payload: object) => s.app.inject({ method: 'PATCH', url, headers: who.write, payload });
    const upload = async (who: Caller | null, code: string, csv: string) => {
      const body = await multipart('bao-cao.csv', csv);
      return s.app.inject({ method: 'POST', url: `/api/sources/${code}/upload`, payload: body.payload, headers: { ...body.headers, ...(who?.write ?? {}) } });
    };
    // One good row and one bad (a value that is no number) for a commune, of September: the monthly sources are late for October.
    const csv = (place: string) => `indicator,place,period,value\r\nPM25,${place},2026-09-14,35\r\nPM25,${place},2026-09-15,abc\r\n`;

    beforeAll(async () => {
      s = await openSourcesServer(engine);
      // As the all-roles test token: a file and a manual source owned by each commune's People's Committee, each with a run that refused a row.
      for (const [suffix, org] of [
        ['A', 'UBND-29242'],
        ['B', 'UBND-29254'],
      ] as const) {
        for (const payload of [
          { code: `FILE-${suffix}`, name: `Tệp ${suffix}`, kind: 'file', ownerOrganisationCode: org, expected: { frequency: 'month', afterPeriodEndDays: 5 } },
          { code: `MAN-${suffix}`, name: `Nhập tay ${suffix}`, kind: 'manual', ownerOrganisationCode: org, mapping: { defaults: { indicator: 'PM25' } } },
        ]) {
          const r = await s.app.inject({ method: 'POST', url: '/api/sources', payload });
          expect(r.statusCode, r.body).toBe(201);
        }
        const up = await upload(null, `FILE-${suffix}`, csv(suffix === 'A' ? '29242' : '29254'));
        expect(up.statusCode, up.body).toBe(200);
        const result = up.json<IngestResult>();
        expect(result).toMatchObject({ status: 'partial', accepted: 1, rejected: 1 });
        runOf[suffix] = result.runId!;
      }
      // A station in each ward, located as registration would locate it.
      await addStation(s, 'ST-A', '29242', '86');
      await addStation(s, 'ST-B', '29254', '86');
      callers['officer A'] = await signIn('officer.a', officer('UBND-29242', '29242'));
      callers['officer B'] = await signIn('officer.b', officer('UBND-29254', '29254'));
      callers['token A'] = await bearer('scoped like A', officer('UBND-29242', '29242'));
      // Reads everything as a leader, supplies only for Phường Trà Vinh: B's source is readable, not writable.
      callers['leader A'] = await signIn('leader.a', [{ role: 'leader' }, ...officer('UBND-29242', '29242')]);
      callers['steward A'] = await signIn('steward.a', [{ role: 'data_steward', organisationCode: 'UBND-29242', placeCode: null }]);
      callers['steward A leader'] = await signIn('steward.a2', [{ role: 'leader' }, { role: 'data_steward', organisationCode: 'UBND-29242', placeCode: null }]);
    }, 120_000);
    afterAll(async () => s?.close());

    it('the all-roles token sees both communes’ sources, and B’s monthly source as late', async () => {
      const all = (await s.app.inject('/api/sources')).json<{ sources: Source[] }>().sources.map((x) => x.code);
      expect(all).toEqual(['FILE-A', 'FILE-B', 'MAN-A', 'MAN-B']);
      const late = (await s.app.inject('/api/freshness/late')).json<LateResponse>();
      expect(late.sources.map((x) => x.source).sort()).toEqual(['FILE-A', 'FILE-B']);
    });

    for (const name of ['officer A', 'token A']) {
      describe(name, () => {
        const who = () => callers[name]!;

        it('lists only A’s sources, in the catalogue and in freshness', async () => {
          const list = await get(who(), '/api/sources');
          expect(list.statusCode, list.body).toBe(200);
          expect(list.json<{ sources: Source[] }>().sources.map((x) => x.code)).toEqual(['FILE-A', 'MAN-A']);
          const fresh = (await get(who(), '/api/freshness/sources')).json<FreshnessResponse>();
          expect(fresh.sources.map((x) => x.source)).toEqual(['FILE-A', 'MAN-A']);
          expect(fresh.late.map((x) => x.source)).toEqual(['FILE-A']);
          expect(fresh.agencies.map((a) => a.organisationCode)).toEqual(['UBND-29242']);
          const late = (await get(who(), '/api/freshness/late')).json<LateResponse>();
          expect(late.sources.map((x) => x.source)).toEqual(['FILE-A']);
          expect((await get(who(), '/api/freshness/indicators')).statusCode).toBe(200);
        });

        it('reads A’s source, runs and rejected rows', async () => {
          expect((await get(who(), '/api/sources/FILE-A')).statusCode).toBe(200);
          const runs = (await get(who(), '/api/sources/FILE-A/runs')).json<{ runs: Run[] }>().runs;
          expect(runs.map((r) => r.id)).toContain(runOf.A);
          expect(runs.map((r) => r.source)).not.toContain('FILE-B');
          expect((await get(who(), `/api/runs/${runOf.A}`)).json<Run>()).toMatchObject({ source: 'FILE-A', rowsRejected: 1 });
          const rejected = (await get(who(), `/api/runs/${runOf.A}/rejected`)).json<{ rows: RejectedIngestRow[] }>();
          expect(rejected.rows.map((r) => r.reason)).toEqual(['invalid_number']);
          const csvAnswer = await get(who(), `/api/runs/${runOf.A}/rejected.csv`);
          expect(csvAnswer.statusCode).toBe(200);
          expect(csvAnswer.body).toContain('invalid_number');
        });

        it('answers 404 for B’s source, runs and rejected rows, as for what does not exist', async () => {
          for (const url of ['/api/sources/FILE-B', '/api/sources/FILE-B/runs', `/api/runs/${runOf.B}`, `/api/runs/${runOf.B}/rejected`, `/api/runs/${runOf.B}/rejected.csv`, '/api/sources/FILE-B/job']) {
            const r = await get(who(), url);
            expect(r.statusCode, `${url}: ${r.body}`).toBe(404);
            expect(r.body).not.toContain('29254');
          }
          const unknown = await get(who(), '/api/runs/999999');
          expect((await get(who(), `/api/runs/${runOf.B}`)).json<{ error: string }>().error).toBe(unknown.json<{ error: string }>().error);
        });

        it('cannot upload, pull or enter figures to B’s sources', async () => {
          const up = await upload(who(), 'FILE-B', csv('29254'));
          expect(up.statusCode, up.body).toBe(404);
          expect((await get(who(), '/api/sources/MAN-B/form?period=2026-11-27&place=29254')).statusCode).toBe(404);
          const entry = await post(who(), '/api/sources/MAN-B/entries', { period: '2026-11-27', place: '29254', enteredBy: 'x', figures: [{ indicator: 'PM25', value: 20 }] });
          expect(entry.statusCode, entry.body).toBe(404);
          expect((await post(who(), '/api/sources/FILE-B/pull', {})).statusCode).toBe(404);
          // Their own: accepted.
          const own = await post(who(), '/api/sources/MAN-A/entries', { period: '2026-11-27', place: '29242', enteredBy: 'x', figures: [{ indicator: 'PM25', value: 20 }] });
          expect(own.statusCode, own.body).toBe(200);
          expect((await upload(who(), 'FILE-A', csv('29242'))).statusCode).toBe(200);
        });

        it('sends figures only for its own places: a row for 29254 is refused as out_of_scope', async () => {
          const r = await post(who(), '/api/observations', {
            source: 'FILE-A',
            observations: [
              { indicator: 'PM25', place: '29254', period: '2026-10-20', value: 40 },
              { indicator: 'PM25', place: '29242', period: '2026-10-20', value: 41 },
            ],
          });
          expect(r.statusCode, r.body).toBe(200);
          const result = r.json<{ accepted: number; rejected: { index: number; reason: string }[] }>();
          expect(result.accepted).toBe(1);
          expect(result.rejected.map((x) => [x.index, x.reason])).toEqual([[0, 'out_of_scope']]);
        });

        it('sees the history of figures of its own places only', async () => {
          expect((await get(who(), '/api/observations/history?indicator=PM25&place=29242&period=2026-09-14')).statusCode).toBe(200);
          expect((await get(who(), '/api/observations/history?indicator=PM25&place=29254&period=2026-09-14')).statusCode).toBe(404);
        });

        it('sees only the stations of its own places', async () => {
          expect((await get(who(), '/api/stations')).json<{ stations: Station[] }>().stations.map((x) => x.code)).toEqual(['ST-A']);
          expect((await get(who(), '/api/stations/ST-A')).statusCode).toBe(200);
          for (const url of ['/api/stations/ST-B', '/api/stations/ST-B/datastreams', '/api/stations/ST-B/readings']) expect((await get(who(), url)).statusCode, url).toBe(404);
          const file = await multipart('x.csv', 'x');
          const readings = await s.app.inject({ method: 'POST', url: '/api/sources/FILE-B/readings/upload', headers: { ...who().write, ...file.headers }, payload: file.payload });
          expect(readings.statusCode, readings.body).toBe(404);
        });
      });
    }

    it('officer B sees B’s and not A’s', async () => {
      const b = callers['officer B']!;
      expect((await get(b, '/api/sources')).json<{ sources: Source[] }>().sources.map((x) => x.code)).toEqual(['FILE-B', 'MAN-B']);
      expect((await get(b, `/api/runs/${runOf.A}/rejected`)).statusCode).toBe(404);
      expect((await get(b, `/api/runs/${runOf.B}/rejected`)).statusCode).toBe(200);
    });

    it('one who may read B’s source but supply only A’s is refused 403 on B’s', async () => {
      const who = callers['leader A']!;
      expect((await get(who, '/api/sources/FILE-B')).statusCode).toBe(200);
      const up = await upload(who, 'FILE-B', csv('29254'));
      expect(up.statusCode, up.body).toBe(403);
      expect(up.json<{ error: string }>().error).toBe('forbidden');
      expect((await get(who, '/api/sources/MAN-B/form?period=2026-11-27&place=29254')).statusCode).toBe(403);
      expect((await post(who, '/api/sources/MAN-B/entries', { period: '2026-11-27', place: '29254', enteredBy: 'x', figures: [{ indicator: 'PM25', value: 20 }] })).statusCode).toBe(403);
      expect((await post(who, '/api/sources/FILE-B/pull', {})).statusCode).toBe(403);
      // Supplying is judged by the supply scope, not the wider read scope.
      const r = await post(who, '/api/observations', { source: 'FILE-A', observations: [{ indicator: 'PM25', place: '29254', period: '2026-10-21', value: 40 }] });
      expect(r.json<{ rejected: { reason: string }[] }>().rejected.map((x) => x.reason)).toEqual(['out_of_scope']);
      const other = await post(who, '/api/observations', { source: 'FILE-B', observations: [{ indicator: 'PM25', place: '29254', period: '2026-10-21', value: 40 }] });
      expect([other.statusCode, other.json<{ error: string }>().error]).toEqual([403, 'forbidden']);
    });

    it('a data steward of A’s organisation registers and changes only sources owned within it', async () => {
      const steward = callers['steward A']!;
      const create = (code: string, owner: string) => post(steward, '/api/sources', { code, name: code, kind: 'file', ownerOrganisationCode: owner });
      const outside = await create('STEWARD-B', 'UBND-29254');
      expect(outside.statusCode, outside.body).toBe(403);
      expect(outside.json<{ error: string }>().error).toBe('forbidden');
      expect((await create('STEWARD-A', 'UBND-29242')).statusCode).toBe(201);
      expect((await patch(steward, '/api/sources/STEWARD-A', { name: 'Đổi tên' })).statusCode).toBe(200);
      // Handing the source to another organisation is a change outside the scope.
      expect((await patch(steward, '/api/sources/STEWARD-A', { ownerOrganisationCode: 'UBND-29254' })).statusCode).toBe(403);
      expect((await patch(steward, '/api/sources/FILE-B', { name: 'x' })).statusCode).toBe(404);
      // One who can read B’s source but manage only A’s organisation’s.
      const wider = callers['steward A leader']!;
      for (const r of [await patch(wider, '/api/sources/FILE-B', { name: 'x' }), await post(wider, '/api/sources/FILE-B/disable', {}), await post(wider, '/api/sources/FILE-B/token', {})]) {
        expect(r.statusCode, r.body).toBe(403);
      }
      expect((await get(wider, '/api/sources/FILE-B')).json<Source>().name).toBe('Tệp B');
    });
  });
}
