import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream } from 'node:stream/web';
import ExcelJS from 'exceljs';
import {
  ANONYMOUS,
  CASE_CHANNELS,
  CASE_PRIORITIES,
  CASE_STATUSES,
  VIETNAM_UTC_OFFSET_MINUTES,
  apiTokenCreateSchema,
  deadlineState,
  fixedClock,
  ROLES,
} from '@watchfloor/core';
import { CasesRepository, PlacesRepository, type Store } from '@watchfloor/db';
import { IdentityService, REFERENCE_DATA_DIR, loadConfig, seedCaseCategories } from '@watchfloor/server';
import { childEngines, memoryMiB, resetPeak, startChildServer } from './child-server';
import { prepare } from './upload';
import { benchScale, type BenchResult } from './util';

/**
 * The exports benchmark: the cases list as an Excel workbook, 1,000,000
 * cases, through the product's route (`GET /api/cases?format=xlsx` with an
 * administrator's token: every case, the scope checked, each page of 2,000
 * read on the received-time index, named and written as it is read) from a
 * server in its own process, against the same rows written by exceljs's
 * streaming writer alone, from memory, in the same run: what no export
 * could skip. Printed: rows/s of each, and the server's peak RSS above its
 * idle RSS while it streams (goal: at most 200 MiB above idle, whatever
 * the list's length). The workbook the server sent is read back, row by
 * row, and must hold exactly the rows written by the baseline, else the
 * bench fails. WATCHFLOOR_BENCH_SCALE (0 < s ≤ 1) exports fewer cases
 * (0.001: 1,000).
 */
const NOW = '2026-11-28T03:00:00Z';
const clock = fixedClock(NOW);
const TOTAL_CASES = 1_000_000;
const INSERT_BATCH = 500;
const PEAK_GOAL_MIB = 200;

type Cell = string | number | Date | null;

/** The columns as the export writes them: header and whether the value is an instant (a date cell, in Vietnam time). */
const COLUMNS: { header: string; instant?: boolean; numFmt?: string }[] = [
  { header: 'Mã' },
  { header: 'Lĩnh vực' },
  { header: 'Tiêu đề' },
  { header: 'Mã đơn vị hành chính' },
  { header: 'Địa chỉ' },
  { header: 'Cơ quan xử lý' },
  { header: 'Trạng thái' },
  { header: 'Mức ưu tiên' },
  { header: 'Kênh' },
  { header: 'Tiếp nhận lúc', instant: true, numFmt: 'dd/mm/yyyy hh:mm' },
  { header: 'Hạn xử lý', instant: true, numFmt: 'dd/mm/yyyy hh:mm' },
  { header: 'Tình trạng hạn' },
  { header: 'Đánh giá (1–5)', numFmt: '#,##0' },
];

const CATEGORIES = ['MOI_TRUONG', 'GIAO_THONG', 'TRAT_TU_DO_THI', 'CHIEU_SANG', 'CAP_THOAT_NUOC'];
const TITLES = ['Rác thải ùn ứ ở chợ', 'Đèn đường hỏng trên quốc lộ 53', 'Ngập nước sau mưa lớn', 'Lấn chiếm vỉa hè', 'Ống nước vỡ, mất nước'];

/** A case as the bench stores it, by its row id (1…n): two cases at a time share their received instant, so pages part ties by id. */
interface Seeded {
  id: number;
  category: string;
  title: string;
  place: string;
  org: string;
  status: (typeof CASE_STATUSES)[number];
  priority: string;
  channel: string;
  receivedAt: string;
  deadlineAt: string;
  satisfaction: number | null;
}

function seeded(id: number, places: readonly string[], orgs: readonly string[]): Seeded {
  const received = Date.parse(NOW) - Math.floor(id / 2) * 20_000;
  const status = CASE_STATUSES[id % CASE_STATUSES.length]!;
  return {
    id,
    category: CATEGORIES[id % CATEGORIES.length]!,
    title: `${TITLES[id % TITLES.length]} (${id})`,
    place: places[id % places.length]!,
    org: orgs[id % orgs.length]!,
    status,
    priority: CASE_PRIORITIES[id % CASE_PRIORITIES.length]!,
    channel: CASE_CHANNELS[id % CASE_CHANNELS.length]!,
    receivedAt: new Date(received).toISOString(),
    deadlineAt: new Date(received + (3 + (id % 5)) * 86_400_000).toISOString(),
    satisfaction: status === 'closed' ? 1 + (id % 5) : null,
  };
}

const publicId = (id: number) => `PA${String(id).padStart(6, '0')}`;
const inVietnam = (iso: string) => new Date(Date.parse(iso) + VIETNAM_UTC_OFFSET_MINUTES * 60_000);

/** The row the export must write for a case: the cells of the cases board, newest first. */
function expectedRow(c: Seeded, orgNames: ReadonlyMap<string, string>): Cell[] {
  return [
    publicId(c.id),
    c.category,
    c.title,
    c.place,
    `Ấp ${c.id % 40}, ${c.place}`,
    orgNames.get(c.org) ?? c.org,
    c.status,
    c.priority,
    c.channel,
    inVietnam(c.receivedAt),
    inVietnam(c.deadlineAt),
    deadlineState(c.status, c.deadlineAt, clock.now()),
    c.satisfaction,
  ];
}

/** Stores n cases straight into the table (the bench times the export, not the intake), with the geography, agencies and categories they name. */
async function seed(store: Store, n: number): Promise<Cell[][]> {
  await prepare(store);
  await seedCaseCategories(store, { dataDir: REFERENCE_DATA_DIR, clock });
  const today = NOW.slice(0, 10);
  const places = (await new PlacesRepository(store.db).listAt(today, { level: 'commune' }))
    .map((p) => p.code)
    .sort()
    .slice(0, 120);
  const orgs = (await store.db.selectFrom('organisation').select('code').orderBy('code').limit(40).execute()).map((o) => o.code);
  const orgNames = await new CasesRepository(store.db).organisationNames(orgs, today);
  const cases: Seeded[] = [];
  for (let id = 1; id <= n; id++) cases.push(seeded(id, places, orgs));
  for (let i = 0; i < cases.length; i += INSERT_BATCH) {
    await store.db
      .insertInto('case')
      .values(
        cases.slice(i, i + INSERT_BATCH).map((c) => ({
          id: c.id,
          public_id: publicId(c.id),
          token: `bench-${c.id}`,
          category_code: c.category,
          title: c.title,
          description: null,
          lat: 9.93,
          lon: 106.34,
          place_id: null,
          place_code: c.place,
          province_code: '86',
          address: `Ấp ${c.id % 40}, ${c.place}`,
          media: '[]',
          reporter: null,
          channel: c.channel,
          priority: c.priority,
          org_code: c.org,
          status: c.status,
          received_at: c.receivedAt,
          deadline_at: c.deadlineAt,
          satisfaction: c.satisfaction,
          created_at: c.receivedAt,
          updated_at: c.receivedAt,
        })),
      )
      .execute();
  }
  // Newest first, ties by id: the list's own order.
  cases.sort((a, b) => (a.receivedAt === b.receivedAt ? b.id - a.id : a.receivedAt < b.receivedAt ? 1 : -1));
  return cases.map((c) => expectedRow(c, orgNames));
}

/** The baseline: the rows written by exceljs's streaming writer alone, with the same columns, formats and notes sheet, to a file. */
async function writeBaseline(path: string, rows: readonly Cell[][]): Promise<void> {
  const book = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useStyles: true, useSharedStrings: false });
  const sheet = book.addWorksheet('Dữ liệu', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = COLUMNS.map((c) => ({ header: c.header, width: 16, ...(c.numFmt ? { style: { numFmt: c.numFmt } } : {}) }));
  sheet.getRow(1).font = { bold: true };
  sheet.getRow(1).commit();
  for (const row of rows) sheet.addRow(row).commit();
  sheet.commit();
  const notes = book.addWorksheet('Ghi chú');
  notes.addRow(['Bảng', 'Danh sách phản ánh, kiến nghị']).commit();
  notes.commit();
  await book.commit();
}

/** The export from the server, written to a file as it arrives; the time runs from the request to the last byte. */
async function download(base: string, token: string, query: string, path: string): Promise<number> {
  const t0 = performance.now();
  const r = await fetch(`${base}/api/cases?format=xlsx${query}`, { headers: { authorization: `Bearer ${token}` } });
  if (r.status !== 200 || !r.body) throw new Error(`export: ${r.status} ${await r.text()}`);
  await pipeline(Readable.fromWeb(r.body as ReadableStream), createWriteStream(path));
  return performance.now() - t0;
}

const cellKey = (v: unknown): string => (v instanceof Date ? v.toISOString() : v === null || v === undefined ? '' : String(v));

/**
 * Reads the data sheet of a workbook back, row by row (streaming), and fails at the first cell that differs from the rows expected.
 * exceljs's streaming reader is the one the product's uploads use, mended by @watchfloor/connectors (file/exceljs-utf8.ts,
 * loaded with the server package) so that a Vietnamese letter cut between two of the archive's pieces is read whole.
 */
async function checkWorkbook(path: string, expected: readonly Cell[][]): Promise<void> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(path, { worksheets: 'emit', sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', entries: 'ignore' });
  let n = -1;
  for await (const sheet of reader) {
    for await (const row of sheet as AsyncIterable<ExcelJS.Row>) {
      n++;
      if (n === 0) continue;
      const want = expected[n - 1];
      if (!want) throw new Error(`the export holds a row ${n} past the ${expected.length} expected`);
      for (let j = 0; j < COLUMNS.length; j++) {
        const got = cellKey(row.getCell(j + 1).value);
        if (got !== cellKey(want[j])) throw new Error(`the export differs from the baseline at row ${n}, column "${COLUMNS[j]!.header}": ${got} vs ${cellKey(want[j])}`);
      }
    }
    break;
  }
  if (n !== expected.length) throw new Error(`the export holds ${Math.max(0, n)} rows, not ${expected.length}`);
}

const sizeOf = async (p: string) => {
  const bytes = (await stat(p)).size;
  return bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(0)} KiB` : `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
};

/** Runs the exports benchmark on each engine. */
export async function benchExports(pgUrl: string | null): Promise<BenchResult[]> {
  const n = Math.max(1, Math.round(TOTAL_CASES * benchScale()));
  const dir = await mkdtemp(join(tmpdir(), 'wf-bench-exports-'));
  const out: BenchResult[] = [];
  try {
    for (const engine of childEngines(pgUrl, 'wf-bench-exports-db-')) {
      const { store, options, done } = await engine.open();
      try {
        const expected = await seed(store, n);
        const { token } = await new IdentityService({ store, clock, config: loadConfig({ WATCHFLOOR_LOG_LEVEL: 'silent' }) }).createToken(
          apiTokenCreateSchema.parse({ name: 'bench', roles: ROLES.map((role) => ({ role })) }),
          ANONYMOUS,
        );
        const exported = join(dir, `cases-${engine.name}.xlsx`);
        const server = await startChildServer(options, NOW);
        let exportMs: number;
        let idleMiB: number;
        let peakMiB: number;
        let peakSinceIdle: boolean;
        try {
          // A small export first, so that what an export loads once is in the idle figure, as on a server that has exported before.
          await download(server.base, token, '&limit=10', join(dir, 'warm.xlsx'));
          idleMiB = await memoryMiB(server.pid, 'VmRSS');
          peakSinceIdle = await resetPeak(server.pid);
          exportMs = await download(server.base, token, '', exported);
          peakMiB = await memoryMiB(server.pid, 'VmHWM');
        } finally {
          await server.stop();
        }
        await checkWorkbook(exported, expected);
        const baselinePath = join(dir, `baseline-${engine.name}.xlsx`);
        const t0 = performance.now();
        await writeBaseline(baselinePath, expected);
        const baselineMs = performance.now() - t0;
        await checkWorkbook(baselinePath, expected);
        const rate = (ms: number) => expected.length / (ms / 1000);
        const above = peakMiB - idleMiB;
        out.push(
          { name: `${engine.name}: cases to XLSX through the route, streamed (${expected.length} rows, ${await sizeOf(exported)})`, value: rate(exportMs), unit: 'rows/s', ratio: rate(exportMs) / rate(baselineMs) },
          { name: `${engine.name}: the same rows by exceljs's streaming writer alone, from memory (baseline)`, value: rate(baselineMs), unit: 'rows/s' },
          {
            name: `${engine.name}: server peak RSS above idle while exporting (idle ${idleMiB.toFixed(0)} MiB${peakSinceIdle ? '' : '; peak since start'})`,
            value: Math.max(0, above),
            unit: 'MiB',
            goal: Math.max(0, above) / PEAK_GOAL_MIB,
          },
        );
      } finally {
        await done();
      }
    }
    return out;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
