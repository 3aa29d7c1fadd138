import { lazy, Suspense } from 'react';
import { Loading } from '../../lib/loading';
import type { SeriesChartProps } from './series-chart';

// echarts is a chunk of its own, loaded by the indicator screen only.
const SeriesChart = lazy(() => import('./series-chart').then((m) => ({ default: m.SeriesChart })));

export function LazySeriesChart(props: SeriesChartProps) {
  return (
    <Suspense fallback={<div className="chart chart-placeholder"><Loading /></div>}>
      <SeriesChart {...props} />
    </Suspense>
  );
}
