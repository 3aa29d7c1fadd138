import type { ParLeafAssessment } from '@watchfloor/core';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { I18nProvider } from '../../lib/i18n/i18n';
import type { Language } from '../../lib/i18n/translate';
import type { Can } from './assessment-model';
import { ParRefused } from './assessment-parts';
import { LeafCard } from './assessment-screen';

const none: Can = { assess: false, submit: false, adjust: false, return: false, answer: false, decide: false };
const target = { id: 3, unit: 'VL-STC' };

function render(node: React.ReactNode, lang: Language = 'vi'): string {
  return renderToStaticMarkup(<I18nProvider initial={lang}>{node}</I18nProvider>);
}

function leaf(over: Partial<ParLeafAssessment>): ParLeafAssessment {
  return {
    code: 'F1.1',
    fieldCode: 'F1',
    criterionCode: 'F1.1',
    name: 'Ban hành kế hoạch CCHC năm',
    nameEn: 'The year’s PAR plan issued',
    method: 'self',
    maxPoints: 2,
    evidenceRequired: true,
    guidance: 'Kế hoạch ban hành trước 31/12 năm trước',
    self: 1.5,
    note: 'Kế hoạch số 12/KH',
    computed: null,
    basis: null,
    dispute: null,
    appraised: null,
    appraisalReason: null,
    response: null,
    final: null,
    finalReason: null,
    points: 1.5,
    evidence: [{ id: 9, fileName: 'ke-hoach.pdf', mediaType: 'application/pdf', size: 20_480, sha256: 'ab', uploadedAt: '2026-11-02T03:00:00Z', uploadedBy: 'stc' }],
    ...over,
  };
}

const card = (l: ParLeafAssessment, can: Can, lang: Language = 'vi') => render(<LeafCard leaf={l} can={can} target={target} onChanged={() => undefined} heading="h4" />, lang);

describe('a leaf of the assessment screen', () => {
  it('shows its maximum, method, guidance, points and evidence, with no control to a reader who may do nothing', () => {
    const html = card(leaf({}), none);
    expect(html).toContain('Tối đa 2 điểm');
    expect(html).toContain('Tự đánh giá');
    expect(html).toContain('Bắt buộc có tài liệu kiểm chứng');
    expect(html).toContain('Kế hoạch ban hành trước 31/12 năm trước');
    expect(html).toContain('Kế hoạch số 12/KH');
    expect(html).toContain('<strong>1,5</strong> / 2');
    expect(html).toContain('href="/api/par/evidence/9"');
    expect(html).toContain('20 KB');
    expect(html).not.toContain('<input');
    expect(html).not.toContain('<textarea');
    expect(html).not.toContain('Xóa');
  });

  it('gives the unit’s officer points, explanation and evidence on a draft self-assessed leaf', () => {
    const html = card(leaf({}), { ...none, assess: true, submit: true });
    expect(html).toContain('data-testid="self-F1.1"');
    expect(html).toContain('value="1,5"');
    expect(html).toContain('type="file"');
    expect(html).toContain('aria-label="Xóa tài liệu ke-hoach.pdf"');
    expect(html).not.toContain('data-testid="adjust-F1.1"');
  });

  it('gives no points box on a computed leaf, only a dispute, and shows the figure behind the points', () => {
    const l = leaf({
      code: 'F2.1',
      method: 'computed',
      self: null,
      note: null,
      computed: 0.5,
      points: 0.5,
      evidence: [],
      basis: { indicator: 'PS_ON_TIME_RATE', indicatorName: 'Tỷ lệ hồ sơ đúng hạn', period: '2026', value: 96.4, unit: '%', sources: ['dvc-quoc-gia'], computedAt: '2026-11-01T00:00:00Z', note: null },
    });
    const html = card(l, { ...none, assess: true });
    expect(html).not.toContain('name="points"');
    expect(html).toContain('data-testid="dispute-F2.1"');
    expect(html).toContain('Số liệu: 96,4 % (Tỷ lệ hồ sơ đúng hạn · PS_ON_TIME_RATE, năm 2026)');
    expect(html).toContain('Nguồn: dvc-quoc-gia');
  });

  it('gives the appraiser the adjustment only, and shows the adjusted points and their reason in English', () => {
    const l = leaf({ appraised: 1, appraisalReason: 'Thiếu báo cáo quý IV', points: 1 });
    const html = card(l, { ...none, adjust: true, return: true }, 'en');
    expect(html).toContain('data-testid="adjust-F1.1"');
    expect(html).not.toContain('data-testid="self-F1.1"');
    expect(html).not.toContain('type="file"');
    expect(html).toContain('Appraised points');
    expect(html).toContain('Thiếu báo cáo quý IV');
    expect(html).toContain('The year’s PAR plan issued');
  });

  it('shows a deduction as points off', () => {
    const html = card(leaf({ method: 'deduction', maxPoints: 1, self: 0.5, points: 0.5, evidence: [] }), none);
    expect(html).toContain('Trừ tối đa 1 điểm');
    expect(html).toContain('<strong>-0,5</strong>');
  });
});

describe('a refusal', () => {
  it('is told in the reader’s language and names the leaves it is about', () => {
    const error = { code: 'par_evidence_required', message: 'Attach evidence to F1.1 before submitting', details: { criteria: ['F1.1'] } };
    const vi = render(<ParRefused error={error} leaves={[leaf({ evidence: [] })]} />);
    expect(vi).toContain('Còn tiêu chí bắt buộc có tài liệu kiểm chứng nhưng chưa có tài liệu nào.');
    expect(vi).toContain('<a href="#leaf-F1.1">F1.1 · Ban hành kế hoạch CCHC năm</a>');
    // Submitting with a criterion unscored: the code alone speaks of computed points, the step says what is missing.
    const unscored = { code: 'par_points_not_assessed', message: 'Give the points of F1.1 before submitting', details: { criteria: ['F1.1'] } };
    expect(render(<ParRefused error={unscored} leaves={[leaf({ self: null })]} words={{ par_points_not_assessed: 'parAssess.unscored' }} />)).toContain('Còn tiêu chí đơn vị tự chấm mà chưa có điểm');
    const en = render(<ParRefused error={{ code: 'evidence_type_not_allowed', message: 'text/plain' }} />, 'en');
    expect(en).toContain('Evidence files are PDF, PNG or JPEG only.');
  });
});
