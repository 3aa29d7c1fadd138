import { z } from 'zod';
import { DataFileError, type ObservationInput } from '@watchfloor/core';
import { parseCsvRows } from '../geography/parse';

/**
 * Reads the real PCI 2005–2016 file (VCCI/USAID, public release) into
 * observations: per province and year, one per sub-index the year has and
 * one for the published weighted PCI. The published PCI is kept as its own
 * figure because the weights (and the sub-indices) changed over the years;
 * recomputing it with one year's weights would not give what VCCI published.
 * Pure: text in, observations out; a bad row throws a DataFileError naming
 * the file and line before anything is written.
 */

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

type Column = keyof typeof PCI_COLUMNS;

const score = (max: number) =>
  z
    .string()
    .trim()
    .refine((s) => s === '' || (/^-?\d+(\.\d+)?$/.test(s) && Number(s) >= 0 && Number(s) <= max), { message: `must be empty or a number from 0 to ${max}` })
    .transform((s) => (s === '' ? null : Number(s)));

const subIndex = score(10);
const rowSchema = z.object({
  year: z
    .string()
    .regex(/^\d{4}$/, 'must be a year')
    .transform(Number),
  province_code_gso_pre2025: z.union([z.string().regex(/^\d{2}$/, 'must be a 2-digit province code'), z.literal('')]),
  province_name: z.string().trim().min(1, 'must not be empty'),
  pci_entry: subIndex,
  pci_land: subIndex,
  pci_transparency: subIndex,
  pci_time: subIndex,
  pci_informal: subIndex,
  pci_implement: subIndex,
  pci_bias: subIndex,
  pci_proactive: subIndex,
  pci_support: subIndex,
  pci_labor: subIndex,
  pci_legal: subIndex,
  pci_unweighted: score(100),
  pci_weighted: score(100).refine((v) => v !== null, { message: 'the published weighted PCI is missing' }),
});

export interface PciImport {
  observations: ObservationInput[];
  /** Rows that name no province Watchfloor knows (Hà Tây, merged into Hà Nội in 2008, has no code in the file): reported, not loaded. */
  skipped: { line: number; reason: string }[];
}

/** Parses the PCI file. `file` names it in errors (relative to the data directory). */
export function parsePciCsv(text: string, file: string = PCI_FILE): PciImport {
  const observations: ObservationInput[] = [];
  const skipped: PciImport['skipped'] = [];
  const seen = new Map<string, number>();
  for (const { line, row } of parseCsvRows(file, text, rowSchema)) {
    const place = row.province_code_gso_pre2025;
    if (place === '') {
      skipped.push({ line, reason: `${row.province_name} ${row.year}: no province code` });
      continue;
    }
    const key = `${row.year}|${place}`;
    const earlier = seen.get(key);
    if (earlier !== undefined) throw new DataFileError(file, line, `province ${place} appears twice for ${row.year} (first on line ${earlier})`);
    seen.set(key, line);
    for (const column of Object.keys(PCI_COLUMNS) as Column[]) {
      const value = row[column];
      if (value === null) continue;
      observations.push({ indicator: PCI_COLUMNS[column], place, period: String(row.year), organisation: null, value, status: 'final', note: null });
    }
  }
  return { observations, skipped };
}
