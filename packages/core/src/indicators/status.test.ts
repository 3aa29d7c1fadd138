import { describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import { parsePeriod } from './periods';
import { assessFigure, expectedProgress, percentOfPlan, staleness, statusFromTarget, statusFromThresholds, yearPlanOf } from './status';

const colour = (s: { status: string }): string => s.status;

describe('status from thresholds', () => {
  const onTime = { green: 95, amber: 85 };
  it('higher is better: green from the green threshold, amber from the amber one, else red', () => {
    expect(colour(statusFromThresholds(95, 'higher_is_better', onTime))).toBe('green');
    expect(colour(statusFromThresholds(100, 'higher_is_better', onTime))).toBe('green');
    expect(colour(statusFromThresholds(94.9, 'higher_is_better', onTime))).toBe('amber');
    expect(colour(statusFromThresholds(85, 'higher_is_better', onTime))).toBe('amber');
    expect(colour(statusFromThresholds(84.99, 'higher_is_better', onTime))).toBe('red');
  });

  it('lower is better: the same thresholds read the other way', () => {
    const pm25 = { green: 25, amber: 50 };
    expect(colour(statusFromThresholds(12, 'lower_is_better', pm25))).toBe('green');
    expect(colour(statusFromThresholds(25, 'lower_is_better', pm25))).toBe('green');
    expect(colour(statusFromThresholds(30, 'lower_is_better', pm25))).toBe('amber');
    expect(colour(statusFromThresholds(50, 'lower_is_better', pm25))).toBe('amber');
    expect(colour(statusFromThresholds(50.5, 'lower_is_better', pm25))).toBe('red');
  });

  it('band: green inside, amber within the margin outside, red beyond', () => {
    const ph = { low: 6.5, high: 8.5, amberMargin: 0.5 };
    expect(['6.5', '7', '8.5', '6', '9', '5.9', '9.1'].map((v) => colour(statusFromThresholds(Number(v), 'band', ph)))).toEqual([
      'green',
      'green',
      'green',
      'amber',
      'amber',
      'red',
      'red',
    ]);
  });

  it('gives the reason code and a text in both languages, numbers written the local way', () => {
    expect(statusFromThresholds(90, 'higher_is_better', onTime)).toEqual({
      status: 'amber',
      reason: 'meets_amber',
      text: { vi: 'Chưa đạt ngưỡng xanh (≥ 95), trong ngưỡng vàng (≥ 85)', en: 'Misses the green threshold (≥ 95), within amber (≥ 85)' },
    });
    expect(statusFromThresholds(60, 'lower_is_better', { green: 25, amber: 50 })).toEqual({
      status: 'red',
      reason: 'misses_amber',
      text: { vi: 'Không đạt ngưỡng vàng (≤ 50)', en: 'Misses the amber threshold (≤ 50)' },
    });
    expect(statusFromThresholds(9, 'band', { low: 6.5, high: 8.5, amberMargin: 0.5 })).toEqual({
      status: 'amber',
      reason: 'near_band',
      text: { vi: 'Ngoài khoảng 6,5–8,5, trong biên 0,5', en: 'Outside 6.5–8.5, within the 0.5 margin' },
    });
    expect(statusFromThresholds(7, 'band', { low: 6.5, high: 8.5, amberMargin: 0.5 }).reason).toBe('within_band');
    expect(statusFromThresholds(2, 'band', { low: 6.5, high: 8.5, amberMargin: 0.5 }).reason).toBe('outside_band');
    expect(statusFromThresholds(99, 'higher_is_better', onTime).text.vi).toBe('Đạt ngưỡng xanh (≥ 95)');
  });

  it('is grey when there is no value, whatever the thresholds', () => {
    expect(statusFromThresholds(null, 'higher_is_better', onTime)).toEqual({
      status: 'grey',
      reason: 'no_data',
      text: { vi: 'Chưa có số liệu cho kỳ này', en: 'No data for this period' },
    });
  });

  it('refuses thresholds that do not fit the direction', () => {
    expect(() => statusFromThresholds(1, 'band', onTime)).toThrow(AppError);
  });
});

describe('status from a plan', () => {
  it('higher is better: ≥100% green, ≥90% amber, else red', () => {
    expect(statusFromTarget(200, 200, 'higher_is_better')).toEqual({ status: 'green', reason: 'target_met', text: { vi: 'Đạt kế hoạch (100%)', en: 'Plan met (100%)' } });
    expect(statusFromTarget(180, 200, 'higher_is_better')).toEqual({ status: 'amber', reason: 'near_target', text: { vi: 'Gần đạt kế hoạch (90%)', en: 'Close to plan (90%)' } });
    expect(statusFromTarget(179, 200, 'higher_is_better')).toEqual({
      status: 'red',
      reason: 'target_missed',
      text: { vi: 'Không đạt kế hoạch (89,5%)', en: 'Plan missed (89.5%)' },
    });
    expect(colour(statusFromTarget(250, 200, 'higher_is_better'))).toBe('green');
  });

  it('lower is better: mirrored, ≤100% green, ≤110% amber, else red', () => {
    expect(colour(statusFromTarget(50, 100, 'lower_is_better'))).toBe('green');
    expect(colour(statusFromTarget(100, 100, 'lower_is_better'))).toBe('green');
    expect(colour(statusFromTarget(110, 100, 'lower_is_better'))).toBe('amber');
    expect(colour(statusFromTarget(110.5, 100, 'lower_is_better'))).toBe('red');
  });

  it('is exact at the boundaries, where 0.9 × 100 would not be', () => {
    expect(colour(statusFromTarget(9, 10, 'higher_is_better'))).toBe('amber');
    expect(colour(statusFromTarget(11, 10, 'lower_is_better'))).toBe('amber');
    expect(colour(statusFromTarget(0.9, 1, 'higher_is_better'))).toBe('amber');
  });

  it('takes other bands', () => {
    expect(colour(statusFromTarget(96, 100, 'higher_is_better', { green: 95, amber: 80 }))).toBe('green');
    expect(colour(statusFromTarget(79, 100, 'higher_is_better', { green: 95, amber: 80 }))).toBe('red');
    expect(colour(statusFromTarget(104, 100, 'lower_is_better', { green: 95, amber: 80 }))).toBe('green');
    expect(colour(statusFromTarget(119, 100, 'lower_is_better', { green: 95, amber: 80 }))).toBe('amber');
  });

  it('meets or misses a plan of zero or below outright', () => {
    expect(statusFromTarget(0, 0, 'lower_is_better')).toEqual({
      status: 'green',
      reason: 'target_met',
      text: { vi: 'Đạt kế hoạch (thực hiện 0, kế hoạch 0)', en: 'Plan met (actual 0, plan 0)' },
    });
    expect(colour(statusFromTarget(1, 0, 'lower_is_better'))).toBe('red');
    expect(colour(statusFromTarget(-1, -2, 'higher_is_better'))).toBe('green');
    expect(colour(statusFromTarget(-3, -2, 'higher_is_better'))).toBe('red');
  });

  it('is grey without a value', () => {
    expect(colour(statusFromTarget(null, 100, 'higher_is_better'))).toBe('grey');
  });

  it('computes percent of plan, null without a positive plan', () => {
    expect(percentOfPlan(179, 200)).toBe(89.5);
    expect(percentOfPlan(3, 0)).toBeNull();
    expect(percentOfPlan(null, 10)).toBeNull();
    expect(percentOfPlan(3, null)).toBeNull();
  });
});

describe('staleness', () => {
  const july = parsePeriod('2025-07');
  const monthly = { afterPeriodEndDays: 5 };
  const at = (iso: string): Date => new Date(iso);

  it('a monthly figure due 5 days after the month is due on the 5th, late from midnight Vietnam time', () => {
    const before = staleness({ delivery: monthly, period: july, latestDataAt: null, now: at('2025-08-05T16:59:59Z') });
    expect(before).toMatchObject({ stale: false, reason: 'not_yet_due', dueDate: '2025-08-05', staleSince: null });
    expect(before.text).toEqual({ vi: 'Chưa đến hạn (hạn 05/08/2025)', en: 'Not yet due (due 2025-08-05)' });
    const after = staleness({ delivery: monthly, period: july, latestDataAt: null, now: at('2025-08-05T17:00:00Z') });
    expect(after).toEqual({
      stale: true,
      reason: 'overdue',
      dueDate: '2025-08-05',
      staleSince: '2025-08-05T17:00:00.000Z',
      text: { vi: 'Quá hạn gửi số liệu (hạn 05/08/2025)', en: 'Overdue (due 2025-08-05)' },
    });
  });

  it('is not stale once data for the period arrived, noting whether it came late', () => {
    const onTime = staleness({ delivery: monthly, period: july, latestDataAt: at('2025-08-03T02:00:00Z'), now: at('2025-09-01T00:00:00Z') });
    expect(onTime).toMatchObject({ stale: false, reason: 'delivered', staleSince: null });
    expect(onTime.text.vi).toBe('Đã gửi đúng hạn (hạn 05/08/2025)');
    const late = staleness({ delivery: monthly, period: july, latestDataAt: at('2025-08-05T17:00:00Z'), now: at('2025-09-01T00:00:00Z') });
    expect(late).toMatchObject({ stale: false, reason: 'delivered_late' });
    expect(late.text.en).toBe('Delivered late (due 2025-08-05)');
  });

  it('counts from the end of any period: a quarter, a day, a leap February', () => {
    const due = (key: string, days: number): string | null =>
      staleness({ delivery: { afterPeriodEndDays: days }, period: parsePeriod(key), latestDataAt: null, now: at('2000-01-01T00:00:00Z') }).dueDate;
    expect(due('2025-Q2', 15)).toBe('2025-07-15');
    expect(due('2025-07-14', 1)).toBe('2025-07-15');
    expect(due('2024-02', 5)).toBe('2024-03-05');
    expect(due('2025', 0)).toBe('2025-12-31');
  });

  it('a stream is stale once its latest reading is older than the limit', () => {
    const delivery = { maxAgeMinutes: 60 };
    const latest = at('2025-07-14T10:00:00Z');
    const period = parsePeriod('2025-07-14');
    expect(staleness({ delivery, period, latestDataAt: latest, now: at('2025-07-14T11:00:00Z') })).toMatchObject({ stale: false, reason: 'stream_fresh' });
    expect(staleness({ delivery, period, latestDataAt: latest, now: at('2025-07-14T11:00:01Z') })).toEqual({
      stale: true,
      reason: 'stream_silent',
      dueDate: null,
      staleSince: '2025-07-14T11:00:00.000Z',
      text: { vi: 'Không có dữ liệu mới quá 60 phút', en: 'No new data for over 60 min' },
    });
    expect(staleness({ delivery, period, latestDataAt: null, now: latest })).toMatchObject({ stale: true, staleSince: null });
  });

  it('is never stale without a delivery expectation', () => {
    expect(staleness({ delivery: null, period: july, latestDataAt: null, now: at('2030-01-01T00:00:00Z') })).toMatchObject({ stale: false, reason: 'no_delivery_expected' });
  });
});

describe('assessing a figure', () => {
  const rate = { direction: 'higher_is_better' as const, thresholds: { green: 95, amber: 85 }, delivery: { afterPeriodEndDays: 5 } };
  const july = parsePeriod('2025-07');
  const lateNow = new Date('2025-08-10T00:00:00Z');

  it('is grey and stale when the value is missing past its due date, even with a plan', () => {
    const a = assessFigure({ indicator: rate, value: null, target: 90, period: july, latestDataAt: null, now: lateNow });
    expect(a).toMatchObject({ status: 'grey', reason: 'no_data', stale: true, percentOfPlan: null });
    expect(a.staleness.staleSince).toBe('2025-08-05T17:00:00.000Z');
  });

  it('is grey but not stale before the due date', () => {
    expect(assessFigure({ indicator: rate, value: null, period: july, latestDataAt: null, now: new Date('2025-08-01T00:00:00Z') })).toMatchObject({
      status: 'grey',
      stale: false,
    });
  });

  it('judges by the plan when there is one, else by thresholds', () => {
    const withPlan = assessFigure({ indicator: rate, value: 90, target: 92, period: july, latestDataAt: new Date('2025-08-02T00:00:00Z'), now: lateNow });
    expect(withPlan).toMatchObject({ status: 'amber', reason: 'near_target', stale: false });
    expect(withPlan.percentOfPlan).toBeCloseTo(97.826, 3);
    const noPlan = assessFigure({ indicator: rate, value: 90, period: july, latestDataAt: new Date('2025-08-02T00:00:00Z'), now: lateNow });
    expect(noPlan).toMatchObject({ status: 'amber', reason: 'meets_amber', percentOfPlan: null });
  });

  it('uses the band, not the plan, for an indicator kept within a band', () => {
    const ph = { direction: 'band' as const, thresholds: { low: 6.5, high: 8.5, amberMargin: 0.5 }, delivery: null };
    expect(assessFigure({ indicator: ph, value: 7, target: 8, period: july, latestDataAt: null, now: lateNow })).toMatchObject({ status: 'green', reason: 'within_band' });
  });

  it('leaves a value with nothing to judge it by unrated', () => {
    const count = { direction: 'higher_is_better' as const, thresholds: null, delivery: null };
    expect(assessFigure({ indicator: count, value: 1234, period: july, latestDataAt: null, now: lateNow })).toMatchObject({ status: 'unrated', reason: 'no_criteria', stale: false });
  });
});

describe('a missing figure where nothing was ever reported', () => {
  it('is plain no data, not late', async () => {
    const { assessFigure } = await import('./status');
    const a = assessFigure({
      indicator: { direction: 'higher_is_better', thresholds: null, delivery: { afterPeriodEndDays: 5 } },
      value: null,
      period: { kind: 'month', year: 2020, month: 5 },
      latestDataAt: null,
      now: new Date('2026-11-28T03:00:00Z'),
      reportedHere: false,
    });
    expect(a).toMatchObject({ status: 'grey', stale: false, staleness: { reason: 'not_reported_here' } });
    const late = assessFigure({ indicator: { direction: 'higher_is_better', thresholds: null, delivery: { afterPeriodEndDays: 5 } }, value: null, period: { kind: 'month', year: 2020, month: 5 }, latestDataAt: null, now: new Date('2026-11-28T03:00:00Z') });
    expect(late.stale).toBe(true);
  });
});

describe('a month with only a year plan', () => {
  const revenue = { direction: 'higher_is_better' as const, thresholds: null, delivery: { afterPeriodEndDays: 10 } };
  const november = parsePeriod('2026-11');
  const dec = new Date('2026-12-06T03:00:00Z');
  const judge = (toDate: number, expected = expectedProgress({ progress: 'pro_rata', months: 11 })) =>
    assessFigure({ indicator: revenue, value: 1500, target: null, yearPlan: { target: 15_000, toDate, expected }, period: november, latestDataAt: dec, now: dec });

  it('expects 11/12 of the year plan after 11 months, pro rata', () => {
    expect(expectedProgress({ progress: 'pro_rata', months: 11 })).toEqual({ basis: 'pro_rata', months: 11, share: 11 / 12 });
    // 13.600 of 15.000 is 90,67 % of the year plan; 11/12 of it (13.750) is expected: 13.600 / 13.750 = 98,9 % of pace → amber.
    const a = judge(13_600);
    expect(a).toMatchObject({ status: 'amber', reason: 'plan_pace_near', percentOfPlan: null });
    expect(a.text).toEqual({
      vi: 'Gần đạt tiến độ kế hoạch năm (90,7 % KH năm; kỳ vọng 91,7 % sau 11 tháng)',
      en: 'Close to the year plan’s pace (90.7% of the year plan; 91.7% expected after month 11)',
    });
    // Exactly the 13.750 expected meets the pace; 12.000 is 87,3 % of it, under the amber 90 %.
    expect(judge(13_750)).toMatchObject({ status: 'green', reason: 'plan_pace_met' });
    expect(judge(12_000)).toMatchObject({ status: 'red', reason: 'plan_pace_missed' });
  });

  it('follows last year’s months with a seasonal profile', () => {
    // Last year had 11.000 of its 14.000 by the end of November: 78,57 % is expected this year.
    const expected = expectedProgress({ progress: 'seasonal', months: 11, lastYear: { toDate: 11_000, total: 14_000 } });
    expect(expected).toEqual({ basis: 'seasonal', months: 11, share: 11_000 / 14_000 });
    // 12.000 of 15.000 = 80 % of the plan, ahead of 78,6 % (pro rata it would be behind 91,7 %).
    const a = judge(12_000, expected);
    expect(a).toMatchObject({ status: 'green', reason: 'plan_pace_met' });
    expect(a.text.vi).toBe('Đạt tiến độ kế hoạch năm (80 % KH năm; kỳ vọng 78,6 % sau 11 tháng (theo diễn biến năm trước))');
    // Without last year's figures (or with a total of zero) the profile falls back to pro rata, and says so.
    expect(expectedProgress({ progress: 'seasonal', months: 11, lastYear: { toDate: null, total: 14_000 } })).toEqual({ basis: 'pro_rata', months: 11, share: 11 / 12 });
    expect(expectedProgress({ progress: 'seasonal', months: 11, lastYear: { toDate: 0, total: 0 } }).basis).toBe('pro_rata');
  });

  it('applies to a period within the year without a plan of its own, when the catalogue says how the year progresses', () => {
    const lastYear = () => ({ toDate: 11_000, total: 14_000 });
    const q3 = parsePeriod('2026-Q3');
    expect(yearPlanOf({ progress: 'pro_rata', period: q3, target: null, yearTarget: 15_000, toDate: 9_000, lastYear })).toEqual({
      target: 15_000,
      toDate: 9_000,
      expected: { basis: 'pro_rata', months: 9, share: 9 / 12 },
    });
    // The month's own plan decides; a year is judged by its own plan; no statement or no year plan: nothing.
    expect(yearPlanOf({ progress: 'pro_rata', period: november, target: 1_400, yearTarget: 15_000, toDate: 13_600, lastYear })).toBeNull();
    expect(yearPlanOf({ progress: 'pro_rata', period: parsePeriod('2026'), target: null, yearTarget: 15_000, toDate: 13_600, lastYear })).toBeNull();
    expect(yearPlanOf({ progress: null, period: november, target: null, yearTarget: 15_000, toDate: 13_600, lastYear })).toBeNull();
    expect(yearPlanOf({ progress: 'pro_rata', period: november, target: null, yearTarget: null, toDate: 13_600, lastYear })).toBeNull();
  });

  it('keeps the month’s own plan first, and thresholds after the year plan', () => {
    const withThresholds = { ...revenue, thresholds: { green: 2_000, amber: 1_000 } };
    const yearPlan = { target: 15_000, toDate: 12_000, expected: expectedProgress({ progress: 'pro_rata', months: 11 }) };
    expect(assessFigure({ indicator: withThresholds, value: 1500, target: 1_500, yearPlan, period: november, latestDataAt: dec, now: dec })).toMatchObject({ reason: 'target_met' });
    expect(assessFigure({ indicator: withThresholds, value: 1500, yearPlan, period: november, latestDataAt: dec, now: dec })).toMatchObject({ reason: 'plan_pace_missed' });
    expect(assessFigure({ indicator: withThresholds, value: 1500, yearPlan: null, period: november, latestDataAt: dec, now: dec })).toMatchObject({ reason: 'meets_amber' });
  });
});

describe('a period before the series starts', () => {
  it('is "not collected yet", never late, even long past its due date', () => {
    const text = { vi: 'Chưa thu thập: chuỗi số liệu bắt đầu từ tháng 11/2021', en: 'Not collected yet: the series starts in November 2021' };
    const a = assessFigure({
      indicator: { direction: 'higher_is_better', thresholds: null, delivery: { afterPeriodEndDays: 5 } },
      value: null,
      period: parsePeriod('2020-05'),
      latestDataAt: null,
      now: new Date('2026-11-28T03:00:00Z'),
      notCollectedYet: text,
    });
    expect(a).toMatchObject({ status: 'grey', reason: 'not_collected_yet', text, stale: false, staleness: { reason: 'not_collected_yet', stale: false, dueDate: null } });
  });
});

describe('a score not defined for the unit in the period', () => {
  it('is neither coloured nor late, and says why, even with thresholds and a passed due date', () => {
    const a = assessFigure({
      indicator: { direction: 'higher_is_better', thresholds: { green: 60, amber: 50 }, delivery: { afterPeriodEndDays: 90 } },
      value: null,
      period: parsePeriod('2016'),
      latestDataAt: null,
      now: new Date('2026-11-28T03:00:00Z'),
      notDefined: true,
    });
    expect(a).toMatchObject({ status: 'unrated', reason: 'not_defined_for_unit', stale: false, percentOfPlan: null, staleness: { reason: 'not_defined_for_unit', stale: false } });
    expect(a.text.vi).toContain('Không xác định cho đơn vị này');
    // Without the mark, the same missing score is late.
    expect(assessFigure({ indicator: { direction: 'higher_is_better', thresholds: null, delivery: { afterPeriodEndDays: 90 } }, value: null, period: parsePeriod('2016'), latestDataAt: null, now: new Date('2026-11-28T03:00:00Z') }).stale).toBe(true);
  });
});
