import { lazy, Suspense } from 'react';
import { useI18n } from '../../lib/i18n/i18n';
import { Loading } from '../../lib/loading';
import type { SeriesChartProps } from './series-chart';

// echarts is a chunk of its own, loaded by the indicator screen only.
const SeriesChart = lazy(() => import('./series-chart').then((m) => ({ default: m.SeriesChart })));

/**
 * The chart, and under it what its marks mean: the 1 July 2025 merger line,
 * the regrouped points, the hollow dashed points when some figure is incomplete (not every unit
 * below reported), the hollow points when some figure is provisional (sơ bộ), and the periods
 * left empty where the score is not defined for the unit.
 */
export function LazySeriesChart(props: SeriesChartProps) {
  const { t } = useI18n();
  return (
    <>
      <Suspense fallback={<div className="chart chart-placeholder"><Loading /></div>}>
        <SeriesChart {...props} />
      </Suspense>
      {props.model.merger !== null ? (
        <p className="muted small chart-note" data-testid="chart-merger">
          {t('indicator.mergerNote')}
        </p>
      ) : null}
      {props.model.regrouped.length > 0 ? (
        <p className="muted small chart-note" data-testid="chart-regrouped">
          {t('indicator.regroupedNote')}
        </p>
      ) : null}
      {props.model.incomplete.length > 0 ? (
        <p className="muted small chart-note" data-testid="chart-incomplete">
          {t('indicator.incompletePoints')}
        </p>
      ) : null}
      {props.model.notDefined.length > 0 ? (
        <p className="muted small chart-note" data-testid="chart-not-defined">
          {t('indicator.notDefinedPoints')}
        </p>
      ) : null}
      {props.model.provisional.length > 0 ? (
        <p className="muted small chart-note" data-testid="chart-provisional">
          {t('indicator.provisionalPoints')}
        </p>
      ) : null}
    </>
  );
}
