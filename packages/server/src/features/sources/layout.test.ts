import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import type { IngestResult, Source } from '@watchfloor/core';
import type { sourcesApi } from '@watchfloor/core';
import { PlacesRepository } from '@watchfloor/db';
import { testEngines } from '@watchfloor/db/testing';
import { signInAs, type TestServer } from '../../testing';
import { multipart, openSourcesServer } from './test-support';

/** A monthly report: the period only in its title, one row per commune, two value columns. */
async function report(places: readonly string[], received = 120): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Báo cáo');
  ws.getCell('A1').value = 'BÁO CÁO HỒ SƠ THÁNG 10 NĂM 2026';
  ws.mergeCells('A1:D1');
  ws.getRow(3).values = ['Mã xã', 'Tên xã', 'Tiếp nhận', 'Đã giải quyết'];
  ws.getRow(4).values = [places[0], 'Xã một', received, 110];
  ws.getRow(5).values = [places[1], 'Xã hai', 85, ''];
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const LAYOUT = {
  columns: { 'Mã xã': 'place' },
  values: [
    { column: 'Tiếp nhận', indicator: 'DOSSIERS_RECEIVED' },
    { column: 'Đã giải quyết', indicator: 'DOSSIERS_RESOLVED' },
  ],
} as const;

/** A multipart body with a text field `mapping` before the file, as the data desk sends a layout it tries. */
async function withMapping(mapping: unknown, file: Buffer): Promise<{ payload: Buffer; headers: Record<string, string> }> {
  const form = new FormData();
  form.append('mapping', JSON.stringify(mapping));
  form.append('file', new Blob([new Uint8Array(file)]), 'bao-cao.xlsx');
  const req = new Request('http://localhost/', { method: 'POST', body: form });
  return { payload: Buffer.from(await req.arrayBuffer()), headers: { 'content-type': req.headers.get('content-type') ?? '' } };
}

for (const engine of testEngines()) {
  describe.skipIf(engine.skip)(`a source's report layout, built from a sample file, on ${engine.engine}`, () => {
    let s: TestServer;
    let places: string[];
    let officer: Record<string, string>;
    let leader: Record<string, string>;
    beforeAll(async () => {
      s = await openSourcesServer(engine);
      places = (await new PlacesRepository(s.store.db).listAt('2026-10-31', { level: 'commune', parentCode: '86' })).map((p) => p.code).slice(0, 2);
      const r = await s.app.inject({
        method: 'POST',
        url: '/api/sources',
        payload: { code: 'VL-BAOCAO', name: 'Báo cáo hằng tháng', kind: 'file', ownerOrganisationCode: 'VL-STC', mapping: { aliases: { organisations: { STC: 'VL-STC' } } } },
      });
      expect(r.statusCode, r.body).toBe(201);
      officer = (await signInAs(s, 'layout.officer', [{ role: 'agency_officer', organisationCode: 'VL-STC' }])).write;
      leader = (await signInAs(s, 'layout.leader', [{ role: 'leader' }])).write;
    });
    afterAll(async () => s?.close());

    it('reads the head of the sample: its title period, its header columns with their first cells', async () => {
      const body = await multipart('bao-cao.xlsx', await report(places));
      const r = await s.app.inject({ method: 'POST', url: '/api/sources/VL-BAOCAO/sheet', headers: { ...officer, ...body.headers }, payload: body.payload });
      expect(r.statusCode, r.body).toBe(200);
      const head = r.json<sourcesApi.SheetHeadAnswer>();
      expect(head).toMatchObject({ format: 'xlsx', sheet: 'Báo cáo', headerLine: 3, titlePeriod: { cell: 'A1', value: '2026-10' }, fileNamePeriod: null });
      expect(head.columns).toEqual([
        { letter: 'A', label: 'Mã xã', field: 'place', samples: [places[0], places[1]] },
        { letter: 'B', label: 'Tên xã', field: null, samples: ['Xã một', 'Xã hai'] },
        { letter: 'C', label: 'Tiếp nhận', field: null, samples: ['120', '85'] },
        { letter: 'D', label: 'Đã giải quyết', field: null, samples: ['110', ''] },
      ]);
    });

    it('previews the file by a layout tried with a dry run, and refuses one sent with a write', async () => {
      const file = await report(places);
      const dry = await withMapping(LAYOUT, file);
      const r = await s.app.inject({ method: 'POST', url: '/api/sources/VL-BAOCAO/upload?dryRun=true', headers: { ...officer, ...dry.headers }, payload: dry.payload });
      expect(r.statusCode, r.body).toBe(200);
      const result = r.json<IngestResult>();
      // Two communes × two columns, the second commune's "Đã giải quyết" empty.
      expect(result).toMatchObject({ dryRun: true, rowsRead: 4, accepted: 3, rejected: 1 });
      expect(result.rejectedRows[0]).toMatchObject({ line: 5, reason: 'missing_value' });
      expect(result.layout?.keys.period).toEqual({ from: 'title', value: '2026-10', cell: 'A1' });
      expect(result.preview).toEqual([
        { place: places[0], period: '2026-10', indicator: 'DOSSIERS_RECEIVED', value: 120 },
        { place: places[0], period: '2026-10', indicator: 'DOSSIERS_RESOLVED', value: 110 },
        { place: places[1], period: '2026-10', indicator: 'DOSSIERS_RECEIVED', value: 85 },
      ]);

      const write = await withMapping(LAYOUT, file);
      const refused = await s.app.inject({ method: 'POST', url: '/api/sources/VL-BAOCAO/upload', headers: { ...officer, ...write.headers }, payload: write.payload });
      expect(refused.statusCode, refused.body).toBe(400);
      expect(refused.json<{ error: string }>().error).toBe('invalid_parameter');
    });

    it('saves the layout for the officer who supplies the source, keeping its aliases; a leader may not', async () => {
      const denied = await s.app.inject({ method: 'PUT', url: '/api/sources/VL-BAOCAO/layout', headers: leader, payload: LAYOUT });
      expect(denied.statusCode, denied.body).toBe(403);

      const r = await s.app.inject({ method: 'PUT', url: '/api/sources/VL-BAOCAO/layout', headers: officer, payload: LAYOUT });
      expect(r.statusCode, r.body).toBe(200);
      expect(r.json<Source>().mapping).toEqual({ ...LAYOUT, aliases: { organisations: { STC: 'VL-STC' } } });

      // The month's file then goes in by the saved layout.
      const body = await multipart('bao-cao.xlsx', await report(places));
      const up = await s.app.inject({ method: 'POST', url: '/api/sources/VL-BAOCAO/upload', headers: { ...officer, ...body.headers }, payload: body.payload });
      expect(up.statusCode, up.body).toBe(200);
      expect(up.json<IngestResult>()).toMatchObject({ accepted: 3, created: 3, rejected: 1 });

      // Next month's preview of a corrected file shows each figure stored already beside its new value.
      const again = await multipart('bao-cao.xlsx', await report(places, 125));
      const dry = await s.app.inject({ method: 'POST', url: '/api/sources/VL-BAOCAO/upload?dryRun=true', headers: { ...officer, ...again.headers }, payload: again.payload });
      expect(dry.statusCode, dry.body).toBe(200);
      expect(dry.json<IngestResult>().preview).toMatchObject([
        { indicator: 'DOSSIERS_RECEIVED', value: 125, previous: { value: 120 } },
        { indicator: 'DOSSIERS_RESOLVED', value: 110, previous: { value: 110 } },
        { indicator: 'DOSSIERS_RECEIVED', value: 85, previous: { value: 85 } },
      ]);
    });
  });
}
