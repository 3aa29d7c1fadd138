import { alertRuleInputSchema, type Clock } from '@watchfloor/core';
import { AlertsRepository, type Store } from '@watchfloor/db';

const handling = [
  { title: 'Xác minh cảnh báo (Verify the alert)', role: 'Trực ban IOC', expectedMinutes: 15 },
  { title: 'Thông báo cơ quan chuyên môn (Tell the responsible agency)', role: 'Trực ban IOC', expectedMinutes: 30 },
  { title: 'Ghi nhận kết quả xử lý (Record the outcome)', role: 'Cơ quan xử lý', expectedMinutes: 240 },
];

/** The demo rules over the demo data set; flagged `demo` so they can be told apart and removed. */
export const DEMO_ALERT_RULES = [
  {
    code: 'DEMO_PM25_HIGH',
    names: { vi: 'Bụi PM2.5 trung bình 24 giờ vượt QCVN 05:2023', en: 'PM2.5 24-hour mean above the national limit' },
    kind: 'threshold',
    subject: { indicator: 'ENV_PM25', place: '86', subtree: true },
    // 50 µg/m³ is the 24-hour limit of QCVN 05:2023/BTNMT; the band keeps a value hovering at the limit from flapping.
    parameters: { high: 50, band: 5 },
    severity: 'warning',
    escalation: [
      { afterMinutes: 30, level: 1, notify: [] },
      { afterMinutes: 120, level: 2, notify: [] },
    ],
    sop: handling,
    demo: true,
  },
  {
    code: 'DEMO_DOSSIER_DUE',
    names: { vi: 'Hồ sơ TTHC sắp đến hạn (24 giờ)', en: 'Public-service dossier due within 24 hours' },
    kind: 'dossier_deadline',
    subject: {},
    parameters: { windowHours: 24 },
    severity: 'warning',
    demo: true,
  },
  {
    code: 'DEMO_CASE_DUE',
    names: { vi: 'Phản ánh sắp quá hạn xử lý (24 giờ)', en: 'Citizen report due within 24 hours' },
    kind: 'case_deadline',
    subject: {},
    parameters: { windowHours: 24 },
    severity: 'warning',
    sop: handling,
    demo: true,
  },
  {
    code: 'DEMO_TASK_DUE',
    names: { vi: 'Nhiệm vụ UBND tỉnh giao sắp đến hạn (3 ngày), quá hạn, quá hạn trên 7 ngày', en: 'Directive task due within 3 days, overdue, or overdue more than 7 days' },
    kind: 'task_deadline',
    subject: {},
    // Three Vietnam days' notice to the lead agency; told again once overdue, and once more than a week late.
    parameters: { dueWithinDays: 3, overdue: true, overdueMoreThanDays: 7 },
    severity: 'warning',
    demo: true,
  },
  {
    code: 'DEMO_SOURCE_LATE',
    names: { vi: 'Nguồn dữ liệu chậm gửi', en: 'Data source late' },
    kind: 'source_freshness',
    subject: {},
    parameters: {},
    severity: 'info',
    demo: true,
  },
] as const;

/** Adds the demo rules that are missing; a rule an operator has changed is left as it is. */
export async function seedDemoAlertRules(store: Store, options: { clock: Clock }): Promise<{ added: number }> {
  const repo = new AlertsRepository(store.db);
  let added = 0;
  for (const { code, ...input } of DEMO_ALERT_RULES) {
    if (await repo.rule(code)) continue;
    await repo.putRule({ code, ...alertRuleInputSchema.parse(input) }, options.clock.now().toISOString());
    added += 1;
  }
  return { added };
}
