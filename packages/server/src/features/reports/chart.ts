import { createRequire } from 'node:module';
import { Resvg } from '@resvg/resvg-js';
import { barChartSvg, lineChartSvg } from '../../http/print';
import type { ReportChart } from './model';

/** A report's chart as SVG, drawn as the printed tables' charts are (http/print.ts); empty when it has no value to draw. */
export function reportChartSvg(chart: ReportChart): string {
  return chart.kind === 'line' ? lineChartSvg(chart.labels, chart.series, 'vi') : barChartSvg(chart.labels, chart.series[0]?.values ?? [], 'vi');
}

/**
 * The font a chart picture is drawn with: DejaVu Sans, shipped as an npm
 * package (dejavu-fonts-ttf), so every Vietnamese letter is drawn alike on
 * any server, whatever fonts it has installed.
 */
const FONT = createRequire(import.meta.url).resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf');

/** How much finer than the SVG's own size the picture is drawn, so that it prints sharp. */
const ZOOM = 3;

/**
 * A chart as a PNG picture, for the Word document (Word takes pictures, not
 * SVG, from every version in use), drawn on the server without a browser by
 * resvg; with its size in the SVG's own pixels.
 */
export function chartPng(svg: string): { png: Buffer; width: number; height: number } {
  const resvg = new Resvg(svg, { background: '#ffffff', fitTo: { mode: 'zoom', value: ZOOM }, font: { fontFiles: [FONT], loadSystemFonts: false, defaultFontFamily: 'DejaVu Sans' } });
  const image = resvg.render();
  return { png: image.asPng(), width: image.width / ZOOM, height: image.height / ZOOM };
}
