import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import type { IndicatorFreshnessResponse, LateResponse, OverviewResponse, RankingResponse, SeriesResponse, BreakdownResponse } from '@watchfloor/core';
import { SourcesRepository } from '@watchfloor/db';
import { testEngines } from '@watchfloor/db/testing';
import { signInAs, type TestServer } from '../../testing';
import { openSourcesServer } from '../sources/test-support';

for (const engine of testEngines()) {
  describe.skipIf(engine.skip)(`freshness per indicator and beside each figure on ${engine.engine}`, () => {
    let s: TestServer;
    beforeAll(async () => {
      s = await openSourcesServer(engine);
      const repo = new SourcesRepository(s.store.db);
      const base = { schedule: null, mapping: null, credentialsEnc: null, tokenHash: null, enabled: true, updatedAt: '2026-08-01T00:00:00Z', createdAt: '2026-08-01T00:00:00Z' };
      // The office types its monthly figures in, due 5 days after the month.
      await repo.insert({ ...base, code: 'VP-NHAPTAY', name: 'Văn phòng UBND — nhập tay', kind: 'manual', ownerOrgCode: 'VL-VP', expected: { frequency: 'month', afterPeriodEndDays: 5 } });
      // A push due every hour, silent since its registration a day ago.
      await repo.insert({ ...base, code: 'STC-PUSH', name: 'Sở Tài chính — đẩy', kind: 'http_push', ownerOrgCode: 'VL-STC', expected: { every: 'PT1H' }, createdAt: '2026-11-27T00:00:00Z' });
      const r = await s.app.inject({
        method: 'POST',
        url: '/api/sources/VP-NHAPTAY/entries',
        payload: { period: '2026-09', place: '86', enteredBy: 'nguyen.van.a', figures: [{ indicator: 'REPORTS_RECEIVED', value: 40 }] },
      });
      expect(r.statusCode, r.body).toBe(200);
    });
    afterAll(async () => s?.close());

    it('says per indicator when data last arrived, from which source and agency, when it was due and that it is late', async () => {
      const r = await s.app.inject('/api/freshness/indicators');
      expect(r.statusCode, r.body).toBe(200);
      const byCode = new Map(r.json<IndicatorFreshnessResponse>().indicators.map((i) => [i.indicator, i]));
      // September arrived; October was due by 5 November and is missing.
      expect(byCode.get('REPORTS_RECEIVED')).toMatchObject({
        lastRecordedAt: '2026-11-28T03:00:00.000Z',
        lastPeriodEnd: '2026-09-30',
        source: { code: 'VP-NHAPTAY', name: 'Văn phòng UBND — nhập tay' },
        organisation: { code: 'VL-VP' },
        expected: { frequency: 'month', afterPeriodEndDays: 5 },
        expectedFrom: 'source',
        state: 'late',
        dueAt: '2026-11-05T17:00:00.000Z',
        lateSince: '2026-11-05T17:00:00.000Z',
        missingPeriod: '2026-10',
      });
      expect(byCode.get('REPORTS_RECEIVED')?.organisation?.name).toMatch(/Văn phòng/);
      // Nothing is expected of an indicator without a deadline or a supplying source.
      expect(byCode.get('GRDP')).toMatchObject({ state: 'no_expectation', lastRecordedAt: null, source: null, organisation: null });
    });

    it('ranks the agencies to remind, with how many of their sources and indicators are late and since when', async () => {
      const r = await s.app.inject('/api/freshness/late');
      expect(r.statusCode, r.body).toBe(200);
      const late = r.json<LateResponse>();
      expect(late.sources.map((x) => x.source)).toEqual(['VP-NHAPTAY', 'STC-PUSH']);
      expect(late.indicators.map((x) => x.indicator)).toEqual(['REPORTS_RECEIVED']);
      expect(late.agencies.map((a) => [a.organisationCode, a.lateSources, a.lateIndicators, a.lateSince, a.sources, a.indicators])).toEqual([
        ['VL-VP', 1, 1, '2026-11-05T17:00:00.000Z', ['VP-NHAPTAY'], ['REPORTS_RECEIVED']],
        ['VL-STC', 1, 0, '2026-11-27T01:00:00.000Z', ['STC-PUSH'], []],
      ]);
      expect(late.agencies[0]?.worstLateSeconds).toBe(22 * 86400 + 10 * 3600);
    });

    it('writes the late sources, then the late indicators, to a workbook as the JSON answer lists them; an agency’s officer exports only its sources', async () => {
      const late = (await s.app.inject('/api/freshness/late')).json<LateResponse>();
      const r = await s.app.inject('/api/freshness/late?format=xlsx');
      expect(r.statusCode, r.body).toBe(200);
      expect(r.headers['content-disposition']).toBe('attachment; filename="late-2026-11-28.xlsx"');
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(r.rawPayload as unknown as ArrayBuffer);
      const [sheet, notes] = book.worksheets;
      const rows = sheet!.getSheetValues().slice(1).map((v) => (v as unknown[]).slice(1));
      expect(rows[0]).toEqual(['Loại', 'Mã', 'Tên', 'Cơ quan chịu trách nhiệm', 'Nguồn nộp', 'Nhận lần cuối', 'Kỳ đã nộp đến', 'Hạn nộp', 'Trễ từ', 'Số ngày trễ', 'Kỳ còn thiếu']);
      expect(rows.slice(1).map((row) => [row[0], row[1]])).toEqual([...late.sources.map((x) => ['Nguồn', x.source]), ...late.indicators.map((x) => ['Chỉ tiêu', x.indicator])]);
      const vietnam = (iso: string) => new Date(Date.parse(iso) + 7 * 3600_000);
      // The office's manual source: September delivered on 28 November, October due by the end of 5 November (Vietnam), 22 days 10 hours late.
      const office = late.sources[0]!;
      expect(rows[1]!.slice(1, 11)).toEqual([
        'VP-NHAPTAY',
        'Văn phòng UBND — nhập tay',
        `VL-VP — ${office.ownerOrganisationName}`,
        undefined,
        vietnam('2026-11-28T03:00:00.000Z'),
        new Date('2026-09-30T00:00:00Z'),
        vietnam('2026-11-05T17:00:00.000Z'),
        vietnam('2026-11-05T17:00:00.000Z'),
        (22 * 86400 + 10 * 3600) / 86400,
        '2026-10',
      ]);
      // The indicator it owes, with the source that delivers it.
      expect(rows[3]!.slice(1, 5)).toEqual(['REPORTS_RECEIVED', 'Phản ánh tiếp nhận', expect.stringMatching(/^VL-VP — /), 'Văn phòng UBND — nhập tay']);
      const noteRows = Object.fromEntries(notes!.getSheetValues().slice(1).map((v) => [(v as unknown[])[1], (v as unknown[])[2]]));
      expect(noteRows).toMatchObject({ 'Nguồn trễ hạn': '2', 'Chỉ tiêu trễ hạn': '1' });
      expect(noteRows['Cơ quan cần nhắc (trễ nhiều nhất trước)']).toMatch(/^VL-VP .*: 1 nguồn, 1 chỉ tiêu; VL-STC .*: 1 nguồn, 0 chỉ tiêu$/);

      const finance = await signInAs(s, 'stc.late', [{ role: 'operator', organisationCode: 'VL-STC' }]);
      const csv = await s.app.inject({ url: '/api/freshness/late?format=csv&lang=en', headers: finance.read });
      expect(csv.statusCode, csv.body).toBe(200);
      expect([...csv.rawPayload.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const lines = csv.rawPayload.toString('utf8').slice(1).split('\r\n').filter((l) => l !== '');
      expect(lines[0]).toBe('Kind,Code,Name,Accountable agency,Delivered by,Last arrival,Delivered up to,Due,Late since,Days late,Period missing');
      expect(lines.slice(1).map((l) => l.split(',').slice(0, 2).join(','))).toEqual(['Source,STC-PUSH', 'Indicator,REPORTS_RECEIVED']);
    });

    it('puts the freshness beside every figure of the analytics answers', async () => {
      const overview = (await s.app.inject('/api/overview?place=86&period=2026-09')).json<OverviewResponse>();
      const sept = overview.indicators.find((i) => i.code === 'REPORTS_RECEIVED');
      expect(sept?.freshness).toMatchObject({ updatedAt: '2026-11-28T03:00:00.000Z', source: { code: 'VP-NHAPTAY' }, organisation: { code: 'VL-VP' }, dueAt: '2026-10-05T17:00:00.000Z', state: 'fresh' });
      expect(overview.indicators.find((i) => i.code === 'GRDP')?.freshness.state).toBe('no_expectation');
      const oct = (await s.app.inject('/api/overview?place=86&period=2026-10')).json<OverviewResponse>().indicators.find((i) => i.code === 'REPORTS_RECEIVED');
      expect(oct?.freshness).toMatchObject({ updatedAt: null, source: { code: 'VP-NHAPTAY' }, dueAt: '2026-11-05T17:00:00.000Z', state: 'late' });

      const series = (await s.app.inject('/api/indicators/REPORTS_RECEIVED/series?place=86&from=2026-09&to=2026-11')).json<SeriesResponse>();
      expect(series.points.map((p) => [p.period, p.freshness.state, p.freshness.dueAt])).toEqual([
        ['2026-09', 'fresh', '2026-10-05T17:00:00.000Z'],
        ['2026-10', 'late', '2026-11-05T17:00:00.000Z'],
        ['2026-11', 'awaiting', '2026-12-05T17:00:00.000Z'],
      ]);
      const ranking = (await s.app.inject('/api/rankings?indicator=REPORTS_RECEIVED&period=2026-09&level=province')).json<RankingResponse>();
      expect(ranking.items.find((i) => i.place.code === '86')?.freshness).toMatchObject({ state: 'fresh', organisation: { code: 'VL-VP' } });
      const breakdown = (await s.app.inject('/api/indicators/REPORTS_RECEIVED/breakdown?place=86&period=2026-09')).json<BreakdownResponse>();
      expect(breakdown.items.length).toBeGreaterThan(0);
      for (const item of breakdown.items) expect(item.freshness.source?.code).toBe('VP-NHAPTAY');
    });

    it('sees new figures at once (the cached basis follows every write)', async () => {
      const r = await s.app.inject({
        method: 'POST',
        url: '/api/sources/VP-NHAPTAY/entries',
        payload: { period: '2026-10', place: '86', enteredBy: 'nguyen.van.a', figures: [{ indicator: 'REPORTS_RECEIVED', value: 41 }] },
      });
      expect(r.json()).toMatchObject({ created: 1 });
      const i = (await s.app.inject('/api/freshness/indicators')).json<IndicatorFreshnessResponse>().indicators.find((x) => x.indicator === 'REPORTS_RECEIVED');
      expect(i).toMatchObject({ state: 'fresh', lastPeriodEnd: '2026-10-31', dueAt: '2026-12-05T17:00:00.000Z' });
      const late = (await s.app.inject('/api/freshness/late')).json<LateResponse>();
      expect(late.agencies.map((a) => a.organisationCode)).toEqual(['VL-STC']);
    });
  });
}
