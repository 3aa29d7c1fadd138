import { z } from 'zod';
import { DataFileError, type ObservationInput } from '@watchfloor/core';
import { parseCsvRows } from '../geography/parse';

/**
 * Reads a national index file into observations: per province and year, one
 * per published score the row holds. The real PCI 2005–2016 (VCCI/USAID)
 * and PAPI 2011–2016 (CECODES, VFF-CRT, RTA, UNDP) are read by the same
 * code, each with its own column map (data/README.md gives the layout):
 * `year`, `province_code_gso_pre2025`, `province_name`, then one column
 * per indicator. A published aggregate is kept as its own figure (the PCI's
 * weights and sub-indices changed over the years; recomputing it with one
 * year's weights would not give what VCCI published). Pure: text in,
 * observations out; a bad header or row throws a DataFileError naming the
 * file and line before anything is written.
 */

/** One value column: the indicator it loads into, its scale's top, and whether every row must hold it. */
export interface IndexColumn {
  indicator: string;
  max: number;
  required?: boolean;
}

/** A national index file: where it lies (relative to the data directory), the source its figures are recorded under, and its value columns. */
export interface IndexFile {
  file: string;
  source: string;
  columns: Readonly<Record<string, IndexColumn>>;
}

export const PCI_FILE = 'indices/pci_vietnam_2005_2016_by_province.csv';
export const PCI_SOURCE = 'VCCI PCI (public release)';

/** File columns and the indicators they load into (data/indicators/pci.json). */
export const PCI_COLUMNS = {
  pci_entry: 'PCI_ENTRY',
  pci_land: 'PCI_LAND',
  pci_transparency: 'PCI_TRANSPARENCY',
  pci_time: 'PCI_TIME',
  pci_informal: 'PCI_INFORMAL',
  pci_implement: 'PCI_IMPLEMENT',
  pci_bias: 'PCI_BIAS',
  pci_proactive: 'PCI_PROACTIVE',
  pci_support: 'PCI_SUPPORT',
  pci_labor: 'PCI_LABOR',
  pci_legal: 'PCI_LEGAL',
  pci_unweighted: 'PCI_UNWEIGHTED',
  pci_weighted: 'PCI',
} as const;

/** The PCI: ten sub-indices (and the 2005 one) on 0–10, the published unweighted and weighted PCI on 0–100, the weighted one in every row. */
export const PCI_INDEX: IndexFile = {
  file: PCI_FILE,
  source: PCI_SOURCE,
  columns: Object.fromEntries(
    Object.entries(PCI_COLUMNS).map(([column, indicator]) => [column, { indicator, max: column === 'pci_unweighted' || column === 'pci_weighted' ? 100 : 10, required: column === 'pci_weighted' }]),
  ),
};

export const PAPI_FILE = 'indices/papi_vietnam_2011_2016_by_province.csv';
export const PAPI_SOURCE = 'PAPI, CECODES, VFF-CRT, RTA and UNDP (public release)';

/** File columns and the indicators they load into (data/indicators/national-indices.json). */
export const PAPI_COLUMNS = {
  papi_total: 'PAPI',
  papi_participation: 'PAPI_PARTICIPATION',
  papi_transparency: 'PAPI_TRANSPARENCY',
  papi_accountability: 'PAPI_ACCOUNTABILITY',
  papi_corruption: 'PAPI_CORRUPTION',
  papi_procedures: 'PAPI_PROCEDURES',
  papi_services: 'PAPI_SERVICES',
  papi_environment: 'PAPI_ENVIRONMENT',
  papi_e_governance: 'PAPI_E_GOVERNANCE',
} as const;

/** PAPI: each dimension on 1–10 (read as 0–10), the total their unweighted sum (at most 80 with eight dimensions), in every row. */
export const PAPI_INDEX: IndexFile = {
  file: PAPI_FILE,
  source: PAPI_SOURCE,
  columns: Object.fromEntries(Object.entries(PAPI_COLUMNS).map(([column, indicator]) => [column, { indicator, max: column === 'papi_total' ? 80 : 10, required: column === 'papi_total' }])),
};

const KEY_COLUMNS = ['year', 'province_code_gso_pre2025', 'province_name'] as const;

const score = (max: number) =>
  z
    .string()
    .trim()
    .refine((s) => s === '' || (/^-?\d+(\.\d+)?$/.test(s) && Number(s) >= 0 && Number(s) <= max), { message: `must be empty or a number from 0 to ${max}` })
    .transform((s) => (s === '' ? null : Number(s)));

function rowSchema(spec: IndexFile) {
  const values: Record<string, z.ZodType<number | null>> = {};
  for (const [column, c] of Object.entries(spec.columns)) values[column] = c.required ? score(c.max).refine((v) => v !== null, { message: `the published ${c.indicator} is missing` }) : score(c.max);
  return z.object({
    year: z
      .string()
      .regex(/^\d{4}$/, 'must be a year')
      .transform(Number),
    province_code_gso_pre2025: z.union([z.string().regex(/^\d{2}$/, 'must be a 2-digit province code'), z.literal('')]),
    province_name: z.string().trim().min(1, 'must not be empty'),
    ...values,
  });
}

/** The header must name the key columns and exactly the spec's value columns: a file of another index, or a renamed column, is refused whole. */
function checkHeader(spec: IndexFile, text: string, file: string): void {
  const first = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  const header = first.split(',').map((h) => h.trim().replace(/^"(.*)"$/, '$1'));
  const expected = [...KEY_COLUMNS, ...Object.keys(spec.columns)];
  const missing = expected.filter((c) => !header.includes(c));
  const unknown = header.filter((c) => !expected.includes(c));
  if (missing.length || unknown.length) {
    const parts = [missing.length ? `lacks ${missing.join(', ')}` : '', unknown.length ? `has unknown ${unknown.map((c) => (c === '' ? '(empty)' : c)).join(', ')}` : ''].filter(Boolean);
    throw new DataFileError(file, 1, `the header ${parts.join(' and ')}; expected ${expected.join(',')}`);
  }
}

export interface IndexImport {
  observations: ObservationInput[];
  /** Rows that name no province Watchfloor knows (Hà Tây, merged into Hà Nội in 2008, has no code in the PCI file): reported, not loaded. */
  skipped: { line: number; reason: string }[];
}
export type PciImport = IndexImport;

/** Parses a national index file by its spec. `file` names it in errors (relative to the data directory). */
export function parseIndexCsv(spec: IndexFile, text: string, file: string = spec.file): IndexImport {
  checkHeader(spec, text, file);
  const observations: ObservationInput[] = [];
  const skipped: IndexImport['skipped'] = [];
  const seen = new Map<string, number>();
  const columns = Object.entries(spec.columns);
  for (const { line, row } of parseCsvRows(file, text, rowSchema(spec))) {
    const place = row.province_code_gso_pre2025;
    if (place === '') {
      skipped.push({ line, reason: `${row.province_name} ${row.year}: no province code` });
      continue;
    }
    const key = `${row.year}|${place}`;
    const earlier = seen.get(key);
    if (earlier !== undefined) throw new DataFileError(file, line, `province ${place} appears twice for ${row.year} (first on line ${earlier})`);
    seen.set(key, line);
    const values = row as unknown as Record<string, number | null>;
    for (const [column, c] of columns) {
      const value = values[column];
      if (value === null || value === undefined) continue;
      observations.push({ indicator: c.indicator, place, period: String(row.year), organisation: null, value, status: 'final', note: null });
    }
  }
  return { observations, skipped };
}

/** Parses the PCI file. */
export function parsePciCsv(text: string, file: string = PCI_FILE): PciImport {
  return parseIndexCsv(PCI_INDEX, text, file);
}

/** Parses the PAPI file. */
export function parsePapiCsv(text: string, file: string = PAPI_FILE): IndexImport {
  return parseIndexCsv(PAPI_INDEX, text, file);
}
