import { coverageText, type Coverage, type Language } from '@watchfloor/core';
import { useI18n, type I18n } from '../../lib/i18n/i18n';

/** A figure as every figure answer gives it: its value, its coverage of the units below, and whether that is enough. */
export interface CoveredFigure {
  value: number | null;
  coverage: Coverage | null;
  complete: boolean;
}

/** Whether a figure is shown as incomplete: it has a value built from fewer units than it needs. No data is never marked. */
export function isIncomplete(f: CoveredFigure): f is CoveredFigure & { coverage: Coverage } {
  return f.value !== null && !f.complete && f.coverage !== null;
}

/** The value to colour a map or rank by: an incomplete figure's is left out, as no data is. */
export function comparableValue(f: CoveredFigure): number | null {
  return isIncomplete(f) ? null : f.value;
}

/**
 * "Chưa đủ: 3/124 xã" / "Incomplete: 3 of 124 communes" beside an incomplete figure; nothing otherwise.
 * `mark` names it for whoever reads the page (data-mark): a tile's year to date is marked "ytd-incomplete".
 */
export function CoverageMark({ figure, small = false, mark = 'incomplete' }: { figure: CoveredFigure; small?: boolean; mark?: string }) {
  const { t, lang } = useI18n();
  if (!isIncomplete(figure)) return null;
  const coverage = coverageText(figure.coverage)[lang];
  return (
    <span className={`badge badge-incomplete${small ? ' small' : ''}`} title={t('tile.incompleteTitle', { coverage, required: figure.coverage.required })} data-mark={mark}>
      {t('tile.incomplete', { coverage })}
    </span>
  );
}

/** The plain-text note for map tooltips: " (chưa đủ, 3/124 xã)", or nothing. */
export function coverageNote(f: CoveredFigure, lang: Language, t: I18n['t']): string {
  return isIncomplete(f) ? ` (${t('tile.incompleteShort', { coverage: coverageText(f.coverage)[lang] })})` : '';
}
