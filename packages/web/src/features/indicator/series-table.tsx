import type { SeriesResponse } from '@watchfloor/core';
import { useI18n } from '../../lib/i18n/i18n';
import { labelOf } from '../period/period-label';
import { CoverageMark } from '../overview/coverage-mark';
import { ProvisionalMark } from '../overview/provisional-mark';
import { NotDefinedFigure, WeightedEstimateMark, isNotDefined, type IndicatorNames } from '../overview/regrouping-mark';

/**
 * The chart's figures as a table (newest first): readable without the chart, and each period selectable by keyboard.
 * A period where the score is not defined for the unit reads "Không xác định" with the former units' own values;
 * a weighted mean of former units is marked as an estimate (`names`, the overview's indicators, name its weight).
 */
export function SeriesTable({
  series,
  format,
  selected,
  onSelect,
  names,
}: {
  series: SeriesResponse;
  format: (v: number) => string;
  selected?: string | undefined;
  onSelect: (period: string) => void;
  names?: IndicatorNames;
}) {
  const { t, lang } = useI18n();
  const hasPlan = series.points.some((p) => p.target !== null);
  return (
    <details className="series-table">
      <summary>{t('indicator.table')}</summary>
      <table className="data-table">
        <thead>
          <tr>
            <th scope="col">{t('indicator.period')}</th>
            <th scope="col" className="num">{t('indicator.actual')}</th>
            {hasPlan ? <th scope="col" className="num">{t('indicator.plan')}</th> : null}
            <th scope="col" className="num">{t('indicator.lastYear')}</th>
          </tr>
        </thead>
        <tbody>
          {[...series.points].reverse().map((p) => (
            <tr key={p.period} className={p.period === selected ? 'selected' : undefined}>
              <th scope="row">
                <button type="button" className="link-button" aria-pressed={p.period === selected} onClick={() => onSelect(p.period)}>
                  {labelOf(p.period, lang)}
                </button>
                {p.regrouped ? <span className="badge badge-regrouped small" title={t('tile.regroupedTitle')}>{t('tile.regrouped')}</span> : null}
              </th>
              <td className="num">
                {isNotDefined(p) ? <NotDefinedFigure figure={p} viewed={series.place.code} format={format} /> : p.value === null ? '—' : format(p.value)}
                <CoverageMark figure={p} small />
                <ProvisionalMark figure={p} small />
                <WeightedEstimateMark figure={p} names={names} viewed={series.place.code} format={format} small />
              </td>
              {hasPlan ? <td className="num">{p.target === null ? '—' : format(p.target)}</td> : null}
              <td className="num">{p.samePeriodLastYear === null ? '—' : format(p.samePeriodLastYear)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}
