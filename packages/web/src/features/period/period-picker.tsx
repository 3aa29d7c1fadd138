import { periodKey, periodLabel } from '@watchfloor/core';
import { useId } from 'react';
import { useI18n } from '../../lib/i18n/i18n';
import { OPTION_COUNTS, PICKER_KINDS, convertPeriod, isPickerKind, lastWholeMonth, periodOptions, tryParsePeriod, type PickerKind } from './period-logic';

/**
 * Month, quarter, year to date or year, then which one. Choices end at the
 * last whole month before the date viewed. Native controls, so the keyboard
 * and screen readers work as everywhere.
 */
export function PeriodPicker({ value, at, onChange }: { value: string; at: string; onChange: (period: string) => void }) {
  const { t, lang } = useI18n();
  const id = useId();
  const current = tryParsePeriod(value);
  const latest = lastWholeMonth(at);
  const kind: PickerKind = current && isPickerKind(current.kind) ? current.kind : 'month';
  const options = periodOptions(kind, latest, OPTION_COUNTS[kind]);
  const keys = options.map(periodKey);
  // A period from the URL outside the list (older, or a half-year) stays selectable.
  if (current && !keys.includes(value)) options.unshift(current);

  return (
    <div className="period-picker" role="group" aria-label={t('period.label')}>
      <div className="segmented" role="radiogroup" aria-label={t('period.kind')}>
        {PICKER_KINDS.map((k) => (
          <button
            key={k}
            type="button"
            role="radio"
            aria-checked={k === kind}
            className={k === kind ? 'active' : undefined}
            onClick={() => {
              if (k !== kind) onChange(periodKey(convertPeriod(current ?? latest, k, latest)));
            }}
          >
            {t(`period.kind.${k}`)}
          </button>
        ))}
      </div>
      <label htmlFor={id} className="visually-hidden">
        {t('period.choose')}
      </label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
        {options.map((p) => {
          const key = periodKey(p);
          return (
            <option key={key} value={key}>
              {periodLabel(p, lang)}
            </option>
          );
        })}
      </select>
    </div>
  );
}
