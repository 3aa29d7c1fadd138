import type { BreakdownResponse } from '@watchfloor/core';
import { useState } from 'react';
import { useI18n } from '../../lib/i18n/i18n';
import { Link } from '../../lib/router';
import { sortChildren, type ChildSort } from '../place/children-logic';
import { CoverageMark } from '../overview/coverage-mark';
import { ProvisionalMark } from '../overview/provisional-mark';
import { isNotDefined, NotDefinedFigure, WeightedEstimateMark, type IndicatorNames } from '../overview/regrouping-mark';

/**
 * One indicator by child unit (each a link to the same indicator there) or by reporting agency. A score not
 * defined for a unit in the period reads "Không xác định" with the former units' own values, last and unranked;
 * a weighted mean of former units is marked as an estimate. `names`, the overview's indicators, name its weight.
 */
export function BreakdownTable({
  breakdown,
  title,
  direction,
  format,
  hrefOf,
  names,
}: {
  breakdown: BreakdownResponse;
  title: string;
  direction: string;
  format: (v: number) => string;
  hrefOf?: (key: string) => string;
  names?: IndicatorNames;
}) {
  const { t } = useI18n();
  const [sort, setSort] = useState<ChildSort>('value');
  if (breakdown.items.length === 0) return null;
  return (
    <section className="panel" aria-label={title}>
      <h2>{title}</h2>
      <div className="table-scroll" tabIndex={0} role="region" aria-label={title}>
      <table className="data-table" data-testid={`breakdown-${breakdown.by}`}>
        <thead>
          <tr>
            <th scope="col">
              <button type="button" className="sort" aria-pressed={sort === 'name'} onClick={() => setSort('name')}>
                {t('children.name')}
              </button>
            </th>
            <th scope="col" className="num">
              <button type="button" className="sort" aria-pressed={sort === 'value'} onClick={() => setSort('value')}>
                {t('children.value')}
              </button>
            </th>
          </tr>
        </thead>
        <tbody>
          {sortChildren(breakdown.items, sort, direction).map((i) => (
            <tr key={i.key}>
              <td>{hrefOf ? <Link to={hrefOf(i.key)}>{i.name}</Link> : i.name}</td>
              <td className={`num${i.value === null && !isNotDefined(i) ? ' no-data' : ''}`}>
                {isNotDefined(i) ? <NotDefinedFigure figure={i} viewed={i.key} format={format} /> : i.value === null ? t('tile.noData') : format(i.value)}
                <CoverageMark figure={i} small />
                <ProvisionalMark figure={i} small />
                <WeightedEstimateMark figure={i} names={names} viewed={i.key} format={format} small />
                {i.regrouped ? <span className="badge badge-regrouped small" title={t('tile.regroupedTitle')}>{t('tile.regrouped')}</span> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      </div>
    </section>
  );
}
