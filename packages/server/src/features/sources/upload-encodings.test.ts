import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IngestResult, Run } from '@watchfloor/core';
import { encodeTcvn3, encodeWindows1258 } from '@watchfloor/connectors';
import { PlacesRepository } from '@watchfloor/db';
import { testEngines } from '@watchfloor/db/testing';
import type { TestServer } from '../../testing';
import { multipart, openSourcesServer } from './test-support';

/**
 * CSV files from older provincial tools, uploaded as they are: Windows-1258
 * and TCVN3 (ABC) are told from their bytes (or declared) and read into
 * Unicode, so their Vietnamese headers, status words and notes come out as
 * written. A file that cannot be read, or is not in the encoding declared,
 * is refused and still leaves a run saying why.
 */

interface FileRow {
  place: string;
  name: string;
  period: string;
  value: string;
  status: string;
  note: string;
}

/** A monthly PM2.5 sheet of the communes of Vĩnh Long as a district office would type it: names, Vietnamese numbers, status words and notes. */
function reportText(communes: { code: string; name: string }[]): string {
  const lines = ['BÁO CÁO CHẤT LƯỢNG KHÔNG KHÍ THÁNG 10 NĂM 2026;;;;;;', 'Mã chỉ tiêu;Mã đơn vị;Tên đơn vị;Kỳ;Giá trị;Trạng thái;Ghi chú'];
  communes.forEach((c, i) => {
    const day = String(1 + (i % 28)).padStart(2, '0');
    const value = `${10 + ((i * 7) % 50)},${i % 10}`;
    lines.push(`PM25;${c.code};${c.name};${day}/10/2026;${value};${i % 3 === 0 ? 'sơ bộ' : 'chính thức'};Trạm đo ${c.name} – tháng 10`);
  });
  return `${lines.join('\r\n')}\r\n`;
}

/** The data rows of the report, read from its own (Unicode) text. */
function rowsOf(text: string): FileRow[] {
  return text
    .split('\r\n')
    .slice(2)
    .filter((l) => l !== '')
    .map((l) => {
      const [, place = '', name = '', period = '', value = '', status = '', note = ''] = l.split(';');
      return { place, name, period, value, status, note };
    });
}

/** "35,5" → 35.5: the numbers of the file are written with a decimal comma and no thousands. */
const numberOf = (s: string) => Number(s.replace(',', '.'));
const periodOf = (s: string) => s.split('/').reverse().join('-');

for (const engine of testEngines()) {
  describe.skipIf(engine.skip)(`uploads in legacy encodings on ${engine.engine}`, () => {
    let s: TestServer;
    let communes: { code: string; name: string }[];
    beforeAll(async () => {
      s = await openSourcesServer(engine);
      const r = await s.app.inject({ method: 'POST', url: '/api/sources', payload: { code: 'VL-KHONGKHI', name: 'Quan trắc không khí (tệp cũ)', kind: 'file', ownerOrganisationCode: 'VL-STC' } });
      expect(r.statusCode, r.body).toBe(201);
      communes = (await new PlacesRepository(s.store.db).listAt('2026-10-01', { level: 'commune', parentCode: '86' })).slice(0, 40).map((p) => ({ code: p.code, name: p.name }));
      // Names beyond ASCII, in both cases: "Phường", "Xã", "Đức" …
      expect(communes.length).toBeGreaterThanOrEqual(20);
    });
    afterAll(async () => s?.close());

    const upload = (name: string, content: Buffer, query = '') => multipart(name, content).then((m) => s.app.inject({ method: 'POST', url: `/api/sources/VL-KHONGKHI/upload${query}`, ...m }));
    const runs = async () => (await s.app.inject('/api/sources/VL-KHONGKHI/runs')).json<{ runs: Run[] }>().runs;
    const stored = (runId: number) =>
      s.store.db.selectFrom('observation').select(['place_code', 'period_key', 'value', 'status', 'note']).where('run_id', '=', runId).orderBy('place_code').orderBy('period_key').execute();

    /** Loads the report in an encoding and checks each stored figure, status and note against the file's own text. */
    async function loadsAsWritten(fileName: string, bytes: Buffer, text: string, encoding: string) {
      const preview = await upload(fileName, bytes, '?dryRun=true');
      expect(preview.statusCode, preview.body).toBe(200);
      const rows = rowsOf(text);
      expect(preview.json<IngestResult>()).toMatchObject({
        accepted: rows.length,
        rejected: 0,
        encoding: { encoding, chosenBy: 'detected', sample: 'BÁO CÁO CHẤT LƯỢNG KHÔNG KHÍ THÁNG 10 NĂM 2026;;;;;;' },
      });
      const r = await upload(fileName, bytes);
      const result = r.json<IngestResult>();
      expect(result).toMatchObject({ status: 'succeeded', accepted: rows.length, created: rows.length });
      const expected = rows
        .map((x) => ({ place_code: x.place, period_key: periodOf(x.period), value: numberOf(x.value), status: x.status === 'sơ bộ' ? 'provisional' : 'final', note: x.note }))
        .sort((a, b) => a.place_code.localeCompare(b.place_code) || a.period_key.localeCompare(b.period_key));
      expect(await stored(result.runId ?? 0)).toEqual(expected);
      // Each note names its commune as the gazetteer does.
      const names = new Map(communes.map((c) => [c.code, c.name]));
      for (const row of await stored(result.runId ?? 0)) expect(row.note).toBe(`Trạm đo ${names.get(row.place_code)} – tháng 10`);
    }

    it('loads a Windows-1258 file unmodified', async () => {
      const text = reportText(communes);
      await loadsAsWritten('bao-cao-khong-khi-1258.csv', encodeWindows1258(text), text, 'windows-1258');
    });

    it('loads a TCVN3 (ABC) file unmodified, its capital title too', async () => {
      // Another month, so that every figure is new.
      const text = reportText(communes).replaceAll('/10/2026', '/11/2026').replaceAll('tháng 10', 'tháng 11').replace('THÁNG 10', 'THÁNG 11');
      const bytes = encodeTcvn3(text);
      // The bytes are TCVN3's: "Tên đơn vị" is "T£n ®¬n vÞ" to a tool that reads them as Windows-1252.
      expect(bytes.includes(Buffer.from([0x54, 0xaa, 0x6e, 0x20, 0xae, 0xac, 0x6e, 0x20, 0x76, 0xde]))).toBe(true);
      const preview = (await upload('bao-cao-khong-khi-tcvn3.csv', bytes, '?dryRun=true')).json<IngestResult>();
      expect(preview.encoding).toEqual({ encoding: 'tcvn3', chosenBy: 'detected', sample: 'BÁO CÁO CHẤT LƯỢNG KHÔNG KHÍ THÁNG 11 NĂM 2026;;;;;;' });
      const r = await upload('bao-cao-khong-khi-tcvn3.csv', bytes);
      const result = r.json<IngestResult>();
      const rows = rowsOf(text);
      expect(result).toMatchObject({ status: 'succeeded', accepted: rows.length, created: rows.length });
      const got = await stored(result.runId ?? 0);
      expect(got.map((x) => x.note).sort()).toEqual(rows.map((x) => x.note).sort());
      expect(got.map((x) => x.value).sort()).toEqual(rows.map((x) => numberOf(x.value)).sort());
      expect(got.filter((x) => x.status === 'provisional')).toHaveLength(rows.filter((x) => x.status === 'sơ bộ').length);
    });

    it('reads a file in the encoding declared, and shows a line as read so a wrong declaration shows', async () => {
      const text = reportText(communes.slice(0, 3));
      const bytes = encodeWindows1258(text);
      const declared = (await upload('x.csv', bytes, '?dryRun=true&encoding=windows-1258')).json<IngestResult>();
      expect(declared).toMatchObject({ accepted: 3, encoding: { encoding: 'windows-1258', chosenBy: 'declared' } });
      // Declared as VNI, the same bytes are refused: their words are Vietnamese in Windows-1258, not in VNI.
      const vni = await upload('x.csv', bytes, '?dryRun=true&encoding=vni');
      expect(vni.statusCode).toBe(415);
      expect(vni.json()).toMatchObject({ error: 'encoding_mismatch' });
    });

    it('refuses a file it cannot read, and one not in the encoding declared, each recorded as a failed run', async () => {
      const before = (await runs()).length;
      const bare16 = Buffer.from('Mã chỉ tiêu;Mã đơn vị;Kỳ;Giá trị\r\nPM25;86;01/10/2026;35,5\r\n', 'utf16le');
      const unreadable = await upload('utf16-khong-bom.csv', bare16);
      expect([unreadable.statusCode, unreadable.json().error]).toEqual([415, 'unsupported_encoding']);
      const runId = unreadable.json<{ details: { runId: number } }>().details.runId;
      const utf8 = Buffer.from(reportText(communes.slice(0, 2)));
      const mismatch = await upload('bao-cao-utf8.csv', utf8, '?encoding=tcvn3');
      expect([mismatch.statusCode, mismatch.json().error]).toEqual([415, 'encoding_mismatch']);
      const after = await runs();
      expect(after).toHaveLength(before + 2);
      expect(after.filter((r) => r.status === 'failed').map((r) => [r.fileName, r.errorCode]).slice(0, 2)).toEqual([
        ['bao-cao-utf8.csv', 'encoding_mismatch'],
        ['utf16-khong-bom.csv', 'unsupported_encoding'],
      ]);
      expect((await s.app.inject(`/api/runs/${runId}`)).json<Run>()).toMatchObject({ status: 'failed', rowsRead: 0, errorCode: 'unsupported_encoding', error: expect.stringContaining('declare') });
      // A dry run records nothing, refused or not.
      expect((await upload('utf16-khong-bom.csv', bare16, '?dryRun=true')).statusCode).toBe(415);
      expect(await runs()).toHaveLength(before + 2);
      // Declared, the same bytes are read.
      expect((await upload('utf16-khong-bom.csv', bare16, '?dryRun=true&encoding=utf-16')).json<IngestResult>()).toMatchObject({ accepted: 1, encoding: { encoding: 'utf-16', chosenBy: 'declared' } });
    });

    it('takes the source mapping\'s encoding as the default of its uploads', async () => {
      const text = reportText(communes.slice(0, 2));
      const set = await s.app.inject({ method: 'PATCH', url: '/api/sources/VL-KHONGKHI', payload: { mapping: { encoding: 'windows-1258' } } });
      expect(set.statusCode, set.body).toBe(200);
      expect((await upload('x.csv', encodeWindows1258(text), '?dryRun=true')).json<IngestResult>()).toMatchObject({ accepted: 2, encoding: { encoding: 'windows-1258', chosenBy: 'declared' } });
      // The upload's own declaration wins.
      expect((await upload('x.csv', encodeTcvn3(text), '?dryRun=true&encoding=tcvn3')).json<IngestResult>()).toMatchObject({ accepted: 2, encoding: { encoding: 'tcvn3', chosenBy: 'declared' } });
    });
  });
}
