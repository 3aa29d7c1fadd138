import { PRE_2025_LAST_DAY, isIsoDate } from '@watchfloor/core';
import { useId, useState } from 'react';
import { useI18n } from '../../lib/i18n/i18n';

/** The earliest date offered: the shipped geography is valid from before our records, the PCI from 2005. */
export const EARLIEST_DATE = '2005-01-01';

/**
 * The date the screens are "as of": the map, the units and the figures as
 * they were that day. Two shortcuts: today, and the last day before the
 * 2025 merger.
 */
export function DateControl({ at, today, onChange }: { at: string; today: string; onChange: (at: string) => void }) {
  const { t } = useI18n();
  const id = useId();
  const [draft, setDraft] = useState<string | null>(null);
  const invalid = draft !== null && !(isIsoDate(draft) && draft >= EARLIEST_DATE && draft <= today);
  const commit = (value: string) => {
    setDraft(null);
    if (value !== at) onChange(value);
  };
  return (
    <div className="date-control" role="group" aria-label={t('time.label')}>
      <label htmlFor={id}>{t('time.label')}</label>
      <input
        id={id}
        type="date"
        value={draft ?? at}
        min={EARLIEST_DATE}
        max={today}
        aria-invalid={invalid || undefined}
        title={t('time.hint')}
        onChange={(e) => {
          const v = e.target.value;
          if (isIsoDate(v) && v >= EARLIEST_DATE && v <= today) commit(v);
          else setDraft(v);
        }}
      />
      <button type="button" className="button small" aria-pressed={at === today} onClick={() => commit(today)}>
        {t('time.today')}
      </button>
      <button type="button" className="button small" aria-pressed={at === PRE_2025_LAST_DAY} title={t('time.beforeReformTitle')} onClick={() => commit(PRE_2025_LAST_DAY)}>
        {t('time.beforeReform')}
      </button>
      {invalid ? (
        <span className="field-error" role="alert">
          {t('time.invalid')}
        </span>
      ) : null}
    </div>
  );
}
