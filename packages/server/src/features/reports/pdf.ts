import { formatDateVi } from '@watchfloor/core';
import { escapeHtml, printPage } from '../../http/print';
import type { PdfPrinter } from '../../http/pdf';
import { reportChartSvg } from './chart';
import type { ReportChart, ReportModel, ReportRun } from './model';

/**
 * A report printed as PDF from the same model the Word document is written
 * from (docx.ts), laid out the same way: the issuer and title centred, the
 * headings bold, paragraphs justified with a first-line indent, tables
 * ruled, a provisional or incomplete figure marked with a note number and
 * its note at the foot of the text, then the annex of sources.
 */
export function reportHtml(model: ReportModel): string {
  const notes: string[] = [];
  const runs = (list: ReportRun[]) =>
    list
      .map((r) => {
        if (!r.note) return escapeHtml(r.text);
        notes.push(r.note);
        return `${escapeHtml(r.text)}<sup>${notes.length}</sup>`;
      })
      .join('');
  /** A table of figures aligns them right, after the name in the first column; the annex reads left to right. */
  const table = (header: string[], rows: ReportRun[][], figures = true) =>
    `<table><thead><tr>${header.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>${rows
      .map((r) => `<tr>${r.map((c, i) => `<td${figures && i > 0 ? ' class="num"' : ''}>${runs([c])}</td>`).join('')}</tr>`)
      .join('')}</tbody></table>`;

  /** A chart with its caption, and the note of its marked points numbered with the others. */
  const figure = (chart: ReportChart) => {
    const svg = reportChartSvg(chart);
    const note = chart.note ? runs([{ text: '', note: chart.note }]) : '';
    return `<figure class="chart">${svg || '<p class="centre">(chưa có số liệu)</p>'}<figcaption>${escapeHtml(chart.caption)}${note}</figcaption></figure>`;
  };

  const body: string[] = [];
  if (model.issuer) body.push(`<div class="issuer">${escapeHtml(model.issuer)}</div>`);
  body.push(`<h1 style="margin-top:14pt">${escapeHtml(model.title.toUpperCase())}</h1>`, `<div class="period">${escapeHtml(model.periodLabel)}</div>`);
  for (const b of model.blocks) {
    if (b.kind === 'heading') body.push(`<h2>${escapeHtml(b.text)}</h2>`);
    else if (b.kind === 'paragraph') body.push(`<p>${runs(b.paragraph.runs)}</p>`);
    else if (b.kind === 'table') body.push(table(b.table.header, b.table.rows));
    else body.push(figure(b.chart));
  }
  if (notes.length) body.push(`<div class="footnotes">${notes.map((n, i) => `<p><sup>${i + 1}</sup> ${escapeHtml(n)}</p>`).join('')}</div>`);
  body.push(
    '<h1 style="margin-top:18pt;font-size:12pt">PHỤ LỤC: NGUỒN SỐ LIỆU</h1>',
    table(
      ['Mã chỉ tiêu', 'Chỉ tiêu', 'Đơn vị tính', 'Nguồn', 'Cơ quan chịu trách nhiệm', 'Cập nhật'],
      model.provenance.map((p) => [{ text: p.indicator }, { text: p.name }, { text: p.unit }, { text: p.source ?? '—' }, { text: p.organisation ?? '—' }, { text: p.updatedOn ? formatDateVi(p.updatedOn) : '—' }]),
      false,
    ),
    `<p class="signed">Báo cáo lập ngày ${formatDateVi(model.renderedOn)} từ số liệu của Trung tâm điều hành (Watchfloor).</p>`,
  );
  return printPage(`${model.title} – ${model.periodLabel}`, 'vi', body.join(''));
}

/** The report as an A4 PDF. */
export function renderPdf(model: ReportModel, printer: PdfPrinter): Promise<Buffer> {
  return printer.print(reportHtml(model));
}
