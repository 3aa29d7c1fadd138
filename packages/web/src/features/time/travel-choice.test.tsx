import type { PlaceSummary } from '@watchfloor/core';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { I18nProvider } from '../../lib/i18n/i18n';
import type { Language } from '../../lib/i18n/translate';
import { TravelChoicePanel } from './travel-choice';
import type { TravelChoice } from './use-time-travel';

const unit = (code: string, name: string, parentCode: string, validFrom: string | null, validTo: string | null): PlaceSummary => ({
  code,
  name,
  nameEn: null,
  level: code.length === 3 ? 'district' : 'commune',
  parentCode,
  validFrom,
  validTo,
});

const choice: TravelChoice = {
  place: unit('842', 'Thành phố Trà Vinh', '84', null, '2025-06-30'),
  at: '2026-11-28',
  abolished: { level: 'district', effectiveDate: '2025-07-01', legalRef: '72/2025/QH15', successors: [] },
  options: [
    { place: unit('29242', 'Phường Trà Vinh', '86', '2025-07-01', null), href: '/p/29242', from: [unit('29239', 'Phường 1', '842', null, '2025-06-30'), unit('29242', 'Phường 3', '842', null, '2025-06-30')] },
    { place: unit('29398', 'Phường Hoà Thuận', '86', '2025-07-01', null), href: '/p/29398', from: [unit('29248', 'Phường 5', '842', null, '2025-06-30')] },
  ],
};

const render = (lang: Language = 'vi') =>
  renderToStaticMarkup(
    <I18nProvider initial={lang}>
      <TravelChoicePanel choice={choice} onDismiss={() => undefined} />
    </I18nProvider>,
  );

describe('choosing among the units a district became', () => {
  it('says the district no longer exists on the date chosen, why, and links each ward it went into', () => {
    const html = render();
    expect(html).toContain('Thành phố Trà Vinh không còn tồn tại vào ngày 28/11/2026');
    expect(html).toContain('Cấp huyện kết thúc hoạt động từ ngày 01/07/2025');
    expect(html).toContain('nay thuộc 2 đơn vị');
    expect(html).toContain('href="/p/29242"');
    expect(html).toContain('href="/p/29398"');
    expect(html).toContain('từ Phường 1, Phường 3');
    expect(html).toContain('Ở lại ngày đang xem');
    expect(render('en')).toContain('Thành phố Trà Vinh no longer exists on 28 Nov 2026');
  });
});
