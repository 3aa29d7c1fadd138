import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { indicatorDefinitionSchema, type IngestResult, type Source } from '@watchfloor/core';
import { IndicatorsRepository } from '@watchfloor/db';
import { testEngines } from '@watchfloor/db/testing';
import { TEST_NOW, type TestServer } from '../../testing';
import { multipart, openSourcesServer } from './test-support';

/**
 * Report files as provinces send them: units and agencies written by name
 * (old names before the 2025 merger among them), agencies by a legacy
 * system's codes, and money in triệu đồng for an indicator kept in tỷ đồng.
 */
for (const engine of testEngines()) {
  describe.skipIf(engine.skip)(`names and units in uploaded files on ${engine.engine}`, () => {
    let s: TestServer;
    beforeAll(async () => {
      s = await openSourcesServer(engine);
      const spent = { kind: 'base', code: 'BUDGET_SPENT', unit: 'tỷ đồng', domain: 'economy', frequency: 'month', direction: 'higher_is_better', aggregation: { places: 'sum', time: 'sum' }, names: { vi: 'Chi ngân sách', en: 'Budget spent' } };
      await new IndicatorsRepository(s.store.db).upsert([indicatorDefinitionSchema.parse(spent)], TEST_NOW);
      const sources = [
        // A national statistics source: provinces by name.
        { code: 'TK-TINH', name: 'Thống kê cấp tỉnh', kind: 'file', ownerOrganisationCode: 'VL-STC', coverage: { places: ['VN'] }, mapping: { defaults: { indicator: 'DOSSIERS_RECEIVED' } } },
        // The province's own report: its communes and agencies by name, its agencies by the legacy system's codes.
        { code: 'VL-XA', name: 'Báo cáo cấp xã', kind: 'file', ownerOrganisationCode: 'VL-STC', coverage: { places: ['86'], organisations: ['VL-STC', 'VL-SXD', 'TV-STC'] }, mapping: { defaults: { indicator: 'DOSSIERS_RECEIVED' } } },
        // Money in triệu đồng.
        { code: 'VL-CHI', name: 'Chi ngân sách', kind: 'file', ownerOrganisationCode: 'VL-STC', mapping: { defaults: { indicator: 'BUDGET_SPENT', unit: 'triệu đồng' } } },
        { code: 'VL-USD', name: 'Vốn FDI', kind: 'file', ownerOrganisationCode: 'VL-STC', mapping: { defaults: { indicator: 'BUDGET_SPENT', unit: 'triệu USD' } } },
      ];
      for (const payload of sources) {
        const r = await s.app.inject({ method: 'POST', url: '/api/sources', payload });
        expect(r.statusCode, r.body).toBe(201);
      }
    });
    afterAll(async () => s?.close());

    const upload = async (code: string, csv: string, query = '') => {
      const r = await s.app.inject({ method: 'POST', url: `/api/sources/${code}/upload${query}`, ...(await multipart('bao-cao.csv', csv)) });
      expect(r.statusCode, r.body).toBe(200);
      return r.json<IngestResult>();
    };
    /** The stored figures of an indicator in a period: place code → value. */
    const stored = async (indicator: string, period: string) => {
      const rows = await s.store.db
        .selectFrom('observation as o')
        .innerJoin('place as p', 'p.id', 'o.place_id')
        .select(['p.code', 'p.name', 'o.value', 'o.org_code'])
        .where('o.indicator_code', '=', indicator)
        .where('o.period_key', '=', period)
        .orderBy('p.code')
        .execute();
      return rows.map((r) => [r.code, r.name, Number(r.value), r.org_code]);
    };

    it('loads a sheet of provinces by their names before the 2025 merger, with or without diacritics, "TP." and "Thành phố"', async () => {
      const csv =
        'BÁO CÁO HỒ SƠ TIẾP NHẬN THÁNG 10/2024;;\n' +
        'Tên đơn vị;Kỳ;Giá trị\n' +
        'Tỉnh Trà Vinh;10/2024;500\n' +
        'Tinh Vinh Long;10/2024;300\n' +
        'TP. Cần Thơ;10/2024;250\n' +
        'Thành phố Hồ Chí Minh;10/2024;4000\n' +
        'UBND tỉnh Bến Tre;10/2024;410\n';
      const result = await upload('TK-TINH', csv);
      expect(result.rejectedRows).toEqual([]);
      expect(result).toMatchObject({ status: 'succeeded', accepted: 5, created: 5 });
      expect(await stored('DOSSIERS_RECEIVED', '2024-10')).toEqual([
        ['79', 'Thành phố Hồ Chí Minh', 4000, ''],
        ['83', 'Tỉnh Bến Tre', 410, ''],
        ['84', 'Tỉnh Trà Vinh', 500, ''],
        ['86', 'Tỉnh Vĩnh Long', 300, ''],
        ['92', 'Thành phố Cần Thơ', 250, ''],
      ]);
    });

    it('refuses a name no unit bore during the period, or several did, listing the candidates; an alias added from the row resolves it', async () => {
      const csv =
        'Tên đơn vị;Kỳ;Giá trị\n' +
        // Trà Vinh province ended on 30 June 2025.
        'Tỉnh Trà Vinh;10/2026;1\n' +
        // Without its kind, "Trà Vinh" was the province and its city.
        'Trà Vinh;11/2024;2\n' +
        'Tỉnh Không Có;11/2024;3\n';
      const first = await upload('TK-TINH', csv, '?dryRun=true');
      expect(first).toMatchObject({ accepted: 0, rejected: 3 });
      const [gone, ambiguous, unknown] = first.rejectedRows;
      expect(gone).toMatchObject({ line: 2, reason: 'place_not_valid_in_period' });
      expect(gone?.message).toContain('84 Tỉnh Trà Vinh (until 2025-06-30)');
      expect(ambiguous).toMatchObject({ line: 3, reason: 'ambiguous_place_name' });
      expect(ambiguous?.message).toContain('84 Tỉnh Trà Vinh (until 2025-06-30)');
      expect(ambiguous?.message).toContain('842 Thành phố Trà Vinh (until 2025-06-30)');
      expect(unknown).toMatchObject({ line: 4, reason: 'unknown_place_name' });

      // The officer says "Trà Vinh" in this source's files is the province.
      const added = await s.app.inject({ method: 'POST', url: '/api/sources/TK-TINH/aliases', headers: { 'x-actor': 'can.bo.thong.ke' }, payload: { kind: 'place', name: 'Trà Vinh', code: '84' } });
      expect(added.statusCode, added.body).toBe(200);
      expect(added.json<Source>().mapping?.aliases).toEqual({ places: { 'Trà Vinh': '84' } });
      const audit = await s.store.db.selectFrom('audit_event').selectAll().where('action', '=', 'source.alias').execute();
      expect(audit.map((e) => [e.entity_key, e.actor])).toEqual([['TK-TINH', 'can.bo.thong.ke']]);

      const again = await upload('TK-TINH', 'Tên đơn vị;Kỳ;Giá trị\nTra Vinh;11/2024;2\n', '?dryRun=true');
      expect(again).toMatchObject({ accepted: 1, rejected: 0 });
      expect(again.preview).toEqual([{ indicator: 'DOSSIERS_RECEIVED', place: 'Tra Vinh', period: '2024-11', value: 2, stored: { place: '84', placeName: 'Tỉnh Trà Vinh', organisation: null, value: 2, unit: 'hồ sơ' } }]);
    });

    it('refuses an alias to a unit that does not exist, or one the caller may not supply for', async () => {
      const none = await s.app.inject({ method: 'POST', url: '/api/sources/TK-TINH/aliases', payload: { kind: 'place', name: 'X', code: '99999' } });
      expect(none.json()).toMatchObject({ error: 'unknown_place_code' });
      const badCode = await s.app.inject({ method: 'POST', url: '/api/sources/TK-TINH/aliases', payload: { kind: 'organisation', name: 'X', code: 'not a code' } });
      expect(badCode.statusCode).toBe(400);
    });

    it('loads communes by name as valid at the period, and agencies by name or by the legacy code once aliased; a commune name several bore takes an alias', async () => {
      const csv =
        'Tên đơn vị;Cơ quan;Kỳ;Giá trị\n' +
        'UBND phường Trà Vinh;Sở Tài chính;10/2026;11\n' +
        'Phuong Tra Vinh;SXD;10/2026;12\n' +
        // "Phường 1" is the name of 33 communes of 2024, three of them in what is now Vĩnh Long (the cities of Trà Vinh, Vĩnh Long and Bến Tre).
        'Phường 01;STC;10/2024;13\n';
      const first = await upload('VL-XA', csv, '?dryRun=true');
      expect(first.rejectedRows.map((r) => [r.line, r.reason])).toEqual([
        [3, 'unknown_organisation'],
        [4, 'ambiguous_place_name'],
      ]);
      const candidates = first.rejectedRows[1]?.message ?? '';
      expect(candidates).toContain('29239 Phường 1 (until 2025-06-30)');
      expect(candidates.match(/Phường 1 \(/g)).toHaveLength(3);
      for (const alias of [
        { kind: 'organisation', name: 'SXD', code: 'VL-SXD' },
        { kind: 'organisation', name: 'STC', code: 'TV-STC' },
        { kind: 'place', name: 'Phường 1', code: '29239' },
      ]) {
        const r = await s.app.inject({ method: 'POST', url: '/api/sources/VL-XA/aliases', payload: alias });
        expect(r.statusCode, r.body).toBe(200);
      }
      const result = await upload('VL-XA', csv);
      expect(result.rejectedRows).toEqual([]);
      expect(result).toMatchObject({ accepted: 3, created: 3 });
      expect(await stored('DOSSIERS_RECEIVED', '2026-10')).toEqual([
        ['29242', 'Phường Trà Vinh', 11, 'VL-STC'],
        ['29242', 'Phường Trà Vinh', 12, 'VL-SXD'],
      ]);
      expect((await stored('DOSSIERS_RECEIVED', '2024-10')).filter(([code]) => String(code).length === 5)).toEqual([['29239', 'Phường 1', 13, 'TV-STC']]);
    });

    it('reads a column the mapping says holds names as names, even where a cell looks like a code', async () => {
      // A city's report numbers its wards: "01" is Phường 1, not the unit coded 01 (Hà Nội).
      const source = { code: 'TV-PHUONG', name: 'Báo cáo phường (TP Trà Vinh)', kind: 'file', ownerOrganisationCode: 'VL-STC', coverage: { places: ['842'] }, mapping: { columns: { Phường: 'place' }, names: ['place'], defaults: { indicator: 'DOSSIERS_RECEIVED' } } };
      expect((await s.app.inject({ method: 'POST', url: '/api/sources', payload: source })).statusCode).toBe(201);
      const result = await upload('TV-PHUONG', 'Phường;Kỳ;Giá trị\n01;09/2024;5\n3;09/2024;6\n', '?dryRun=true');
      expect(result.rejectedRows).toEqual([]);
      expect(result.preview?.map((r) => (r as { stored: { place: string; placeName: string } }).stored)).toMatchObject([
        { place: '29239', placeName: 'Phường 1' },
        { place: '29242', placeName: 'Phường 3' },
      ]);
    });

    it('resolves the source’s aliases for figures sent to /api/observations too, answering how each is stored', async () => {
      const r = await s.app.inject({
        method: 'POST',
        url: '/api/observations?dryRun=true',
        payload: { source: 'VL-XA', observations: [{ indicator: 'DOSSIERS_RECEIVED', place: 'Phường 1', period: '2024-11', value: 5, organisation: 'stc' }] },
      });
      expect(r.statusCode, r.body).toBe(200);
      expect(r.json()).toMatchObject({ accepted: 1, rejected: [], stored: [{ index: 0, place: '29239', placeName: 'Phường 1', organisation: 'TV-STC', value: 5, unit: 'hồ sơ' }] });
    });

    it('saves dossiers whose agency is written by its legacy code or by name, once the code is an alias of the source', async () => {
      const source = { code: 'VL-HOSO', name: 'Hồ sơ một cửa', kind: 'file', ownerOrganisationCode: 'VL-TTHCC', mapping: { target: 'dossiers' }, coverage: { organisations: ['VL-UBND'] } };
      expect((await s.app.inject({ method: 'POST', url: '/api/sources', payload: source })).statusCode).toBe(201);
      const csv = [
        'Mã hồ sơ;Thủ tục;Cơ quan;Ngày tiếp nhận;Hạn xử lý;Trực tuyến',
        'N1;1.001234;STC;12/11/2026 08:30;20/11/2026 17:00;Có',
        'N2;1.001234;Sở Xây dựng;13/11/2026;22/11/2026;Không',
      ].join('\n');
      const first = await upload('VL-HOSO', csv, '?dryRun=true');
      expect(first.rejectedRows.map((r) => [r.line, r.reason])).toEqual([[2, 'unknown_organisation']]);
      const alias = await s.app.inject({ method: 'POST', url: '/api/sources/VL-HOSO/aliases', payload: { kind: 'organisation', name: 'stc', code: 'VL-STC' } });
      expect(alias.statusCode, alias.body).toBe(200);
      expect(await upload('VL-HOSO', csv)).toMatchObject({ accepted: 2, created: 2, rejected: 0 });
      const saved = await s.store.db.selectFrom('dossier').select(['code', 'org_code']).where('code', 'in', ['N1', 'N2']).orderBy('code').execute();
      expect(saved).toEqual([
        { code: 'N1', org_code: 'VL-STC' },
        { code: 'N2', org_code: 'VL-SXD' },
      ]);
    });

    it('converts a sheet in triệu đồng into an indicator in tỷ đồng, exactly as a decimal would, and previews both', async () => {
      const lines = [
        ['84', '10/2024', '1.234,5'],
        ['86', '10/2024', '17'],
        ['83', '10/2024', '0,07'],
        ['29239', '10/2024', '98.765.432,1'],
      ];
      const csv = `Mã đơn vị;Kỳ;Giá trị\n${lines.map((l) => l.join(';')).join('\n')}\n`;
      // Values as the file writes them, in triệu đồng, and by hand in tỷ đồng: 1,000 times smaller.
      const sent = [1234.5, 17, 0.07, 98765432.1];
      const expected = [1.2345, 0.017, 0.00007, 98765.4321];
      const preview = await upload('VL-CHI', csv, '?dryRun=true');
      expect(preview.rejectedRows).toEqual([]);
      expect(preview.preview?.[0]).toEqual({ indicator: 'BUDGET_SPENT', unit: 'triệu đồng', place: '84', period: '2024-10', value: 1234.5, stored: { place: '84', placeName: null, organisation: null, value: 1.2345, unit: 'tỷ đồng' } });

      await upload('VL-CHI', csv);
      const values = new Map((await stored('BUDGET_SPENT', '2024-10')).map(([code, , value]) => [code, value as number]));
      lines.forEach(([code], i) => {
        expect(values.get(code)).toBe(expected[i]);
        expect((values.get(code) ?? 0) * 1000).toBeCloseTo(sent[i] ?? NaN, 6);
      });
    });

    it('converts each value column of a wide sheet from the unit its mapping gives, the units named and the period in the title', async () => {
      const source = {
        code: 'VL-CHI-RONG',
        name: 'Báo cáo chi theo tỉnh',
        kind: 'file',
        ownerOrganisationCode: 'VL-STC',
        mapping: { values: [{ column: 'Chi ngân sách', indicator: 'BUDGET_SPENT', unit: 'triệu đồng' }, { column: 'Hồ sơ tiếp nhận', indicator: 'DOSSIERS_RECEIVED' }] },
      };
      expect((await s.app.inject({ method: 'POST', url: '/api/sources', payload: source })).statusCode).toBe(201);
      const csv = 'BÁO CÁO THÁNG 9 NĂM 2024;;\nTên đơn vị;Chi ngân sách;Hồ sơ tiếp nhận\nTỉnh Trà Vinh;12.345,6;70\nTinh Ben Tre;0,5;80\n';
      const result = await upload('VL-CHI-RONG', csv);
      expect(result.rejectedRows).toEqual([]);
      expect(result).toMatchObject({ accepted: 4, created: 4 });
      // By hand, in tỷ đồng: 12,3456 and 0,0005.
      expect((await stored('BUDGET_SPENT', '2024-09')).map(([code, , value]) => [code, value])).toEqual([
        ['83', 0.0005],
        ['84', 12.3456],
      ]);
      expect((await stored('DOSSIERS_RECEIVED', '2024-09')).map(([code, , value]) => [code, value])).toEqual([
        ['83', 80],
        ['84', 70],
      ]);
    });

    it('refuses a declared unit that cannot become the indicator’s, naming both', async () => {
      const result = await upload('VL-USD', 'Mã đơn vị;Kỳ;Giá trị\n86;10/2026;5\n');
      expect(result).toMatchObject({ accepted: 0, rejected: 1 });
      expect(result.rejectedRows[0]).toMatchObject({ reason: 'unit_mismatch' });
      expect(result.rejectedRows[0]?.message).toContain('"tỷ đồng"');
      expect(result.rejectedRows[0]?.message).toContain('"triệu USD"');
      expect(await stored('BUDGET_SPENT', '2026-10')).toEqual([]);
    });
  });
}
