import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngines } from '@watchfloor/db/testing';
import { openTestServer, type TestServer } from '../../testing';

// The hand-counted set of packages/core/src/dossiers/measures.test.ts, as an agency's system sends it.
const row = (code: string, receivedAt: string, dueAt: string, resolvedAt: string | null, channel = 'offline', place?: string) => ({
  code,
  procedure: '1.001234',
  organisation: 'VL-TTHCC',
  ...(place ? { place } : {}),
  receivedAt: `${receivedAt}+07:00`,
  dueAt: `${dueAt}+07:00`,
  resolvedAt: resolvedAt === null ? null : `${resolvedAt}+07:00`,
  channel,
});
const DOSSIERS = [
  row('A', '2026-10-05T08:00:00', '2026-10-10T17:00:00', '2026-10-09T10:00:00'),
  row('B', '2026-10-20T08:00:00', '2026-11-05T17:00:00', '2026-11-04T09:00:00', 'online'),
  row('C', '2026-10-25T08:00:00', '2026-11-02T17:00:00', '2026-11-03T08:00:00'),
  row('D', '2026-10-28T08:00:00', '2026-11-10T17:00:00', null, 'offline', '29242'),
  row('E', '2026-11-10T08:00:00', '2026-11-15T17:00:00', '2026-11-15T16:00:00', 'online', '29242'),
  row('F', '2026-11-25T08:00:00', '2026-12-01T15:00:00', null, 'online'),
  row('G', '2026-11-26T08:00:00', '2026-12-01T00:30:00', null),
  row('H', '2026-11-27T08:00:00', '2026-12-10T17:00:00', null),
  row('I', '2026-11-28T08:00:00', '2026-12-05T17:00:00', '2026-12-02T09:00:00'),
  row('J', '2026-12-01T08:00:00', '2026-12-04T17:00:00', null, 'online'),
];

for (const engine of testEngines()) {
  describe.skipIf(engine.skip)(`dossiers API on ${engine.engine}`, () => {
    let s: TestServer;
    beforeAll(async () => {
      s = await openTestServer(engine);
    });
    afterAll(async () => s?.close());

    const save = (dossiers: unknown[]) => s.app.inject({ method: 'PUT', url: '/api/dossiers', payload: { dossiers } });
    const measures = async (q: string) => (await s.app.inject(`/api/dossiers/measures?${q}`)).json<Record<string, unknown>>();

    it('saves dossiers and counts November by hand, carry-over and about to be late included', async () => {
      expect((await save(DOSSIERS)).json()).toEqual({ saved: 10 });
      // Sent again: updated in place, not counted twice.
      expect((await save(DOSSIERS)).json()).toEqual({ saved: 10 });
      // Each save is in the audit log, naming the dossiers and what changed.
      const audit = (await s.app.inject('/api/audit?entity=dossier')).json<{ events: { action: string; after: { created: number; unchanged: number; codes: string[] } }[] }>().events;
      expect(audit.map((e) => [e.action, e.after.created, e.after.unchanged, e.after.codes.length])).toEqual([
        ['dossiers.save', 0, 10, 10],
        ['dossiers.save', 10, 0, 10],
      ]);
      expect(await measures('from=2026-11-01&to=2026-11-30&place=86')).toEqual({
        received: 5,
        carriedOver: 3,
        toProcess: 8,
        processed: { total: 3, early: 1, onTime: 1, late: 1 },
        inProcess: { total: 5, late: 1, dueSoon: 2, notYetDue: 2 },
        lateRate: { numerator: 1, denominator: 3, value: 1 / 3 },
        onTimeRate: { numerator: 2, denominator: 3, value: 2 / 3 },
        onlineRate: { numerator: 2, denominator: 5, value: 0.4 },
      });
    });

    it('counts per place and per agency, and as of an instant', async () => {
      // Phường Trà Vinh: D (carried over, late) and E (on time).
      expect(await measures('from=2026-11-01&to=2026-11-30&place=29242')).toMatchObject({ received: 1, carriedOver: 1, processed: { total: 1, onTime: 1 }, inProcess: { total: 1, late: 1 } });
      expect(await measures('from=2026-12-01&to=2026-12-31&organisation=VL-TTHCC')).toMatchObject({ received: 1, carriedOver: 5, processed: { total: 1, early: 1 } });
      expect(await measures('from=2026-11-01&to=2026-11-30&asOf=2026-11-29T08:00:00%2B07:00')).toMatchObject({ inProcess: { total: 5, late: 1, dueSoon: 0, notYetDue: 4 } });
      expect(await measures('from=2026-11-01&to=2026-11-30&organisation=VL-STC')).toMatchObject({ toProcess: 0, lateRate: { value: null } });
    });

    it('refuses a batch with bad rows, naming each, and saves none of it', async () => {
      const r = await save([
        row('K', '2026-11-02T08:00:00', '2026-11-01T08:00:00', null),
        { ...row('L', '2026-11-02T08:00:00', '2026-11-05T08:00:00', null), organisation: 'TV-STC' },
        { ...row('M', '2026-11-02T08:00:00', '2026-11-05T08:00:00', null), place: '99999' },
        { ...row('N', '2026-11-02T08:00:00', '2026-11-05T08:00:00', null), receivedAt: 'hôm qua' },
        row('O', '2026-11-02T08:00:00', '2026-11-05T08:00:00', null),
        row('O', '2026-11-02T08:00:00', '2026-11-05T08:00:00', null),
      ]);
      expect(r.statusCode).toBe(400);
      const body = r.json<{ error: string; details: { index: number; reason: string }[] }>();
      expect(body.error).toBe('invalid_body');
      expect(body.details.map((d) => [d.index, d.reason])).toEqual([
        [0, 'due_before_received'],
        [1, 'unknown_organisation'],
        [2, 'unknown_place'],
        [3, 'invalid_row'],
        [5, 'duplicate_in_batch'],
      ]);
      expect(await measures('from=2026-11-01&to=2026-11-30')).toMatchObject({ received: 5 });
      expect((await s.app.inject('/api/dossiers/measures?from=2026-11-30&to=2026-11-01')).json()).toMatchObject({ error: 'invalid_parameter' });
    });
  });
}
