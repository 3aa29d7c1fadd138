import { AlignmentType, BorderStyle, Document, FootnoteReferenceRun, ImageRun, Packer, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } from 'docx';
import { formatDateVi } from '@watchfloor/core';
import { chartPng, reportChartSvg } from './chart';
import type { ReportChart, ReportModel, ReportRun } from './model';

/** The width a chart takes on the page: the text's width (16 cm at 96 pixels to the inch). */
const CHART_WIDTH = 604;

/** Provincial documents are set in Times New Roman, 14 pt for the body (docx counts half-points). */
const FONT = 'Times New Roman';
const BODY = 28;
const TABLE = 24;

const border = { style: BorderStyle.SINGLE, size: 4, color: '000000' };
const borders = { top: border, bottom: border, left: border, right: border };

/**
 * Writes a report as a Word document: the issuer and title centred and bold,
 * section headings bold, paragraphs justified with a first-line indent, the
 * tables bordered, a provisional or incomplete figure followed by a footnote
 * saying so, and an annex of each figure's source and date of update.
 */
export async function renderDocx(model: ReportModel): Promise<Buffer> {
  const footnotes: Record<number, { children: Paragraph[] }> = {};
  let next = 1;
  const runsOf = (runs: ReportRun[], size: number, bold = false) =>
    runs.flatMap((r) => {
      const out: Array<TextRun | FootnoteReferenceRun> = [new TextRun({ text: r.text, font: FONT, size, bold })];
      if (r.note) {
        const id = next++;
        footnotes[id] = { children: [new Paragraph({ children: [new TextRun({ text: r.note, font: FONT, size: 22 })] })] };
        out.push(new FootnoteReferenceRun(id));
      }
      return out;
    });
  const cell = (run: ReportRun, opts: { bold?: boolean; align?: (typeof AlignmentType)[keyof typeof AlignmentType] } = {}) =>
    new TableCell({ borders, children: [new Paragraph({ alignment: opts.align ?? AlignmentType.LEFT, children: runsOf([run], TABLE, opts.bold) })] });
  const table = (header: string[], rows: ReportRun[][]) =>
    new Table({
      width: { size: 100, type: WidthType.PERCENTAGE },
      rows: [
        new TableRow({ tableHeader: true, children: header.map((h) => cell({ text: h }, { bold: true, align: AlignmentType.CENTER })) }),
        ...rows.map((r) => new TableRow({ children: r.map((c, i) => cell(c, { align: i === 0 ? AlignmentType.LEFT : AlignmentType.RIGHT })) })),
      ],
    });

  /** A chart as a picture, centred, with its caption below and the note of its marked points as a footnote. */
  const figure = (chart: ReportChart): Paragraph[] => {
    const svg = reportChartSvg(chart);
    const picture = svg
      ? (() => {
          const { png, width, height } = chartPng(svg);
          const scale = CHART_WIDTH / width;
          return new ImageRun({ type: 'png', data: png, transformation: { width: CHART_WIDTH, height: Math.round(height * scale) }, altText: { name: chart.caption, description: chart.caption, title: chart.caption } });
        })()
      : new TextRun({ text: '(chưa có số liệu)', font: FONT, size: TABLE });
    return [
      new Paragraph({ alignment: AlignmentType.CENTER, spacing: { before: 120 }, children: [picture] }),
      new Paragraph({ alignment: AlignmentType.CENTER, spacing: { after: 120 }, children: runsOf([{ text: chart.caption, note: chart.note }], TABLE) }),
    ];
  };

  const body: Array<Paragraph | Table> = [];
  if (model.issuer) body.push(new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ text: model.issuer, font: FONT, size: 26, bold: true })] }));
  body.push(
    new Paragraph({ alignment: AlignmentType.CENTER, spacing: { before: 240 }, children: [new TextRun({ text: model.title.toUpperCase(), font: FONT, size: BODY, bold: true })] }),
    new Paragraph({ alignment: AlignmentType.CENTER, spacing: { after: 240 }, children: [new TextRun({ text: model.periodLabel, font: FONT, size: BODY, bold: true })] }),
  );
  for (const b of model.blocks) {
    if (b.kind === 'heading') body.push(new Paragraph({ spacing: { before: 180, after: 60 }, children: [new TextRun({ text: b.text, font: FONT, size: BODY, bold: true })] }));
    else if (b.kind === 'paragraph') body.push(new Paragraph({ alignment: AlignmentType.JUSTIFIED, indent: { firstLine: 567 }, spacing: { after: 120 }, children: runsOf(b.paragraph.runs, BODY) }));
    else if (b.kind === 'table') body.push(table(b.table.header, b.table.rows), new Paragraph({ children: [] }));
    else body.push(...figure(b.chart));
  }
  body.push(
    new Paragraph({ spacing: { before: 360, after: 120 }, alignment: AlignmentType.CENTER, children: [new TextRun({ text: 'PHỤ LỤC: NGUỒN SỐ LIỆU', font: FONT, size: BODY, bold: true })] }),
    table(
      ['Mã chỉ tiêu', 'Chỉ tiêu', 'Đơn vị tính', 'Nguồn', 'Cơ quan chịu trách nhiệm', 'Cập nhật'],
      model.provenance.map((p) => [{ text: p.indicator }, { text: p.name }, { text: p.unit }, { text: p.source ?? '—' }, { text: p.organisation ?? '—' }, { text: p.updatedOn ? formatDateVi(p.updatedOn) : '—' }]),
    ),
    new Paragraph({ spacing: { before: 120 }, children: [new TextRun({ text: `Báo cáo lập ngày ${formatDateVi(model.renderedOn)} từ số liệu của Trung tâm điều hành (Watchfloor).`, font: FONT, size: 24, italics: true })] }),
  );

  const doc = new Document({
    creator: 'Watchfloor',
    title: `${model.title} – ${model.periodLabel}`,
    styles: { default: { document: { run: { font: FONT, size: BODY } } } },
    footnotes,
    sections: [{ properties: { page: { margin: { top: 1134, bottom: 1134, left: 1701, right: 1134 } } }, children: body }],
  });
  return Packer.toBuffer(doc);
}
