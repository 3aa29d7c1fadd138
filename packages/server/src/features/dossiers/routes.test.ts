import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { parse as parseCsv } from 'csv-parse/sync';
import type { DossierListItem } from '@watchfloor/core';
import { DossiersRepository, resolveScope } from '@watchfloor/db';
import { testEngines } from '@watchfloor/db/testing';
import { openTestServer, signInAs, TEST_NOW, type TestServer } from '../../testing';
import { DOSSIER_STATE } from './exports';

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

    // Beside the hand-counted set: one due within 24 hours of now (28 November 10:00), another agency's in Phường Trà Vinh, three received at the same instant.
    const MORE = [
      row('K', '2026-11-27T07:00:00', '2026-11-29T09:00:00', null),
      { ...row('S1', '2026-11-27T09:00:00', '2026-11-30T17:00:00', null, 'online', '29242'), organisation: 'VL-STC', procedure: '2.000111' },
      row('T1', '2026-11-20T08:00:00', '2026-11-30T17:00:00', null),
      row('T2', '2026-11-20T08:00:00', '2026-11-30T17:00:00', null),
      row('T3', '2026-11-20T08:00:00', '2026-11-30T17:00:00', null),
    ];
    const NEWEST_FIRST = ['J', 'I', 'S1', 'H', 'K', 'G', 'F', 'T3', 'T2', 'T1', 'E', 'D', 'C', 'B', 'A'];
    const list = async (q = '', headers?: Record<string, string>) => {
      const r = await s.app.inject({ url: `/api/dossiers${q ? `?${q}` : ''}`, ...(headers ? { headers } : {}) });
      expect(r.statusCode, r.body).toBe(200);
      return r.json<{ dossiers: DossierListItem[] }>().dossiers;
    };
    const codes = async (q = '', headers?: Record<string, string>) => (await list(q, headers)).map((d) => d.code);

    it('lists the dossiers newest received first, each in the state the measures count it under', async () => {
      expect((await save(MORE)).json()).toEqual({ saved: 5 });
      const all = await list();
      expect(all.map((d) => d.code)).toEqual(NEWEST_FIRST);
      expect(Object.fromEntries(all.map((d) => [d.code, d.state]))).toEqual({
        A: 'early', B: 'early', C: 'late', E: 'on_time',
        D: 'in_process_late', K: 'due_soon',
        // I was resolved on 2 December: on 28 November it is still in process.
        F: 'not_yet_due', G: 'not_yet_due', H: 'not_yet_due', I: 'not_yet_due', J: 'not_yet_due', S1: 'not_yet_due', T1: 'not_yet_due', T2: 'not_yet_due', T3: 'not_yet_due',
      });
      const d = all.find((x) => x.code === 'D')!;
      expect(d).toMatchObject({ procedure: '1.001234', organisation: 'VL-TTHCC', organisationName: 'Trung tâm Phục vụ hành chính công tỉnh Vĩnh Long', place: '29242', channel: 'offline', resolvedAt: null });
      expect(d.placeName).toContain('Trà Vinh');
      expect(d.receivedAt).toBe('2026-10-28T01:00:00.000Z');
      // Due 10 November 17:00, still open on 28 November 10:00: 17 days 17 hours; C resolved 15 hours past due.
      expect(d.daysLate).toBeCloseTo(17 + 17 / 24, 6);
      expect(all.find((x) => x.code === 'C')!.daysLate).toBeCloseTo(15 / 24, 6);
      expect(all.find((x) => x.code === 'E')!.daysLate).toBeNull();
      // The measures as of now count the same dossiers late and due within 24 hours as the list names.
      const m = (await measures(`from=2026-11-01&to=2026-11-30&asOf=${encodeURIComponent(TEST_NOW)}`)) as { inProcess: { late: number; dueSoon: number } };
      expect(m.inProcess.late).toBe((await codes('status=in_process&late=true')).length);
      expect(m.inProcess.dueSoon).toBe((await codes('dueWithin24h=true')).length);
    });

    it('narrows the list by agency, place, procedure, status, lateness, due within 24 hours, received days and limit', async () => {
      expect(await codes('organisation=VL-STC')).toEqual(['S1']);
      expect(await codes('place=29242')).toEqual(['S1', 'E', 'D']);
      expect(await codes('procedure=2.000111')).toEqual(['S1']);
      expect(await codes('status=resolved')).toEqual(['E', 'C', 'B', 'A']);
      expect(await codes('status=in_process')).toEqual(NEWEST_FIRST.filter((c) => !['E', 'C', 'B', 'A'].includes(c)));
      expect(await codes('late=true')).toEqual(['D', 'C']);
      expect(await codes('late=false')).toEqual(NEWEST_FIRST.filter((c) => c !== 'D' && c !== 'C'));
      expect(await codes('late=true&status=resolved')).toEqual(['C']);
      expect(await codes('dueWithin24h=true')).toEqual(['K']);
      expect(await codes('dueWithin24h=false')).toEqual(NEWEST_FIRST.filter((c) => c !== 'K'));
      // Vietnam days, both inclusive: 26 November 08:00 is in, 27 November 07:00 is not.
      expect(await codes('receivedFrom=2026-11-20&receivedTo=2026-11-26')).toEqual(['G', 'F', 'T3', 'T2', 'T1']);
      expect(await codes('limit=2')).toEqual(['J', 'I']);
      const bad = await s.app.inject('/api/dossiers?receivedFrom=2026-11-26&receivedTo=2026-11-20');
      expect(bad.json()).toMatchObject({ error: 'invalid_parameter' });
      expect((await s.app.inject('/api/dossiers?limit=1001')).statusCode).toBe(400);
      expect((await s.app.inject('/api/dossiers?late=yes')).statusCode).toBe(400);
    });

    it('shows an officer only the dossiers of their agency and place, in the list and in its export', async () => {
      const tthcc = (await signInAs(s, `tthcc.tv.${engine.engine}`, [{ role: 'agency_officer', organisationCode: 'VL-TTHCC', placeCode: '29242' }])).read;
      const stc = (await signInAs(s, `stc.${engine.engine}`, [{ role: 'agency_officer', organisationCode: 'VL-STC' }])).read;
      expect(await codes('', tthcc)).toEqual(['E', 'D']);
      expect(await codes('', stc)).toEqual(['S1']);
      // A filter never widens the scope.
      expect(await codes('organisation=VL-STC', tthcc)).toEqual([]);
      const csv = await s.app.inject({ url: '/api/dossiers?format=csv', headers: tthcc });
      expect((parseCsv(csv.rawPayload.toString('utf8').slice(1)) as string[][]).slice(1).map((r) => r[0])).toEqual(['E', 'D']);
      expect((await s.anonymous({ url: '/api/dossiers' })).statusCode).toBe(401);
    });

    it('exports the same rows to a workbook, cell by cell, dates as dates in Vietnam time, headers in Vietnamese', async () => {
      const json = await list('place=86');
      const r = await s.app.inject('/api/dossiers?place=86&format=xlsx');
      expect(r.statusCode).toBe(200);
      expect(r.headers['content-disposition']).toBe('attachment; filename="dossiers-2026-11-28.xlsx"');
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(r.rawPayload as unknown as ArrayBuffer);
      const [data, notes] = book.worksheets;
      expect(data!.getRow(1).values).toEqual([
        undefined, 'Mã hồ sơ', 'Mã thủ tục', 'Tên thủ tục', 'Mã cơ quan', 'Cơ quan giải quyết', 'Mã đơn vị hành chính', 'Đơn vị hành chính',
        'Hình thức nộp', 'Tiếp nhận lúc', 'Hẹn trả kết quả', 'Trả kết quả lúc', 'Tình trạng (QĐ 766)', 'Số ngày quá hạn',
      ]);
      expect(data!.rowCount).toBe(json.length + 1);
      const vietnam = (iso: string | null) => (iso === null ? null : new Date(Date.parse(iso) + 7 * 3_600_000));
      json.forEach((d, i) => {
        // An empty cell reads back as nothing at all.
        const values = data!.getRow(i + 2).values as unknown[];
        expect(Array.from({ length: 13 }, (_, k) => values[k + 1] ?? null)).toEqual([
          d.code, d.procedure, d.procedureName, d.organisation, d.organisationName, d.place, d.placeName,
          d.channel === 'online' ? 'Trực tuyến' : 'Trực tiếp',
          vietnam(d.receivedAt), vietnam(d.dueAt), vietnam(d.resolvedAt), DOSSIER_STATE[d.state].vi, d.daysLate,
        ]);
      });
      expect(notes!.getRow(5).values).toEqual([undefined, 'Bộ lọc', 'place=86']);
      // CSV: UTF-8 with a byte order mark, the same codes in the same order, English headers on asking.
      const csv = await s.app.inject('/api/dossiers?place=86&format=csv&lang=en');
      expect(csv.rawPayload.subarray(0, 3).toString('hex')).toBe('efbbbf');
      const rows = parseCsv(csv.rawPayload.toString('utf8').slice(1)) as string[][];
      expect(rows[0]!.slice(0, 2)).toEqual(['Dossier code', 'Procedure code']);
      expect(rows.slice(1).map((x) => x[0])).toEqual(json.map((d) => d.code));
      expect(rows.find((x) => x[0] === 'K')![11]).toBe('Due within 24 hours');
    });

    it('reads an export page by page on the received-time index, every dossier once and in the list\'s order, ties included', async () => {
      const repo = new DossiersRepository(s.store.db);
      const all = await resolveScope(s.store.db, { kind: 'all' });
      const f = { now: TEST_NOW, receivedFrom: '2026-11-19T00:00:00.000Z' };
      const listed = (await repo.list(f, all)).map((d) => d.code);
      expect(listed).toEqual(['J', 'I', 'S1', 'H', 'K', 'G', 'F', 'T3', 'T2', 'T1']);
      // Pages of three part the three received at the same instant: the second page ends on T3, the third starts on T2.
      const pages: string[][] = [];
      for await (const page of repo.pages(f, all, 3)) pages.push(page.map((d) => d.code));
      expect(pages).toEqual([['J', 'I', 'S1'], ['H', 'K', 'G'], ['F', 'T3', 'T2'], ['T1']]);
      const limited: string[] = [];
      for await (const page of repo.pages({ ...f, limit: 8 }, all, 3)) limited.push(...page.map((d) => d.code));
      expect(limited).toEqual(listed.slice(0, 8));
      // The export asks for no limit: past the JSON's first rows, every dossier.
      const csv = await s.app.inject('/api/dossiers?format=csv&limit=3');
      expect((parseCsv(csv.rawPayload.toString('utf8').slice(1)) as string[][]).slice(1).map((x) => x[0])).toEqual(['J', 'I', 'S1']);
      const every = await s.app.inject('/api/dossiers?format=csv');
      expect((parseCsv(every.rawPayload.toString('utf8').slice(1)) as string[][]).slice(1).map((x) => x[0])).toEqual(NEWEST_FIRST);
    });
  });
}
