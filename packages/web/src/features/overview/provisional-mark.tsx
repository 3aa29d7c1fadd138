import type { Language } from '@watchfloor/core';
import { formatValue } from '../../lib/i18n/format';
import { useI18n, type I18n } from '../../lib/i18n/i18n';

/** A figure as every figure answer gives it: its value and whether it rests on provisional values. */
export interface ProvisionalFigure {
  value: number | null;
  provisional: boolean;
}

/** Whether a figure is shown as provisional (sơ bộ): it has a value and some of it is not final yet. No data is never marked. */
export function isProvisional(f: ProvisionalFigure): boolean {
  return f.value !== null && f.provisional;
}

/**
 * The "Sơ bộ" / "Provisional" mark beside a figure that rests on provisional values; nothing otherwise.
 * `mark` names it for whoever reads the page (data-mark): a tile's year to date is marked "ytd-provisional".
 */
export function ProvisionalMark({ figure, small = false, mark = 'provisional' }: { figure: ProvisionalFigure; small?: boolean; mark?: string }) {
  const { t } = useI18n();
  if (!isProvisional(figure)) return null;
  return (
    <span className={`badge badge-provisional${small ? ' small' : ''}`} title={t('tile.provisionalTitle')} data-mark={mark}>
      {t('tile.provisional')}
    </span>
  );
}

/**
 * A figure in plain text, for map tooltips and labels: "Phường Trà Vinh: 250 hồ sơ (sơ bộ)",
 * or "no data".
 */
export function figureText(name: string, f: ProvisionalFigure, unit: string, lang: Language, t: I18n['t']): string {
  if (f.value === null) return `${name}: ${t('map.noData')}`;
  return `${name}: ${formatValue(f.value, unit, lang)}${isProvisional(f) ? ` (${t('tile.provisionalShort')})` : ''}`;
}
