import type { FigureView, Language, OverviewItem } from '@watchfloor/core';
import { formatValue } from '../../lib/i18n/format';
import { useI18n, type I18n } from '../../lib/i18n/i18n';
import { spanOf } from '../place/lineage-panel';
import { coverageNote, type CoveredFigure } from './coverage-mark';
import { figureText, type ProvisionalFigure } from './provisional-mark';

/** How a figure was made from the units of the time, as every figure answer gives it (see figureViewSchema). */
export type Regrouping = NonNullable<FigureView['regrouping']>;
type FormerUnit = Regrouping['units'][number];

/** A figure with its regrouping. */
export interface RegroupedFigure {
  value: number | null;
  regrouping: Regrouping | null;
}

/** The indicators an answer names (an overview's items): what a weight's code is shown as. */
export type IndicatorNames = readonly Pick<OverviewItem, 'code' | 'names'>[];

/**
 * Whether a figure is not defined for the unit in the period: a score (PCI,
 * PAPI…) of a unit that did not exist then does not regroup from the former
 * units; their own values stand beside it. It is never "no data", never late,
 * never coloured nor ranked.
 */
export function isNotDefined(f: RegroupedFigure): f is RegroupedFigure & { regrouping: Regrouping } {
  return f.regrouping?.by === 'none';
}

/** Whether a figure is a weighted mean of the former units' own figures after a merger: an estimate, marked as such. */
export function isWeightedEstimate(f: RegroupedFigure & { regrouped: boolean }): f is RegroupedFigure & { regrouped: true; regrouping: Regrouping } {
  return f.value !== null && f.regrouped && f.regrouping?.by === 'weighted_mean';
}

/** The name of a weight indicator: as the answer names it, else its code. */
export function weightName(code: string | null, names: IndicatorNames | undefined, lang: Language): string {
  if (code === null) return '';
  return names?.find((i) => i.code === code)?.names[lang] ?? code;
}

/**
 * A former unit's name; with its own dates when it has the code of the unit
 * viewed (the old Vĩnh Long, 86 until 30/06/2025, beside today's 86), so
 * that the two are never read as one.
 */
export function formerName(u: FormerUnit, viewed: string | undefined, t: I18n['t'], lang: Language): string {
  const span = u.code === viewed ? spanOf(u, t, lang) : '';
  return span ? `${u.name} (${span})` : u.name;
}

/** Each former unit with its own value: "Tỉnh Bến Tre 60,9 điểm"; when none has one, that said once. */
export function formerValues(r: Regrouping, viewed: string | undefined, format: (v: number) => string, t: I18n['t'], lang: Language): { key: string; text: string }[] {
  if (r.units.every((u) => u.value === null)) return [{ key: 'none', text: t('regroup.noneHaveValue') }];
  return r.units.map((u) => ({
    key: `${u.code}-${u.validFrom ?? ''}-${u.validTo ?? ''}`,
    text: `${formerName(u, viewed, t, lang)} ${u.value === null ? t('regroup.noValue') : format(u.value)}`,
  }));
}

/** The former units' own values in one line: "Tỉnh Bến Tre 60,9 điểm · Tỉnh Trà Vinh 57,6 điểm · Tỉnh Vĩnh Long (đến 30/06/2025) 62,8 điểm". */
export function formerText(r: Regrouping, viewed: string | undefined, format: (v: number) => string, t: I18n['t'], lang: Language): string {
  return formerValues(r, viewed, format, t, lang)
    .map((u) => u.text)
    .join(' · ');
}

/**
 * In place of a figure not defined for the unit: "Không xác định" and, under
 * it, each former unit's own value; nothing otherwise. `viewed` is the code
 * of the unit the figure is of (a row's key), `format` its number with unit.
 */
export function NotDefinedFigure({ figure, viewed, format }: { figure: RegroupedFigure; viewed: string | undefined; format: (v: number) => string }) {
  const { t, lang } = useI18n();
  if (!isNotDefined(figure)) return null;
  const units = formerValues(figure.regrouping, viewed, format, t, lang);
  return (
    <span className="not-defined" data-mark="not-defined" title={t('regroup.notDefinedTitle', { units: units.map((u) => u.text).join(' · ') })}>
      <span className="not-defined-label">{t('regroup.notDefinedShort')}</span>
      <FormerUnits units={units} />
    </span>
  );
}

/** The former units' own values, one after another, wrapping as the space allows. */
export function FormerUnits({ units, lead = false }: { units: readonly { key: string; text: string }[]; lead?: boolean }) {
  const { t } = useI18n();
  return (
    <span className="former-units" data-mark="former-units">
      {lead && units[0]?.key !== 'none' ? <span className="muted">{t('regroup.former')} </span> : null}
      {units.map((u, i) => (
        <span key={u.key} className="former-unit">
          {i > 0 ? ' · ' : ''}
          {u.text}
        </span>
      ))}
    </span>
  );
}

/** What the estimate mark says: "bình quân theo Dân số trung bình của 3 đơn vị cũ", and in full, with each unit's value. */
export function weightedText(
  r: Regrouping,
  names: IndicatorNames | undefined,
  viewed: string | undefined,
  format: (v: number) => string,
  t: I18n['t'],
  lang: Language,
): { short: string; title: string } {
  const weight = weightName(r.weight, names, lang);
  const n = r.units.length;
  return { short: t('regroup.weighted', { weight, n }), title: t('regroup.weightedTitle', { weight, n, units: formerText(r, viewed, format, t, lang) }) };
}

/**
 * The "Ước tính" / "Estimated" mark of a weighted mean of the former units
 * after a merger, its title saying by what it was weighted over which units;
 * nothing otherwise. (A tile spells it out beside the mark.)
 */
export function WeightedEstimateMark({
  figure,
  names,
  viewed,
  format,
  small = false,
}: {
  figure: RegroupedFigure & { regrouped: boolean };
  names: IndicatorNames | undefined;
  viewed: string | undefined;
  format: (v: number) => string;
  small?: boolean;
}) {
  const { t, lang } = useI18n();
  if (!isWeightedEstimate(figure)) return null;
  const text = weightedText(figure.regrouping, names, viewed, format, t, lang);
  return (
    <span className={`badge badge-estimated${small ? ' small' : ''}`} title={text.title} data-mark="weighted-estimate">
      {t('tile.estimated')}
    </span>
  );
}

/**
 * A figure in plain text, for map tooltips: "Tỉnh Vĩnh Long: Không xác định
 * (Tỉnh Bến Tre 60,9 điểm · …)" for a score not defined for the unit, else
 * its value with what marks it (sơ bộ, chưa đủ, ước tính).
 */
export function figureLabel(
  key: string,
  name: string,
  f: RegroupedFigure & ProvisionalFigure & CoveredFigure & { regrouped: boolean },
  unit: string,
  lang: Language,
  t: I18n['t'],
): string {
  if (isNotDefined(f)) return `${name}: ${t('regroup.notDefinedShort')} (${formerText(f.regrouping, key, (v) => formatValue(v, unit, lang), t, lang)})`;
  return figureText(name, f, unit, lang, t) + coverageNote(f, lang, t) + (isWeightedEstimate(f) ? ` (${t('regroup.estimatedShort')})` : '');
}
