import { createHash } from 'node:crypto';
import { addDays, directiveDocumentSchema, fixedClock, taskOccurrences, todayIn, type DirectiveDocumentInput, type Identity, type IsoDate } from '@watchfloor/core';
import { DatasetsRepository, DirectiveRepository } from '@watchfloor/db';
import type { AppContext } from '../../context';
import { DEMO_SOURCE } from '../indicators/demo-data';
import { SYNTHETIC_NOTICE } from '../indicators/seed';
import { DirectiveService, type DirectiveCaller, type DirectiveEventBody } from './service';

/**
 * The leadership directives demo, SYNTHETIC like the rest of the demo data
 * set: three documents the People's Committee of Vĩnh Long "issued" to the
 * demo departments and wards, with tasks in every status a leader meets —
 * received, in progress, done on time, done late, overdue, extended (the
 * original deadline kept), cancelled — a monthly report due by the 25th
 * with its past months done, and a regular task.
 *
 * The demo is living: every date counts from the day it is first seeded,
 * and states are judged when read, so what is in progress today may be
 * overdue in a few weeks, as in a real province. Phường Trà Vinh's People's
 * Committee (the demo officer's) leads a task in progress with weeks to go,
 * for a walk-through to report it done and the office to confirm it.
 *
 * Written through the service's own path (saving a document, recording
 * each report and decision at its back-dated instant under the rules of
 * that instant), once: a document already held is left as it is, so a
 * later start adds nothing.
 */

/** Who the demo's steps are recorded under. */
const BY = DEMO_SOURCE;
const DATASET = 'demo-directives';
/** The demo officer's agency: Phường Trà Vinh's People's Committee. */
export const DIRECTIVES_DEMO_OFFICER_AGENCY = 'UBND-29242';
const NOTE = ' (Văn bản mẫu, dữ liệu minh họa, không phải văn bản thật.)';
const ISSUER = 'UBND tỉnh Vĩnh Long';
const SIGNER = 'Chủ tịch UBND tỉnh (mẫu)';

/** `hour` hours after 8:00 on a Vietnam day (in office hours), as an instant. */
const at = (date: IsoDate, hour: number) => new Date(Date.parse(`${date}T08:00:00+07:00`) + hour * 3_600_000).toISOString();

interface DemoStep {
  key: string;
  on: IsoDate;
  hour: number;
  actor: 'lead_agency' | 'office';
  body: DirectiveEventBody;
}

interface DemoDocument {
  document: DirectiveDocumentInput;
  steps: DemoStep[];
}

const progress = (percent: number, text: string, occurrence: string | null = null) => ({ kind: 'progress' as const, occurrence, percent, text });
const done = (text: string, occurrence: string | null = null) => ({ kind: 'done' as const, occurrence, text });
const confirmed = (occurrence: string | null = null) => ({ kind: 'done_confirmed' as const, occurrence });

/** The demo's documents and what happened to their tasks, dated from `today`. */
export function directivesDemo(today: IsoDate): DemoDocument[] {
  const d = (n: number) => addDays(today, n);
  const conclusion: DemoDocument = {
    document: {
      number: 'MAU-12/TB-UBND',
      date: d(-60),
      issuer: ISSUER,
      signer: SIGNER,
      kind: 'conclusion',
      summary: `Kết luận của Chủ tịch UBND tỉnh tại cuộc họp giao ban các sở, ngành và địa phương về giải ngân vốn đầu tư công và chỉnh trang đô thị.${NOTE}`,
      confirmDone: true,
      published: true,
      synthetic: true,
      tasks: [
        { key: '1', text: 'Rà soát, đề xuất điều chuyển vốn của các dự án chậm giải ngân', lead: 'VL-SXD', cooperating: ['VL-STC'], deadline: { kind: 'date', date: d(-30) } },
        { key: '2', text: 'Báo cáo tình hình giải ngân vốn đầu tư công 6 tháng', lead: 'VL-STC', deadline: { kind: 'date', date: d(-40) } },
        { key: '3', text: 'Kiểm tra, xử lý các cơ sở khám chữa bệnh tư nhân chưa đủ điều kiện hoạt động', lead: 'VL-SYT', deadline: { kind: 'date', date: d(-10) } },
        {
          key: '4',
          text: 'Sửa chữa hệ thống chiếu sáng công cộng và vỉa hè các tuyến đường trung tâm phường',
          lead: DIRECTIVES_DEMO_OFFICER_AGENCY,
          cooperating: ['VL-SXD'],
          deadline: { kind: 'date', date: d(20) },
          links: { places: ['29242'] },
        },
      ],
    },
    steps: [
      { key: '1', on: d(-45), hour: 2, actor: 'lead_agency', body: progress(50, 'Đã rà soát 12/20 dự án') },
      { key: '1', on: d(-35), hour: 3, actor: 'lead_agency', body: done('Đã trình UBND tỉnh phương án điều chuyển vốn (Tờ trình số 210/TTr-SXD, mẫu)') },
      { key: '1', on: d(-34), hour: 1, actor: 'office', body: confirmed() },
      { key: '2', on: d(-37), hour: 6, actor: 'lead_agency', body: done('Đã gửi Báo cáo số 95/BC-STC (mẫu)') },
      { key: '2', on: d(-36), hour: 2, actor: 'office', body: confirmed() },
      { key: '3', on: d(-20), hour: 4, actor: 'lead_agency', body: progress(40, 'Đã kiểm tra 8 cơ sở, lập biên bản 3 cơ sở vi phạm') },
      { key: '4', on: d(-5), hour: 3, actor: 'lead_agency', body: progress(30, 'Đã khảo sát, lập dự toán sửa chữa') },
    ],
  };

  const directiveDate = d(-45);
  const monthly = { kind: 'monthly' as const, day: 25, until: null };
  // Each month's report falling due since the directive, sent two days early (or on the directive's day).
  const pastMonths = taskOccurrences(monthly, { from: directiveDate, to: today }).filter((o) => o.deadline < today);
  const directive: DemoDocument = {
    document: {
      number: 'MAU-45/CT-UBND',
      date: directiveDate,
      issuer: ISSUER,
      signer: SIGNER,
      kind: 'directive',
      summary: `Chỉ thị về tăng cường cải cách hành chính, nâng cao chất lượng phục vụ người dân và doanh nghiệp.${NOTE}`,
      confirmDone: false,
      published: false,
      synthetic: true,
      tasks: [
        { key: '1', text: 'Rà soát, đơn giản hóa thủ tục hành chính nội bộ của các cơ quan hành chính nhà nước', lead: 'VL-SNV', deadline: { kind: 'date', date: d(25) } },
        { key: '2', text: 'Hoàn thành cập nhật cơ sở dữ liệu đất đai các xã, phường', lead: 'VL-SNNMT', deadline: { kind: 'date', date: d(-5) } },
        { key: '3', text: 'Tổ chức đối thoại với doanh nghiệp trên địa bàn phường', lead: 'UBND-29254', deadline: { kind: 'date', date: d(10) } },
        { key: '4', text: 'Báo cáo tình hình thu ngân sách nhà nước hằng tháng', lead: 'VL-STC', deadline: monthly },
        { key: '5', text: 'Tiếp nhận, giải quyết phản ánh, kiến nghị của người dân trên địa bàn phường', lead: DIRECTIVES_DEMO_OFFICER_AGENCY, deadline: { kind: 'regular' } },
      ],
    },
    steps: [
      { key: '2', on: d(-12), hour: 2, actor: 'lead_agency', body: { kind: 'extension_requested', occurrence: null, until: d(15), reason: 'Chờ số liệu đo đạc bổ sung của 4 xã' } },
      { key: '2', on: d(-10), hour: 3, actor: 'office', body: { kind: 'extension_approved', occurrence: null, until: d(15) } },
      { key: '3', on: d(-20), hour: 2, actor: 'office', body: { kind: 'cancelled', occurrence: null, reason: 'Đã lồng ghép vào hội nghị đối thoại của tỉnh' } },
      ...pastMonths.map((o): DemoStep => ({ key: '4', on: addDays(o.deadline, -2) < directiveDate ? directiveDate : addDays(o.deadline, -2), hour: 3, actor: 'lead_agency', body: done(`Đã gửi báo cáo thu ngân sách kỳ ${o.key} (mẫu)`, o.key) })),
      { key: '5', on: d(-3), hour: 2, actor: 'lead_agency', body: progress(50, 'Đã tiếp nhận 46 phản ánh, giải quyết 23') },
    ],
  };

  const plan: DemoDocument = {
    document: {
      number: 'MAU-7/KH-UBND',
      date: d(-20),
      issuer: ISSUER,
      signer: SIGNER,
      kind: 'plan',
      summary: `Kế hoạch triển khai chuyển đổi số trong tiếp nhận, giải quyết hồ sơ thủ tục hành chính.${NOTE}`,
      confirmDone: false,
      published: false,
      synthetic: true,
      tasks: [
        { key: '1', text: 'Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính còn hiệu lực tại bộ phận một cửa phường', lead: DIRECTIVES_DEMO_OFFICER_AGENCY, deadline: { kind: 'date', date: d(40) } },
        { key: '2', text: 'Hướng dẫn doanh nghiệp sử dụng dịch vụ công trực tuyến lĩnh vực công thương', lead: 'VL-SCT', deadline: { kind: 'date', date: d(-2) } },
      ],
    },
    steps: [{ key: '2', on: d(-3), hour: 7, actor: 'lead_agency', body: done('Đã tổ chức 2 lớp hướng dẫn cho 85 doanh nghiệp') }],
  };
  return [conclusion, directive, plan];
}

/** Both of the demo's hands: the office of the whole province and the officer of any agency. */
const DEMO_IDENTITY: Identity = {
  kind: 'token',
  tokenId: 0,
  name: BY,
  login: null,
  sourceCode: null,
  roles: [
    { role: 'leaders_office', organisationCode: null, placeCode: null },
    { role: 'agency_officer', organisationCode: null, placeCode: null },
  ],
};

export interface DirectivesDemoReport {
  documents: number;
  added: string[];
}

/**
 * Seeds the demo's directive documents not held yet, each with its
 * reports and decisions, and records the data set as synthetic.
 */
export async function seedDirectivesDemo(ctx: AppContext): Promise<DirectivesDemoReport> {
  const today = todayIn(ctx.clock);
  const repo = new DirectiveRepository(ctx.store.db);
  const caller: DirectiveCaller = { identity: DEMO_IDENTITY, login: BY };
  const demo = directivesDemo(today);
  const service = (instant: string) => new DirectiveService({ ...ctx, clock: fixedClock(instant) });
  const added: string[] = [];
  for (const { document, steps } of demo) {
    if (await repo.documentByNumber(document.number)) continue;
    const doc = directiveDocumentSchema.parse(document);
    const { answer } = await service(at(doc.date, 1)).saveDocument(doc.number, doc, caller);
    const ids = new Map(answer.tasks.map((t) => [t.key, t.id]));
    const ordered = [...steps].sort((a, b) => a.on.localeCompare(b.on) || a.hour - b.hour);
    for (const s of ordered) await service(at(s.on, s.hour)).record(ids.get(s.key)!, s.body, s.actor, caller);
    added.push(doc.number);
  }
  if (added.length > 0) {
    const numbers = demo.map((x) => x.document.number);
    const checksum = createHash('sha256').update(JSON.stringify(numbers)).digest('hex');
    const detail = `${numbers.length} directive documents (${numbers.join(', ')}) issued ${demo[0]!.document.date} to ${today}, with tasks in every status`;
    await new DatasetsRepository(ctx.store.db).record(DATASET, checksum, ctx.clock.now().toISOString(), JSON.stringify({ detail, synthetic: { source: DEMO_SOURCE, text: SYNTHETIC_NOTICE } }));
  }
  return { documents: demo.length, added };
}
