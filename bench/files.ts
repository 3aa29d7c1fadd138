import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { ANONYMOUS, apiTokenCreateSchema, fixedClock, ROLES, type ObservationInputRaw } from '@watchfloor/core';
import { PlacesRepository, migrateToLatest, openStore, type Store } from '@watchfloor/db';
import { IdentityService, REFERENCE_DATA_DIR, loadConfig, loadGeography } from '@watchfloor/server';
import { prepare } from './upload';
import { childEngines, memoryMiB, startChildServer, type ChildEngine } from './child-server';
import { apiCall, assertSameAnswer, benchScale, storedObservations, type BenchResult } from './util';

/**
 * The files benchmark: a monthly dossier report as a wide sheet, one row
 * per commune and month and eight value columns (received, resolved, on
 * time, …), 200,000 rows (1,600,000 figures), uploaded as one XLSX file and
 * as the same CSV to a file source whose saved mapping names the eight
 * columns (`values`), against the same figures pushed as NDJSON (requests
 * of 5,000) in the same run, each to a fresh database of the engine. Every
 * channel must store the same figures: the observation table's rows, sum
 * and a SHA-256 of its figures (indicator, place, period, organisation,
 * value, status; not the source) must be equal, else the bench fails.
 *
 * The server runs in a child process (bench/child-server.ts), one per
 * channel, so that the peak RSS printed is the server's own high-water
 * mark (/proc/<pid>/status VmHWM, startup included), not that of this
 * process, which builds the files and the push bodies. The figures/s of an
 * upload count from the first byte sent to the answer (the file crosses
 * loopback in the timed part, as it would cross the network).
 * WATCHFLOOR_BENCH_SCALE (0 < s ≤ 1) sends fewer rows (0.001: 200).
 */
const NOW = '2026-11-28T03:00:00Z';
const clock = fixedClock(NOW);
const TOTAL_ROWS = 200_000;
const PUSH_BATCH = 5000;
/** Months before the 2025 reform, so that the rows can name the country's 10,000 communes of the time. */
const FIRST_MONTH = '2023-11';

/** The report's value columns, as the saved mapping names them, with each row's value (i: the row's index). */
const COLUMNS: { column: string; indicator: string; value: (i: number) => number }[] = [
  { column: 'Tiếp nhận', indicator: 'PS_DOSSIER_RECEIVED', value: (i) => 40 + ((i * 7) % 400) },
  { column: 'Đã giải quyết', indicator: 'PS_DOSSIER_RESOLVED', value: (i) => 30 + ((i * 7) % 400) },
  { column: 'Đúng hạn', indicator: 'PS_DOSSIER_ON_TIME', value: (i) => 25 + ((i * 7) % 400) },
  { column: 'Trễ hạn', indicator: 'PS_DOSSIER_LATE', value: (i) => i % 6 },
  { column: 'Đang giải quyết', indicator: 'PS_DOSSIER_PENDING', value: (i) => 10 + (i % 11) },
  { column: 'Trực tuyến', indicator: 'PS_DOSSIER_ONLINE', value: (i) => 20 + ((i * 3) % 200) },
  { column: 'Số hóa', indicator: 'PS_DOSSIER_DIGITISED', value: (i) => 15 + ((i * 5) % 150) },
  { column: 'Kỳ trước chuyển sang', indicator: 'PS_DOSSIER_CARRIED_OVER', value: (i) => i % 17 },
];
const MAPPING = { values: COLUMNS.map(({ column, indicator }) => ({ column, indicator })) };
const HEADER = ['Mã đơn vị', 'Kỳ', ...COLUMNS.map((c) => c.column)];
/** The province office that files the national report; coverage: the whole country. */
const SOURCE = { ownerOrganisationCode: 'VL-UBND', coverage: { places: ['VN'] } };

interface Row {
  place: string;
  /** As the report writes it: 11/2023. */
  period: string;
  values: number[];
}

const nextMonth = (m: string) => {
  const [y, mo] = m.split('-').map(Number) as [number, number];
  return mo === 12 ? `${y + 1}-01` : `${y}-${String(mo + 1).padStart(2, '0')}`;
};
const lastDay = (m: string) => {
  const [y, mo] = m.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, mo, 0)).toISOString().slice(0, 10);
};

/** Month by month from FIRST_MONTH, a row for every commune of the whole month. Deterministic. */
async function rowsFor(n: number): Promise<Row[]> {
  const store = openStore({ sqlitePath: ':memory:' });
  try {
    await migrateToLatest(store);
    await loadGeography(store, { dataDir: REFERENCE_DATA_DIR, clock });
    const places = new PlacesRepository(store.db);
    const out: Row[] = [];
    for (let month = FIRST_MONTH; out.length < n; month = nextMonth(month)) {
      const last = new Set((await places.listAt(lastDay(month), { level: 'commune' })).map((p) => p.code));
      const communes = (await places.listAt(`${month}-01`, { level: 'commune' })).map((p) => p.code).filter((c) => last.has(c)).sort();
      const period = `${month.slice(5)}/${month.slice(0, 4)}`;
      for (const place of communes) {
        if (out.length === n) break;
        const i = out.length;
        out.push({ place, period, values: COLUMNS.map((c) => c.value(i)) });
      }
    }
    return out;
  } finally {
    await store.close();
  }
}

/** The same figures as the push channel takes them: one observation per row and value column. */
function observations(rows: readonly Row[]): ObservationInputRaw[] {
  return rows.flatMap((r) => {
    const period = `${r.period.slice(3)}-${r.period.slice(0, 2)}`;
    return COLUMNS.map((c, k) => ({ indicator: c.indicator, place: r.place, period, value: r.values[k]! }));
  });
}

async function writeXlsx(path: string, rows: readonly Row[]): Promise<void> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings: true, useStyles: false });
  const ws = wb.addWorksheet('Báo cáo');
  ws.addRow(HEADER).commit();
  // Codes are text (a commune code keeps its leading zeros), figures are numbers.
  for (const r of rows) ws.addRow([r.place, r.period, ...r.values]).commit();
  ws.commit();
  await wb.commit();
}

type Stored = Awaited<ReturnType<typeof storedObservations>> & { sha256: string };

/** What the observation table holds: rows, sum of values, and a SHA-256 of every figure, period by period in a fixed order. */
async function storedFigures(store: Store): Promise<Stored> {
  const hash = createHash('sha256');
  const periods = await store.db.selectFrom('observation').select('period_key').distinct().orderBy('period_key').execute();
  for (const { period_key } of periods) {
    const rows = await store.db
      .selectFrom('observation')
      .select(['indicator_code', 'place_code', 'org_code', 'value', 'status'])
      .where('period_key', '=', period_key)
      .orderBy('indicator_code')
      .orderBy('place_code')
      .orderBy('org_code')
      .execute();
    for (const o of rows) hash.update(`${period_key}\t${o.indicator_code}\t${o.place_code}\t${o.org_code}\t${Number(o.value)}\t${o.status}\n`);
  }
  return { ...(await storedObservations(store)), sha256: hash.digest('hex').slice(0, 16) };
}

/**
 * A file sent as multipart/form-data, streamed from disk, over node:http:
 * unlike fetch it has no headers timeout, and a large upload answers only
 * when it is stored.
 */
async function postFile(url: string, token: string, path: string, name: string): Promise<{ status: number; body: string }> {
  const boundary = `----watchfloor-bench-${randomBytes(8).toString('hex')}`;
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/octet-stream\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const size = (await stat(path)).size;
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': head.length + size + tail.length } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.write(head);
    const file = createReadStream(path);
    file.on('error', reject);
    file.on('end', () => req.end(tail));
    file.pipe(req, { end: false });
  });
}

interface Measured {
  ms: number;
  stored: Stored;
  idleMiB: number;
  peakMiB: number;
}

/**
 * A fresh database of the engine, a server process on it, a source made
 * over the API with an administrator's token; `send` is timed, then the
 * server's peak RSS read and what the database holds.
 */
async function measure(engine: ChildEngine, source: Record<string, unknown>, send: (base: string, adminToken: string, created: { token: string | null }) => Promise<void>): Promise<Measured> {
  const { store, options, done } = await engine.open();
  try {
    await prepare(store);
    const { token } = await new IdentityService({ store, clock, config: loadConfig({ WATCHFLOOR_LOG_LEVEL: 'silent' }) }).createToken(
      apiTokenCreateSchema.parse({ name: 'bench', roles: ROLES.map((role) => ({ role })) }),
      ANONYMOUS,
    );
    const server = await startChildServer(options, NOW);
    let ms: number;
    let idleMiB: number;
    let peakMiB: number;
    try {
      const created = await apiCall<{ token: string | null }>(server.base, token, 'POST', '/api/sources', { ...SOURCE, ...source });
      idleMiB = await memoryMiB(server.pid, 'VmRSS');
      const t0 = performance.now();
      await send(server.base, token, created);
      ms = performance.now() - t0;
      peakMiB = await memoryMiB(server.pid, 'VmHWM');
    } finally {
      await server.stop();
    }
    return { ms, idleMiB, peakMiB, stored: await storedFigures(store) };
  } finally {
    await done();
  }
}

async function push(engine: ChildEngine, bodies: readonly string[]): Promise<Measured> {
  return measure(engine, { code: 'BENCH-PUSH', name: 'Bench push', kind: 'http_push' }, async (base, _admin, { token }) => {
    for (const body of bodies) {
      const r = await fetch(`${base}/api/sources/BENCH-PUSH/push`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-ndjson' }, body });
      const answer = (await r.json()) as { rejected?: number };
      if (r.status !== 200 || answer.rejected) throw new Error(`push: ${r.status} ${JSON.stringify(answer).slice(0, 500)}`);
    }
  });
}

async function upload(engine: ChildEngine, path: string, name: string, figures: number): Promise<Measured> {
  return measure(engine, { code: 'BENCH-FILE', name: 'Báo cáo hồ sơ TTHC hằng tháng', kind: 'file', mapping: MAPPING }, async (base, admin) => {
    const r = await postFile(`${base}/api/sources/BENCH-FILE/upload`, admin, path, name);
    const answer = JSON.parse(r.body) as { accepted?: number; rejected?: number; status?: string };
    if (r.status !== 200 || answer.rejected || answer.accepted !== figures) throw new Error(`upload ${name}: ${r.status} ${r.body.slice(0, 500)}`);
  });
}

/** Runs the files benchmark on each engine. */
export async function benchFiles(pgUrl: string | null): Promise<BenchResult[]> {
  const n = Math.max(1, Math.round(TOTAL_ROWS * benchScale()));
  const rows = await rowsFor(n);
  const figures = rows.length * COLUMNS.length;
  const pushed = observations(rows);
  const bodies: string[] = [];
  for (let i = 0; i < pushed.length; i += PUSH_BATCH) bodies.push(pushed.slice(i, i + PUSH_BATCH).map((r) => JSON.stringify(r)).join('\n'));
  const dir = await mkdtemp(join(tmpdir(), 'wf-bench-files-'));
  const out: BenchResult[] = [];
  try {
    const csvPath = join(dir, 'bao-cao-ho-so.csv');
    const xlsxPath = join(dir, 'bao-cao-ho-so.xlsx');
    await writeFile(csvPath, `${HEADER.join(',')}\n${rows.map((r) => `${r.place},${r.period},${r.values.join(',')}`).join('\n')}\n`);
    await writeXlsx(xlsxPath, rows);
    const mib = async (p: string) => {
      const bytes = (await stat(p)).size;
      return bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(0)} KiB` : `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
    };
    const sizes = { csv: await mib(csvPath), xlsx: await mib(xlsxPath) };
    const rate = (ms: number) => figures / (ms / 1000);
    const what = `${rows.length} rows × ${COLUMNS.length} = ${figures} figures`;
    for (const engine of childEngines(pgUrl, 'wf-bench-files-db-')) {
      const p = await push(engine, bodies);
      const csv = await upload(engine, csvPath, 'bao-cao-ho-so.csv', figures);
      const xlsx = await upload(engine, xlsxPath, 'bao-cao-ho-so.xlsx', figures);
      if (p.stored.rows !== figures) throw new Error(`${engine.name}: the push stored ${p.stored.rows} of ${figures} figures`);
      assertSameAnswer(`${engine.name}: figures stored by the CSV upload`, csv.stored, p.stored);
      assertSameAnswer(`${engine.name}: figures stored by the XLSX upload`, xlsx.stored, p.stored);
      const rss = (m: Measured) => `idle ${m.idleMiB.toFixed(0)} MiB`;
      out.push(
        { name: `${engine.name}: HTTP push, NDJSON, requests of ${PUSH_BATCH} (${what}, sha256 ${p.stored.sha256})`, value: rate(p.ms), unit: 'fig/s' },
        { name: `${engine.name}: wide CSV upload, one file of ${sizes.csv}, saved mapping`, value: rate(csv.ms), unit: 'fig/s', ratio: rate(csv.ms) / rate(p.ms), against: 'push' },
        { name: `${engine.name}: wide XLSX upload, one file of ${sizes.xlsx}, saved mapping`, value: rate(xlsx.ms), unit: 'fig/s', ratio: rate(xlsx.ms) / rate(p.ms), against: 'push' },
        { name: `${engine.name}: server peak RSS (VmHWM), push (${rss(p)})`, value: p.peakMiB, unit: 'MiB' },
        { name: `${engine.name}: server peak RSS (VmHWM), CSV upload (${rss(csv)})`, value: csv.peakMiB, unit: 'MiB', ratio: csv.peakMiB / p.peakMiB, against: 'push' },
        { name: `${engine.name}: server peak RSS (VmHWM), XLSX upload (${rss(xlsx)})`, value: xlsx.peakMiB, unit: 'MiB', ratio: xlsx.peakMiB / p.peakMiB, against: 'push' },
      );
    }
    return out;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
