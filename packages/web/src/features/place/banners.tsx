import type { OverviewResponse } from '@watchfloor/core';
import { formatDate } from '../../lib/i18n/format';
import { useI18n } from '../../lib/i18n/i18n';

/** The notices every figure on the screen is read under: synthetic demo data, regrouped units, a date in the past. */
export function Banners({ overview, at, today }: { overview: Pick<OverviewResponse, 'synthetic' | 'regrouped'>; at: string; today: string }) {
  const { t, lang } = useI18n();
  return (
    <div className="banners">
      {overview.synthetic ? (
        <p className="banner banner-synthetic" role="note" data-testid="synthetic-banner">
          <strong aria-hidden="true">⚠</strong> {overview.synthetic.text[lang]}
        </p>
      ) : null}
      {at !== today ? (
        <p className="banner banner-past" role="note">
          {t('time.past', { date: formatDate(at, lang) })}
        </p>
      ) : null}
      {overview.regrouped ? (
        <p className="banner banner-regrouped" role="note">
          {t('banner.regrouped')}
        </p>
      ) : null}
    </div>
  );
}
