import { LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, MarkLineComponent, TooltipComponent } from 'echarts/components';
import { init, use, type ComposeOption } from 'echarts/core';
import type { LineSeriesOption } from 'echarts/charts';
import type { GridComponentOption, LegendComponentOption, MarkLineComponentOption, TooltipComponentOption } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';
import { coverageText, type Coverage } from '@watchfloor/core';
import { useEffect, useRef } from 'react';
import { useI18n, type I18n } from '../../lib/i18n/i18n';
import { formerText, type Regrouping } from '../overview/regrouping-mark';
import { CHART_COLOURS, type ChartModel } from './chart-option';

use([LineChart, GridComponent, LegendComponent, MarkLineComponent, TooltipComponent, SVGRenderer]);

type Option = ComposeOption<LineSeriesOption | GridComponentOption | LegendComponentOption | MarkLineComponentOption | TooltipComponentOption>;

export interface SeriesChartProps {
  model: ChartModel;
  names: { actual: string; plan: string; lastYear: string };
  selected?: string | undefined;
  format: (v: number) => string;
  /** Numbers without their unit, for the axis. */
  formatAxis: (v: number) => string;
  unit: string;
  onSelect: (period: string) => void;
  label: string;
}

/** A point's colour; a provisional (sơ bộ) point is hollow, its ring in that colour around the panel's own, as it is not final yet. */
function pointStyle(colour: string, provisional: boolean) {
  return provisional ? { color: '#111a2e', borderColor: colour, borderWidth: 2 } : { color: colour };
}

/** An incomplete point (a partial total): hollow, its ring dashed, in grey unless it is the one selected. */
function incompleteStyle(selected: boolean) {
  return { color: '#111a2e', borderColor: selected ? CHART_COLOURS.selected : CHART_COLOURS.incomplete, borderWidth: 2, borderType: 'dashed' as const };
}

/**
 * The legend's names of the marks every chart may carry: the 1 July 2025 merger, points regrouped from former units,
 * and incomplete points, with what the tooltip says of one's coverage ("chưa đủ, 3/124 xã"); and what the tooltip
 * says of a score not defined for the unit (the former units' own values) and of a weighted estimate.
 */
export interface MarkNames {
  merger: string;
  regrouped: string;
  incomplete: string;
  incompleteNote: (coverage: Coverage) => string;
  notDefined: string;
  estimated: string;
  former: (regrouping: Regrouping, viewed: string, format: (v: number) => string) => string;
}

/** Those names and that note in the reader's language; the note is the one map tooltips give ("chưa đủ, 3/124 xã"). */
export function markNames({ t, lang }: Pick<I18n, 't' | 'lang'>): MarkNames {
  return {
    merger: t('indicator.merger'),
    regrouped: t('tile.regrouped'),
    incomplete: t('indicator.incomplete'),
    incompleteNote: (coverage) => t('tile.incompleteShort', { coverage: coverageText(coverage)[lang] }),
    notDefined: t('regroup.notDefinedShort'),
    estimated: t('regroup.estimatedShort'),
    former: (regrouping, viewed, format) => formerText(regrouping, viewed, format, t, lang),
  };
}

/**
 * The echarts option of the chart: its lines, the regrouped points, the incomplete points and the merger marker,
 * each with its legend entry. An incomplete point is left off the line, so that a partial total is not read as a fall:
 * it stands apart, hollow and dashed, and its tooltip says how many units reported.
 */
export function seriesOption({ model, names: lines, selected, format, formatAxis, unit }: SeriesChartProps, marks: MarkNames): Option {
  const names = { ...lines, ...marks };
  const selectedIndex = selected ? model.periods.indexOf(selected) : -1;
  const regrouped = new Set(model.regrouped);
  const provisional = new Set(model.provisional);
  const incomplete = new Set(model.incomplete);
  const notDefined = new Set(model.notDefined);
  const estimated = new Set(model.estimated);
  const line = (name: string, data: (number | null)[], colour: string, dashed = false): LineSeriesOption => ({
    name,
    type: 'line',
    data,
    connectNulls: false,
    symbol: 'circle',
    symbolSize: 6,
    lineStyle: { color: colour, width: dashed ? 1.5 : 2.5, type: dashed ? 'dashed' : 'solid' },
    itemStyle: { color: colour },
    emphasis: { focus: 'series' },
  });
  const actual = line(names.actual, model.actual, CHART_COLOURS.actual);
  // Regrouped points are drawn in another colour; the selected one larger. Incomplete ones are drawn by their own series below.
  actual.data = model.actual.map((v, i) => ({
    value: incomplete.has(i) ? null : v,
    symbolSize: i === selectedIndex ? 13 : 7,
    itemStyle: pointStyle(i === selectedIndex ? CHART_COLOURS.selected : regrouped.has(i) ? CHART_COLOURS.regrouped : CHART_COLOURS.actual, provisional.has(i)),
  }));
  // The tooltip still gives an incomplete point's value on this line, with its coverage; an estimate says so;
  // where the score is not defined for the unit, it gives the former units' own values instead.
  actual.tooltip = {
    valueFormatter: (_, i) => {
      const v = model.actual[i];
      const coverage = model.coverage[i];
      const regrouping = model.regrouping[i];
      if (typeof v !== 'number') return notDefined.has(i) && regrouping ? `${names.notDefined} (${names.former(regrouping, model.place, format)})` : '—';
      const notes = [incomplete.has(i) && coverage ? names.incompleteNote(coverage) : null, estimated.has(i) ? names.estimated : null].filter((n) => n !== null);
      return notes.length > 0 ? `${format(v)} (${notes.join(', ')})` : format(v);
    },
  };
  const series: LineSeriesOption[] = [actual, line(names.lastYear, model.lastYear, CHART_COLOURS.lastYear, true)];
  if (model.hasPlan) series.push({ ...line(names.plan, model.plan, CHART_COLOURS.plan, true), step: 'middle' });
  // Legend entries of their own: the regrouped points (drawn again on the same spot, so the legend toggles them),
  // and the 1 July 2025 merger, a vertical line on the first period of the new map.
  if (regrouped.size > 0) {
    series.push({
      ...line(names.regrouped, model.actual.map((v, i) => (regrouped.has(i) && !incomplete.has(i) ? v : null)), CHART_COLOURS.regrouped),
      lineStyle: { width: 0 },
      symbolSize: 7,
      tooltip: { show: false },
      z: 3,
    });
  }
  // The incomplete points, apart from the line: hollow, dashed, with a legend entry that shows or hides them.
  if (incomplete.size > 0) {
    series.push({
      ...line(names.incomplete, [], CHART_COLOURS.incomplete),
      data: model.actual.map((v, i) => (incomplete.has(i) ? { value: v, symbolSize: i === selectedIndex ? 13 : 8, itemStyle: incompleteStyle(i === selectedIndex) } : null)),
      lineStyle: { width: 0 },
      itemStyle: incompleteStyle(false),
      tooltip: { show: false },
      z: 3,
    });
  }
  const merger = model.merger;
  if (merger !== null) {
    series.push({
      name: names.merger,
      type: 'line',
      data: [],
      itemStyle: { color: CHART_COLOURS.merger },
      lineStyle: { color: CHART_COLOURS.merger, type: 'dashed', width: 2 },
      markLine: {
        silent: true,
        symbol: 'none',
        lineStyle: { color: CHART_COLOURS.merger, type: 'dashed', width: 2 },
        label: { formatter: names.merger, color: CHART_COLOURS.merger, position: 'insideEndTop' },
        data: [{ xAxis: merger }],
      },
    });
  }
  return {
    animation: false,
    backgroundColor: 'transparent',
    textStyle: { color: '#cbd5e1', fontFamily: 'inherit' },
    grid: { left: 12, right: 56, top: 56, bottom: 12, outerBoundsMode: 'same', outerBoundsContain: 'axisLabel' },
    // One line, paged where it does not fit (a phone), so that it never runs onto the plot.
    legend: {
      type: 'scroll',
      top: 0,
      itemGap: 24,
      textStyle: { color: '#e2e8f0', fontSize: 13 },
      inactiveColor: '#475569',
      pageIconColor: '#e2e8f0',
      pageIconInactiveColor: '#475569',
      pageTextStyle: { color: '#cbd5e1' },
      data: series.map((s) =>
        s.name === names.incomplete
          ? { name: names.incomplete, icon: 'circle', itemStyle: incompleteStyle(false) }
          : { name: String(s.name), icon: s.name === names.regrouped ? 'circle' : s.name === names.merger ? 'path://M4,0h2v14h-2z' : undefined },
      ),
    },
    tooltip: { trigger: 'axis', valueFormatter: (v) => (typeof v === 'number' ? format(v) : '—') },
    xAxis: { type: 'category', data: model.categories, axisLabel: { color: '#cbd5e1', hideOverlap: true }, axisLine: { lineStyle: { color: '#475569' } } },
    yAxis: {
      type: 'value',
      scale: true,
      name: unit,
      nameTextStyle: { color: '#9fb0c9', align: 'left' },
      axisLabel: { color: '#cbd5e1', formatter: (v: number) => formatAxis(v) },
      splitLine: { lineStyle: { color: '#1e293b' } },
    },
    series,
  };
}

/** The indicator's history with plan and the same period last year (echarts, SVG); clicking a period selects it. */
export function SeriesChart(props: SeriesChartProps) {
  const i18n = useI18n();
  const marks = markNames(i18n);
  // The period the merger marker stands on, for whoever reads the page without seeing the drawing.
  const merger = props.model.merger === null ? null : props.model.periods[props.model.merger];
  const el = useRef<HTMLDivElement>(null);
  const onSelect = useRef(props.onSelect);
  onSelect.current = props.onSelect;
  const periods = useRef(props.model.periods);
  periods.current = props.model.periods;
  const chartRef = useRef<ReturnType<typeof init> | null>(null);

  useEffect(() => {
    if (!el.current) return;
    const chart = init(el.current, undefined, { renderer: 'svg' });
    chartRef.current = chart;
    chart.getZr().on('click', (e) => {
      const at = chart.convertFromPixel({ seriesIndex: 0 }, [e.offsetX, e.offsetY]);
      const index = Array.isArray(at) ? at[0] : at;
      const period = typeof index === 'number' ? periods.current[Math.round(index)] : undefined;
      if (period) onSelect.current(period);
    });
    const resize = new ResizeObserver(() => chart.resize());
    resize.observe(el.current);
    return () => {
      resize.disconnect();
      chart.dispose();
      chartRef.current = null;
    };
  }, []);

  useEffect(() => {
    const option = seriesOption(props, marks);
    // echarts lays the legend out by measuring its words: in the page's own font, not a default one, or the entries overlap.
    if (el.current) option.textStyle = { ...(option.textStyle as object), fontFamily: getComputedStyle(el.current).fontFamily };
    chartRef.current?.setOption(option, { notMerge: true });
  });

  return <div ref={el} className="chart" role="img" aria-label={props.label} data-testid="series-chart" data-merger={merger ?? undefined} />;
}
