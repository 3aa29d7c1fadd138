import type { IndicatorDefinition } from '@watchfloor/core';
import { useId, useMemo, useState } from 'react';
import { useI18n } from '../../lib/i18n/i18n';

/** Lowercase without Vietnamese diacritics, so "ty le dung han" finds "Tỷ lệ đúng hạn". */
export function searchKey(text: string): string {
  return text.normalize('NFD').replace(/\p{Diacritic}/gu, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').toLowerCase();
}

/** The catalogue entries whose code or names contain every word of the query. */
export function matchIndicators(defs: readonly IndicatorDefinition[], query: string): IndicatorDefinition[] {
  const words = searchKey(query).split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...defs];
  return defs.filter((d) => {
    const hay = searchKey(`${d.code} ${d.names.vi} ${d.names.en}`);
    return words.every((w) => hay.includes(w));
  });
}

/** Search the catalogue and pick one indicator: a search box over a native list, both usable by keyboard. */
export function IndicatorPicker({ defs, value, onChange, label }: { defs: readonly IndicatorDefinition[]; value: string; onChange: (code: string) => void; label: string }) {
  const { t, lang } = useI18n();
  const id = useId();
  const [query, setQuery] = useState('');
  const matches = useMemo(() => matchIndicators(defs, query).slice(0, 200), [defs, query]);
  const current = defs.find((d) => d.code === value);
  return (
    <div className="indicator-picker">
      <label htmlFor={`${id}-q`}>{label}</label>
      <input id={`${id}-q`} type="search" value={query} placeholder={t('editor.search')} aria-describedby={`${id}-hint`} onChange={(e) => setQuery(e.target.value)} />
      <p id={`${id}-hint`} className="muted small">
        {t('editor.searchHint')}
      </p>
      {matches.length === 0 ? (
        <p className="muted small">{t('editor.noMatch')}</p>
      ) : (
        <select aria-label={label} size={Math.min(6, Math.max(2, matches.length))} value={matches.some((m) => m.code === value) ? value : ''} onChange={(e) => onChange(e.target.value)}>
          {matches.map((d) => (
            <option key={d.code} value={d.code}>
              {d.names[lang]} ({d.code})
            </option>
          ))}
        </select>
      )}
      {current ? <p className="small">{`${current.names[lang]} · ${current.code}`}</p> : null}
    </div>
  );
}
