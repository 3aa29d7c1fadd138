import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  addDays,
  copyFramework,
  leavesFor,
  parFrameworkSchema,
  todayIn,
  type ObservationInput,
  type ParFramework,
  type ParLeaf,
  type ParUnitKind,
} from '@watchfloor/core';
import { DatasetsRepository, ParRepository, type ParAssessmentPatch, type ParEvidenceMeta, type ParScoreInsert, type ParUnitRow } from '@watchfloor/db';
import type { AppContext } from '../../context';
import { DEMO_SOURCE } from '../indicators/demo-data';
import { SYNTHETIC_NOTICE } from '../indicators/seed';
import { ObservationWriter } from '../ingest/observations';
import { IOC_DATA_ON_TIME, scoreUnitsFromFigures, type ComputedPoints } from './computed';
import { drawsOf } from '../indicators/demo-random';

/**
 * The PAR Index demo, SYNTHETIC like the rest of the demo data set, on the
 * example framework (itself flagged `example`):
 *
 * - 2025: a cycle on the example framework for the new Vĩnh Long's
 *   departments and communes, taken through every step: each unit's
 *   self-assessment with explanations and evidence, the appraisers'
 *   adjustments with their reasons, some units' answers, the council's
 *   final points on every criterion, and published. Its computed and
 *   survey criteria are scored from the IOC's figures as the cycle would
 *   score them; the figures the demo data set lacks for them (the
 *   departments' own dossier and citizen-report counts from July 2025, and
 *   every unit's SIPAS survey) are filed first as a data set of their own.
 * - 2026: a cycle on the next year's copy of the framework, open, every
 *   unit in draft (the demo officer's ward has started: the first field is
 *   filled in) but two already submitted, for the demo appraiser to adjust.
 *   Its deadlines count from the day it is seeded.
 *
 * Deterministic: every draw comes from a small PRNG keyed by the seed, the
 * unit and the criterion. Seeded once: the data sets are recorded with a
 * checksum of what they are made of (the framework, the seed, the units),
 * not of the clock, so a later start changes nothing; a changed framework or
 * set of units replaces the demo's two cycles.
 */

export const PAR_DEMO_SEED = 20251231;
/** Bumped when what the demo generates changes, so a database seeded before gets the new demo. */
const PAR_DEMO_VERSION = 1;
export const PAR_DEMO_FRAMEWORK_FILE = 'par/framework-example-2025.json';
/** The next year's copy of the example framework, for the open cycle. */
export const PAR_DEMO_NEXT = { code: 'VL-PAR-2026-VD', year: 2026 } as const;
/** The units of the open cycle that have submitted already: a department and a ward, for the appraiser. */
export const PAR_DEMO_SUBMITTED = ['VL-STP', 'UBND-29254'] as const;
/** The demo officer's unit (Phường Trà Vinh's People's Committee): a draft with its first field filled in. */
export const PAR_DEMO_OFFICER_UNIT = 'UBND-29242';
/** Who took the demo's steps. */
const BY = DEMO_SOURCE;

const DATASET_FIGURES = 'demo-par-figures';
const DATASET_CYCLES = 'demo-par';

/** The 2025 cycle's calendar, after the year it scores (instants in UTC; dates in Vietnam). */
const CALENDAR_2025 = {
  openedAt: '2026-01-05T02:00:00.000Z',
  selfAssessmentDue: '2026-01-31',
  appraisalDue: '2026-02-28',
  responseDays: 7,
  decidedAt: '2026-03-16T03:00:00.000Z',
  publishedAt: '2026-03-25T03:00:00.000Z',
};

export interface ParDemoReport {
  figures: 'loaded' | 'unchanged';
  cycles: 'loaded' | 'unchanged';
  units: number;
}

// ---------------------------------------------------------------- randomness

/** A stream of uniform draws in [0, 1) for a key. */
function draws(...key: (string | number)[]): () => number {
  return drawsOf(`${PAR_DEMO_SEED}|${key.join('|')}`);
}

const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));
/** Points as units and appraisers give them: in quarters of a point. */
const quarters = (x: number) => Math.round(x * 4) / 4;
const sha = (...parts: string[]) => createHash('sha256').update(parts.join('\u0000')).digest('hex');

/** How well a unit does at reform, 0..1: the one trait its points and figures share. */
function quality(unit: ParUnitRow): number {
  const r = draws('quality', unit.code)();
  return unit.kind === 'department' ? 0.66 + 0.3 * r : 0.58 + 0.38 * r;
}

// ---------------------------------------------------------------- the figures

/** The months the departments report their own dossiers for: from July 2025, when they were founded, through the last whole month before `today`. */
export function departmentMonths(today: string): string[] {
  const months: string[] = [];
  for (let y = 2025, m = 7; `${y}-${String(m).padStart(2, '0')}` < today.slice(0, 7); m === 12 ? ((y += 1), (m = 1)) : (m += 1)) months.push(`${y}-${String(m).padStart(2, '0')}`);
  return months;
}
/** The SIPAS aspects, each with how it sits against the unit's overall satisfaction (feedback handling scores lowest, as published). */
const SIPAS_ASPECTS: Readonly<Record<string, number>> = { SIPAS_ACCESS: 1, SIPAS_PROCEDURES: -1, SIPAS_CIVIL_SERVANTS: 1.5, SIPAS_RESULTS: 0, SIPAS_FEEDBACK: -4 };

/**
 * The figures the PAR Index of 2025 reads that the demo data set lacks: the
 * departments' own dossiers and citizen reports for the months they existed
 * (from 1 July 2025 through last month), reported at the province under
 * their code — the Decision 766 measures by agency of the monthly reports
 * and the scorecards read them — and every
 * unit's SIPAS survey of 2025, filed under the unit (a commune's at its
 * place), never as a place's own figure.
 */
export function parDemoFigures(units: readonly ParUnitRow[], province: string, today: string): ObservationInput[] {
  const rows: ObservationInput[] = [];
  const row = (indicator: string, place: string, period: string, organisation: string, value: number): ObservationInput => ({
    indicator,
    place,
    period,
    organisation,
    value,
    status: 'final',
    note: null,
  });
  for (const u of units) {
    const q = quality(u);
    if (u.kind === 'department') {
      const r = draws('department', u.code);
      const volume = 150 + Math.round(2500 * r() ** 2);
      const onTime = clamp(0.9 + 0.11 * q + 0.02 * (r() - 0.5), 0, 1);
      const online = clamp(0.35 + 0.6 * q + 0.1 * (r() - 0.5), 0, 1);
      const digitised = clamp(0.45 + 0.55 * q + 0.1 * (r() - 0.5), 0, 1);
      const reports = 3 + Math.round(25 * r());
      const reportsOnTime = clamp(0.7 + 0.32 * q + 0.1 * (r() - 0.5), 0, 1);
      const satisfied = clamp(0.55 + 0.45 * q + 0.1 * (r() - 0.5), 0, 1);
      for (const month of departmentMonths(today)) {
        const m = draws('department', u.code, month);
        const received = Math.round(volume * (0.85 + 0.3 * m()));
        const resolved = Math.round(received * (0.9 + 0.08 * m()));
        const processed = Math.round(reports * (0.6 + 0.8 * m()));
        const rated = Math.round(processed * (0.4 + 0.3 * m()));
        const binomial = (n: number, p: number) => Math.min(n, Math.round(n * p + Math.sqrt(n * p * (1 - p)) * (m() + m() + m() - 1.5)));
        rows.push(
          row('PS_DOSSIER_RECEIVED', province, month, u.code, received),
          row('PS_DOSSIER_RESOLVED', province, month, u.code, resolved),
          row('PS_DOSSIER_ON_TIME', province, month, u.code, onTime >= 1 ? resolved : binomial(resolved, onTime)),
          row('PS_DOSSIER_ONLINE', province, month, u.code, binomial(received, online)),
          row('PS_DOSSIER_DIGITISED', province, month, u.code, binomial(resolved, digitised)),
          row('CR_PROCESSED', province, month, u.code, processed),
          row('CR_PROCESSED_ON_TIME', province, month, u.code, binomial(processed, reportsOnTime)),
          row('CR_RATED', province, month, u.code, rated),
          row('CR_SATISFIED', province, month, u.code, binomial(rated, satisfied)),
        );
      }
    }
    const r = draws('sipas', u.code);
    const overall = 72 + 24 * q + 4 * (r() - 0.5);
    for (const [aspect, offset] of Object.entries(SIPAS_ASPECTS)) {
      const value = Math.round(clamp(overall + offset + 3 * (r() - 0.5), 40, 100) * 10) / 10;
      rows.push(row(aspect, u.kind === 'commune' && u.placeCode ? u.placeCode : province, '2025', u.code, value));
    }
  }
  return rows;
}

// ---------------------------------------------------------------- the points

const EXPLANATIONS_FULL = [
  'Đã thực hiện đầy đủ, đúng thời hạn theo kế hoạch cải cách hành chính năm; tài liệu kiểm chứng kèm theo.',
  'Hoàn thành 100% nhiệm vụ được giao; có văn bản, báo cáo kết quả kèm theo.',
  'Thực hiện đầy đủ các nội dung theo hướng dẫn của Sở Nội vụ.',
];
const EXPLANATIONS_PART = [
  'Hoàn thành phần lớn nhiệm vụ; một số nội dung còn chậm so với kế hoạch.',
  'Đã triển khai nhưng chưa đạt toàn bộ chỉ tiêu đề ra trong năm.',
  'Thực hiện chưa đầy đủ do kiện toàn tổ chức bộ máy sau sắp xếp đơn vị hành chính.',
];
const APPRAISAL_REASONS = [
  'Tài liệu kiểm chứng chưa thể hiện đầy đủ kết quả thực hiện.',
  'Một số nhiệm vụ hoàn thành chậm so với kế hoạch.',
  'Chưa có tài liệu kiểm chứng cho toàn bộ nội dung tự chấm.',
  'Kết quả thực hiện chưa đạt chỉ tiêu đề ra.',
  'Văn bản ban hành sau thời hạn quy định.',
];
const DEDUCTION_REASON = 'Theo theo dõi của Sở Nội vụ, đơn vị gửi chậm báo cáo định kỳ trong năm.';
const RESPONSES = [
  'Đơn vị đã bổ sung tài liệu kiểm chứng; đề nghị Hội đồng xem xét giữ điểm tự chấm.',
  'Nhiệm vụ chậm do nguyên nhân khách quan (sắp xếp đơn vị hành chính); đề nghị xem xét lại.',
  'Đơn vị thống nhất với kết quả thẩm định.',
];
const PARTLY_ACCEPTED = 'Hội đồng chấp nhận một phần giải trình của đơn vị.';
const KEPT = 'Hội đồng giữ kết quả thẩm định.';
const DISPUTE = 'Số liệu chưa tính các hồ sơ liên thông do cơ quan khác trả kết quả; đề nghị xem xét.';
const NOTHING_DUE = 'Đơn vị không có nguồn dữ liệu, chỉ tiêu nào phải gửi định kỳ: Hội đồng chấm đủ điểm.';
const DISPUTE_KEPT = 'Giữ kết quả tính từ số liệu của IOC: hồ sơ liên thông đã được tính cho cơ quan trả kết quả.';

const pick = <T>(list: readonly T[], r: number): T => list[Math.floor(r * list.length)]!;
const isComputed = (leaf: ParLeaf) => leaf.method === 'computed' || leaf.method === 'survey';

/** One criterion of one unit: its columns at every step (undefined: not reached). */
interface LeafScore {
  code: string;
  self: number | null;
  note: string | null;
  computed: ComputedPoints | undefined;
  dispute: string | null;
  appraised: number | null;
  appraisalReason: string | null;
  response: string | null;
  final: number | null;
  finalReason: string | null;
}

/** A unit's self-assessment of a criterion it scores itself: what it did (the truth the appraisers find) and what it claims. */
function selfAssessed(unit: ParUnitRow, leaf: ParLeaf, year: number): { actual: number; claimed: number; note: string } {
  const r = draws('self', year, unit.code, leaf.code);
  const q = quality(unit);
  if (leaf.method === 'deduction') {
    // Most units are not docked; a weak one often is, by a quarter or a half.
    const docked = r() < 0.6 * (1 - q) + 0.05 ? quarters(0.25 + 0.5 * r()) : 0;
    const claimed = docked > 0 && r() < 0.5 ? docked - 0.25 : docked;
    return { actual: docked, claimed, note: claimed > 0 ? 'Đơn vị tự nhận trừ điểm do gửi chậm báo cáo.' : 'Các báo cáo định kỳ gửi đúng hạn.' };
  }
  const actual = clamp(quarters(clamp(q + 0.3 * (r() - 0.45), 0, 1) * leaf.maxPoints), 0, leaf.maxPoints);
  // A unit claims a little more than the appraisers then find about one time in three: a step or two (half points on the larger criteria).
  const step = leaf.maxPoints >= 4 ? 0.5 : 0.25;
  const claimed = actual < leaf.maxPoints && r() < 0.3 ? Math.min(leaf.maxPoints, actual + step * (1 + Math.floor(r() * 2))) : actual;
  return { actual, claimed, note: pick(claimed >= leaf.maxPoints ? EXPLANATIONS_FULL : EXPLANATIONS_PART, r()) };
}

/** A unit's whole 2025 assessment, through the council's decision. */
function decidedScores(unit: ParUnitRow, f: ParFramework, computed: Map<string, ComputedPoints> | undefined): { scores: LeafScore[]; answered: boolean } {
  const r = draws('steps', f.year, unit.code);
  const answers = r() < 0.35;
  let answersLeft = answers ? 1 + Math.floor(r() * 2) : 0;
  const scores: LeafScore[] = [];
  for (const { leaf } of leavesFor(f, unit.kind)) {
    const s: LeafScore = { code: leaf.code, self: null, note: null, computed: undefined, dispute: null, appraised: null, appraisalReason: null, response: null, final: null, finalReason: null };
    const lr = draws('appraisal', f.year, unit.code, leaf.code);
    if (isComputed(leaf)) {
      s.computed = computed?.get(leaf.code);
      const points = s.computed?.points ?? null;
      // A unit short of the maximum sometimes disputes its dossier figure; the appraisers keep the computed points.
      if (points !== null && points < leaf.maxPoints && leaf.indicator?.startsWith('PS_') && lr() < 0.15) {
        s.dispute = DISPUTE;
        s.appraised = points;
        s.appraisalReason = DISPUTE_KEPT;
      }
      s.final = s.appraised ?? points;
      // Nothing expected of the unit on a schedule: the council gives it the punctuality points rather than take them for no fault.
      if (points === null && leaf.indicator === IOC_DATA_ON_TIME) {
        s.final = leaf.maxPoints;
        s.finalReason = NOTHING_DUE;
      }
    } else {
      const a = selfAssessed(unit, leaf, f.year);
      s.self = a.claimed;
      s.note = a.note;
      if (a.actual !== a.claimed) {
        s.appraised = a.actual;
        s.appraisalReason = leaf.method === 'deduction' ? DEDUCTION_REASON : pick(APPRAISAL_REASONS, lr());
        if (answersLeft > 0 && leaf.method !== 'deduction') {
          answersLeft--;
          s.response = pick(RESPONSES, lr());
          // The council accepts part of an answer half the time: a quarter of a point back, never above the claim.
          const partly = s.response !== RESPONSES[2] && lr() < 0.5;
          s.final = partly ? Math.min(a.claimed, a.actual + 0.25) : a.actual;
          s.finalReason = partly ? PARTLY_ACCEPTED : KEPT;
        }
      }
      s.final ??= s.appraised ?? s.self;
    }
    scores.push(s);
  }
  return { scores, answered: answers && scores.some((s) => s.response !== null) };
}

/** A unit's self-assessment of the open cycle, its computed points with it: every criterion it scores itself (`all`), none, or those of one field. */
function draftScores(unit: ParUnitRow, f: ParFramework, computed: Map<string, ComputedPoints> | undefined, assessed: 'all' | 'none' | { field: string }): LeafScore[] {
  const out: LeafScore[] = [];
  for (const { leaf, fieldCode } of leavesFor(f, unit.kind)) {
    const s: LeafScore = { code: leaf.code, self: null, note: null, computed: computed?.get(leaf.code), dispute: null, appraised: null, appraisalReason: null, response: null, final: null, finalReason: null };
    if (!isComputed(leaf) && (assessed === 'all' || (assessed !== 'none' && fieldCode === assessed.field))) {
      const a = selfAssessed(unit, leaf, f.year);
      s.self = a.claimed;
      s.note = a.note;
    }
    if (s.computed !== undefined || s.self !== null) out.push(s);
  }
  return out;
}

// ---------------------------------------------------------------- evidence

/** A one-page PDF saying what it stands for (ASCII: the built-in fonts have no Vietnamese letters). */
export function demoEvidencePdf(lines: readonly string[]): Buffer {
  const text = lines.map((l, i) => `BT /F1 ${i === 0 ? 14 : 11} Tf 56 ${780 - 22 * i} Td (${l.replace(/[()\\]/g, '')}) Tj ET`).join('\n');
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${Buffer.byteLength(text, 'latin1')} >>\nstream\n${text}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(Buffer.byteLength(body, 'latin1'));
    body += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = Buffer.byteLength(body, 'latin1');
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

const ascii = (s: string) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').replace(/[^\x20-\x7e]/g, '');

function evidenceFor(cycleId: number, unit: ParUnitRow, leaf: ParLeaf, year: number, at: string): Omit<ParEvidenceMeta, 'id'> & { content: Buffer } {
  const content = demoEvidencePdf([
    'Minh chung minh hoa - du lieu tong hop, khong phai van ban that',
    `Chi so CCHC nam ${year} - tieu chi ${leaf.code}`,
    ascii(leaf.name).slice(0, 90),
    ascii(unit.name).slice(0, 90),
    `Don vi: ${unit.code}`,
  ]);
  return {
    cycleId,
    organisationCode: unit.code,
    nodeCode: leaf.code,
    fileName: `minh-chung-${leaf.code}-${unit.code}.pdf`,
    mediaType: 'application/pdf',
    size: content.length,
    sha256: createHash('sha256').update(content).digest('hex'),
    uploadedAt: at,
    uploadedBy: BY,
    content,
  };
}

// ---------------------------------------------------------------- seeding

/** An instant some days and hours after a date's start in Vietnam. */
const instantOn = (date: string, hour: number) => new Date(Date.parse(`${date}T00:00:00+07:00`) + hour * 3_600_000).toISOString();

/** The next year's framework: the example copied under its code and year, named for its year, still an example. */
export function nextDemoFramework(f: ParFramework): ParFramework {
  const copy = copyFramework(f, PAR_DEMO_NEXT);
  const year = (s: string) => s.replaceAll(String(f.year), String(PAR_DEMO_NEXT.year));
  return { ...copy, name: year(copy.name), nameEn: copy.nameEn === null ? null : year(copy.nameEn) };
}

/**
 * Seeds the PAR Index demo (after the demo organisations and figures):
 * the figures it lacks, then the two cycles, each once.
 */
export async function seedParDemo(ctx: AppContext, options: { dataDir: string }): Promise<ParDemoReport> {
  const { store, clock } = ctx;
  const f = parFrameworkSchema.parse(JSON.parse(await readFile(join(options.dataDir, PAR_DEMO_FRAMEWORK_FILE), 'utf8')));
  const next = nextDemoFramework(f);
  const repo = new ParRepository(store.db);
  const today = todayIn(clock);
  const dayOf = (year: number) => (`${year}-12-31` < today ? `${year}-12-31` : today);
  const kinds = (fw: ParFramework) => (u: ParUnitRow) => fw.unitKinds.includes(u.kind);
  const units = (await repo.provinceUnits(ctx.config.province, dayOf(f.year))).filter(kinds(f));
  const nextUnits = (await repo.provinceUnits(ctx.config.province, dayOf(next.year))).filter(kinds(next));
  const datasets = new DatasetsRepository(store.db);
  const unitCodes = (list: readonly ParUnitRow[]) => list.map((u) => u.code).join(',');

  // The figures first: the 2025 cycle's computed points read them.
  // The months reported grow with the calendar; a month added loads its figures but never re-opens the cycles (a demo user's work stays).
  const figuresBase = sha(String(PAR_DEMO_SEED), String(PAR_DEMO_VERSION), ctx.config.province, unitCodes(units));
  const figuresSum = sha(figuresBase, departmentMonths(today).join(','));
  let figures: ParDemoReport['figures'] = 'unchanged';
  if ((await datasets.get(DATASET_FIGURES))?.checksum !== figuresSum) {
    const rows = parDemoFigures(units, ctx.config.province, today);
    const written = await new ObservationWriter(store, clock).write(rows, { source: DEMO_SOURCE });
    if (written.rejected.length > 0) throw new Error(`${DATASET_FIGURES}: ${written.rejected.length} rows refused, first: ${written.rejected[0]!.reason}: ${written.rejected[0]!.message}`);
    const summary = { detail: `${written.accepted} observations (${written.created} new)`, synthetic: { source: DEMO_SOURCE, text: SYNTHETIC_NOTICE } };
    await datasets.record(DATASET_FIGURES, figuresSum, clock.now().toISOString(), JSON.stringify(summary));
    figures = 'loaded';
  }

  const cyclesSum = sha(String(PAR_DEMO_SEED), String(PAR_DEMO_VERSION), JSON.stringify(f), unitCodes(units), unitCodes(nextUnits), figuresBase);
  if ((await datasets.get(DATASET_CYCLES))?.checksum === cyclesSum) return { figures, cycles: 'unchanged', units: units.length };

  // Reading the figures is the slow part: done before the one transaction that writes.
  const leaves = (fw: ParFramework) => (u: { kind: ParUnitKind }) => leavesFor(fw, u.kind).map((e) => e.leaf);
  const computed = await scoreUnitsFromFigures(ctx, { units, year: f.year, leaves: leaves(f) });
  const nextComputed = await scoreUnitsFromFigures(ctx, { units: nextUnits, year: next.year, leaves: leaves(next) });
  const now = clock.now().toISOString();

  await store.db.transaction().execute(async (trx) => {
    const par = new ParRepository(trx);
    for (const code of [f.code, next.code]) {
      const old = await par.cycleOfFramework(code);
      if (old) await par.removeCycle(old.id);
    }
    await par.putFramework(f, CALENDAR_2025.openedAt, BY);
    await par.putFramework(next, now, BY);

    // 2025: every step taken, decided and published.
    const c = CALENDAR_2025;
    const id = await par.openCycle({ frameworkCode: f.code, year: f.year, selfAssessmentDue: c.selfAssessmentDue, appraisalDue: c.appraisalDue, responseDays: c.responseDays, at: c.openedAt, by: BY }, units);
    const rows: ParScoreInsert[] = [];
    const evidence: (Omit<ParEvidenceMeta, 'id'> & { content: Buffer })[] = [];
    const toRow = (cycleId: number, unit: string, s: LeafScore, at: string): ParScoreInsert => ({
      cycle_id: cycleId,
      organisation_code: unit,
      node_code: s.code,
      self_points: s.self,
      note: s.note,
      computed_points: s.computed?.points ?? null,
      computed_basis: s.computed?.basis ?? null,
      dispute: s.dispute,
      appraised_points: s.appraised,
      appraisal_reason: s.appraisalReason,
      response: s.response,
      final_points: s.final,
      final_reason: s.finalReason,
      updated_at: at,
      updated_by: BY,
    });
    for (const u of units) {
      const r = draws('calendar', f.year, u.code);
      // Most submit in the last fortnight; about one in twelve a few days late.
      const submittedOn = r() < 0.08 ? addDays(c.selfAssessmentDue, 1 + Math.floor(r() * 6)) : addDays(c.selfAssessmentDue, -Math.floor(r() * 14));
      const returnedOn = addDays(c.appraisalDue, -Math.floor(r() * 12));
      const { scores, answered } = decidedScores(u, f, computed.get(u.code));
      const submittedAt = instantOn(submittedOn, 9 + Math.floor(r() * 8));
      for (const s of scores) rows.push(toRow(id, u.code, s, c.decidedAt));
      for (const { leaf } of leavesFor(f, u.kind)) if (leaf.evidenceRequired) evidence.push(evidenceFor(id, u, leaf, f.year, submittedAt));
      const patch: ParAssessmentPatch = {
        status: 'final',
        submitted_at: submittedAt,
        submitted_by: BY,
        returned_on: returnedOn,
        returned_at: instantOn(returnedOn, 15),
        returned_by: BY,
        answered_at: answered ? instantOn(addDays(returnedOn, 1 + Math.floor(r() * (c.responseDays - 1))), 10) : null,
        answered_by: answered ? BY : null,
        decided_at: c.decidedAt,
        decided_by: BY,
      };
      await par.updateAssessment(id, u.code, patch);
    }

    // The next year: open, in draft, but for the officer's started draft and two submitted units.
    const nextId = await par.openCycle(
      { frameworkCode: next.code, year: next.year, selfAssessmentDue: addDays(today, 14), appraisalDue: addDays(today, 30), responseDays: 7, at: instantOn(addDays(today, -7), 8), by: BY },
      nextUnits,
    );
    const submittedAt = instantOn(addDays(today, -1), 16);
    for (const u of nextUnits) {
      const submitted = (PAR_DEMO_SUBMITTED as readonly string[]).includes(u.code);
      const started = u.code === PAR_DEMO_OFFICER_UNIT;
      const firstField = next.fields[0]!.code;
      const scores = draftScores(u, next, nextComputed.get(u.code), submitted ? 'all' : started ? { field: firstField } : 'none');
      for (const s of scores) rows.push(toRow(nextId, u.code, s, submitted ? submittedAt : now));
      if (submitted || started) {
        for (const e of leavesFor(next, u.kind)) if (e.leaf.evidenceRequired && (submitted || e.fieldCode === firstField)) evidence.push(evidenceFor(nextId, u, e.leaf, next.year, submitted ? submittedAt : now));
      }
      if (submitted) await par.updateAssessment(nextId, u.code, { status: 'submitted', submitted_at: submittedAt, submitted_by: BY });
    }
    await par.insertScores(rows);
    await par.insertEvidence(evidence);
    await par.publishCycle(id, c.publishedAt, BY);
  });
  await datasets.record(DATASET_CYCLES, cyclesSum, now, JSON.stringify({ detail: `cycles ${f.code} (published) and ${next.code} (open) for ${units.length} units`, synthetic: { source: DEMO_SOURCE, text: SYNTHETIC_NOTICE } }));
  return { figures, cycles: 'loaded', units: units.length };
}
