/**
 * A report as it reads, figures filled, before it is written in any file
 * format: the DOCX writer (docx.ts) lays it out for Word; a PDF writer
 * takes the same model, so both say the same figures with the same notes.
 */

/** A piece of a paragraph or a table cell: text, or a filled figure with the note it carries when it is provisional or incomplete. */
export type ReportRun = { text: string; note?: string | undefined };

export interface ReportParagraph {
  runs: ReportRun[];
}

export interface ReportTable {
  /** The first column's heading (Xã, phường / Cơ quan), then one per indicator with its unit. */
  header: string[];
  rows: ReportRun[][];
}

/**
 * A chart as drawn: a line per series over the months, or a bar per unit.
 * A point whose figure is provisional or incomplete has its label marked
 * with an asterisk, and `note` says which and why.
 */
export interface ReportChart {
  kind: 'line' | 'bar';
  /** What is drawn, with the unit: "Tổng mức bán lẻ … (tỷ đồng), Tỉnh Vĩnh Long". */
  caption: string;
  labels: string[];
  series: { name: string; values: (number | null)[] }[];
  note?: string | undefined;
}

export type ReportBlock =
  | { kind: 'heading'; text: string }
  | { kind: 'paragraph'; paragraph: ReportParagraph }
  | { kind: 'table'; table: ReportTable }
  | { kind: 'chart'; chart: ReportChart };

/** Where an indicator's figures came from, for the annex. */
export interface ReportProvenance {
  indicator: string;
  name: string;
  unit: string;
  source: string | null;
  organisation: string | null;
  /** Vietnam date (YYYY-MM-DD) of the freshest fact, or null. */
  updatedOn: string | null;
}

export interface ReportModel {
  code: string;
  issuer: string | null;
  title: string;
  /** The period reported on, in Vietnamese ("Tháng 10 năm 2026"). */
  periodLabel: string;
  periodKey: string;
  /** The Vietnam date it was rendered on (YYYY-MM-DD). */
  renderedOn: string;
  blocks: ReportBlock[];
  provenance: ReportProvenance[];
}
