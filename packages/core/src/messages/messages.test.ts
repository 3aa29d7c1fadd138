import { describe, expect, it } from 'vitest';
import {
  alertMessage,
  builtInRolePreferences,
  caseAssignedMessage,
  defaultPreferences,
  dossierDueMessage,
  effectivePreferences,
  fillGatewayTemplate,
  heldBack,
  lateSourceMessage,
  mergeRolePreferences,
  nextMessageAttempt,
  quietUntil,
  reportPublishedMessage,
  severityAtLeast,
  vietnamDateTime,
  type MessagePreferences,
  type RolePreferences,
} from './index';

describe('quiet hours', () => {
  const night = { from: '22:00', to: '06:00' };
  it('span midnight on Vietnam time and end at their end', () => {
    // 15:30Z is 22:30 in Vietnam: quiet until 06:00 = 23:00Z.
    expect(quietUntil(night, new Date('2026-11-28T15:30:00Z'))?.toISOString()).toBe('2026-11-28T23:00:00.000Z');
    // 21:15Z is 04:15 the next day in Vietnam: still quiet, until 23:00Z.
    expect(quietUntil(night, new Date('2026-11-28T21:15:40Z'))?.toISOString()).toBe('2026-11-28T23:00:00.000Z');
    // 23:00Z is 06:00 in Vietnam: over.
    expect(quietUntil(night, new Date('2026-11-28T23:00:00Z'))).toBeNull();
    // 03:00Z is 10:00: not quiet.
    expect(quietUntil(night, new Date('2026-11-28T03:00:00Z'))).toBeNull();
  });
  it('within one day, and none when both ends are equal', () => {
    // 12:00–13:30 in Vietnam; 05:10Z is 12:10: until 13:30 = 06:30Z.
    expect(quietUntil({ from: '12:00', to: '13:30' }, new Date('2026-11-28T05:10:00Z'))?.toISOString()).toBe('2026-11-28T06:30:00.000Z');
    expect(quietUntil({ from: '12:00', to: '12:00' }, new Date('2026-11-28T05:10:00Z'))).toBeNull();
  });
  it('hold back what is not critical only', () => {
    const at = new Date('2026-11-28T16:00:00Z');
    expect(heldBack('warning', night, at)?.toISOString()).toBe('2026-11-28T23:00:00.000Z');
    expect(heldBack('info', night, at)).not.toBeNull();
    expect(heldBack('critical', night, at)).toBeNull();
  });
});

describe('message preferences and delivery', () => {
  it('default by role: operators from warnings, leaders critical only', () => {
    expect(defaultPreferences(['operator']).minSeverity).toBe('warning');
    expect(defaultPreferences(['leader']).minSeverity).toBe('critical');
    expect(severityAtLeast('critical', 'warning')).toBe(true);
    expect(severityAtLeast('info', 'warning')).toBe(false);
  });
  it('retry after 1, 5, 30 minutes, then give up', () => {
    const now = new Date('2026-11-28T00:00:00Z');
    const retry = { attempts: 4, delaysMs: [60_000, 300_000, 1_800_000] };
    expect(nextMessageAttempt(1, now, retry)?.toISOString()).toBe('2026-11-28T00:01:00.000Z');
    expect(nextMessageAttempt(2, now, retry)?.toISOString()).toBe('2026-11-28T00:05:00.000Z');
    expect(nextMessageAttempt(3, now, retry)?.toISOString()).toBe('2026-11-28T00:30:00.000Z');
    expect(nextMessageAttempt(4, now, retry)).toBeNull();
  });
  it('fill a JSON gateway template so it stays JSON whatever the text holds', () => {
    const body = fillGatewayTemplate('{"to":"{{to}}","text":"{{ text }}"}', { to: '84912345678', text: 'Mưa "lớn"\nở Trà Vinh', subject: '', id: '1' });
    expect(JSON.parse(body)).toEqual({ to: '84912345678', text: 'Mưa "lớn"\nở Trà Vinh' });
  });
});

describe('role defaults', () => {
  const stored: Partial<Record<string, RolePreferences>> = { leader: { channels: ['gateway'], minSeverity: 'warning', topics: ['report_published'], quietHours: { from: '21:00', to: '07:00' } } };
  const of = (r: Parameters<typeof builtInRolePreferences>[0]) => stored[r] ?? builtInRolePreferences(r);
  it('tell each role of what it acts on until an administrator says otherwise', () => {
    expect(builtInRolePreferences('agency_officer')).toEqual({ channels: ['email'], minSeverity: 'critical', topics: ['case_assigned', 'due_soon', 'late_source'], quietHours: null });
    expect(builtInRolePreferences('leader').topics).toEqual(['alert', 'report_published']);
    expect(builtInRolePreferences('administrator').topics).toEqual([]);
  });
  it('merge over several roles: any channel and topic, the least severity, the first quiet hours', () => {
    expect(mergeRolePreferences(['operator', 'leader'], of)).toEqual({ channels: ['email', 'gateway'], minSeverity: 'warning', topics: ['alert', 'report_published'], quietHours: { from: '21:00', to: '07:00' } });
    expect(mergeRolePreferences([], of)).toEqual({ channels: [], minSeverity: 'critical', topics: [], quietHours: null });
  });
  it('hold for who set nothing or follows their roles, their own addresses kept; not for who set their own', () => {
    expect(defaultPreferences(['leader'], of)).toMatchObject({ channels: ['gateway'], email: null, topics: ['report_published'], language: 'vi', followRole: false });
    const own: MessagePreferences = { channels: ['email'], email: 'a@vinhlong.test', phone: null, zaloId: '42', minSeverity: 'info', topics: ['alert'], quietHours: null, language: 'en', followRole: true };
    expect(effectivePreferences(own, ['leader'], of)).toEqual({ ...own, channels: ['gateway'], minSeverity: 'warning', topics: ['report_published'], quietHours: { from: '21:00', to: '07:00' } });
    expect(effectivePreferences({ ...own, followRole: false }, ['leader'], of)).toEqual({ ...own, followRole: false });
  });
});

describe('message texts', () => {
  it('write instants on Vietnam’s clock', () => {
    expect(vietnamDateTime('2026-11-28T17:30:00.000Z')).toBe('29/11/2026 00:30');
  });
  it('tell of an alert in Vietnamese or English', () => {
    const alert = { id: 7, severity: 'critical' as const, message: 'PM2.5 vượt 50', rule: 'PM25_HIGH', escalationLevel: 1 };
    expect(alertMessage(alert, 'escalated', 'https://ioc.test/alerts/7')).toEqual({ subject: '[Khẩn cấp – chuyển cấp 1] Cảnh báo #7 (PM25_HIGH)', body: '[Khẩn cấp – chuyển cấp 1] Cảnh báo #7 (PM25_HIGH)\nPM2.5 vượt 50\nhttps://ioc.test/alerts/7' });
    expect(alertMessage(alert, 'opened', 'l', 'en').subject).toBe('[Critical] Alert #7 (PM25_HIGH)');
  });
  it('tell an agency of a case routed or assigned to it, with its deadline', () => {
    const c = { publicId: 'PA-2026-000123', title: 'Đèn đường hỏng', placeName: 'Phường Trà Vinh', deadline: '2026-11-30T03:00:00.000Z' };
    expect(caseAssignedMessage(c, 'assigned', 'https://ioc.test/cases/PA-2026-000123')).toEqual({
      subject: '[Giao xử lý] PA-2026-000123: Đèn đường hỏng',
      body: '[Giao xử lý] PA-2026-000123: Đèn đường hỏng\nCơ quan của bạn được giao xử lý (Phường Trà Vinh).\nHạn xử lý: 30/11/2026 10:00.\nhttps://ioc.test/cases/PA-2026-000123',
    });
    expect(caseAssignedMessage({ ...c, placeName: null }, 'routed', 'l', 'en').body).toBe('[New case] PA-2026-000123: Đèn đường hỏng\nYour agency is to handle it.\nDeadline: 30/11/2026 10:00 (Vietnam time).\nl');
  });
  it('tell of a dossier due soon, then overdue', () => {
    const d = { code: 'H86.1-261128-0001', procedure: 'Cấp giấy phép xây dựng', deadline: '2026-11-28T10:00:00.000Z' };
    expect(dossierDueMessage(d, 'due_soon').body).toBe('[Hồ sơ sắp đến hạn] H86.1-261128-0001\nThủ tục: Cấp giấy phép xây dựng.\nHạn giải quyết: 28/11/2026 17:00.');
    expect(dossierDueMessage(d, 'overdue', 'en').subject).toBe('[Dossier overdue] H86.1-261128-0001');
  });
  it('tell a source’s owner it is late and a reader a report is out', () => {
    expect(lateSourceMessage({ code: 'STC-PUSH', name: 'Sở Tài chính', lateSince: '2026-11-05T17:00:00.000Z', missingPeriod: '2026-10' }, 'l').body).toBe('[Chậm dữ liệu] Sở Tài chính (STC-PUSH)\nTrễ hạn từ 06/11/2026 00:00; kỳ còn thiếu: 2026-10.\nl');
    expect(lateSourceMessage({ code: 'S', name: 'N', lateSince: '2026-11-05T17:00:00.000Z', missingPeriod: null }, 'l', 'en').body).toBe('[Data late] N (S)\nLate since 06/11/2026 00:00 (Vietnam time).\nl');
    expect(reportPublishedMessage({ title: 'Báo cáo KT-XH', periodKey: '2026-10', scheduleCode: 'KTXH-THANG' }, 'https://ioc.test/f')).toEqual({
      subject: '[Báo cáo] Báo cáo KT-XH – kỳ 2026-10',
      body: '[Báo cáo] Báo cáo KT-XH – kỳ 2026-10\nĐã lập theo lịch KTXH-THANG và lưu trữ. Tải về: https://ioc.test/f',
    });
    expect(reportPublishedMessage({ title: 'T', periodKey: '2026-10', scheduleCode: 'S' }, 'f', 'en').subject).toBe('[Report] T – 2026-10');
  });
});
