import { lazy, Suspense } from 'react';
import { useI18n } from '../../lib/i18n/i18n';
import { Loading } from '../../lib/loading';
import type { SeriesChartProps } from './series-chart';

// echarts is a chunk of its own, loaded by the indicator screen only.
const SeriesChart = lazy(() => import('./series-chart').then((m) => ({ default: m.SeriesChart })));

/** The chart, and under it what its hollow points mean when some figure is provisional (sơ bộ). */
export function LazySeriesChart(props: SeriesChartProps) {
  const { t } = useI18n();
  return (
    <>
      <Suspense fallback={<div className="chart chart-placeholder"><Loading /></div>}>
        <SeriesChart {...props} />
      </Suspense>
      {props.model.provisional.length > 0 ? (
        <p className="muted small chart-note" data-testid="chart-provisional">
          {t('indicator.provisionalPoints')}
        </p>
      ) : null}
    </>
  );
}
