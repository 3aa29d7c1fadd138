import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compositeScore, rankByScore } from './composite';
import { PCI_2016, PCI_2016_WEIGHTS, PCI_SUB_INDICES } from './pci';

interface PciRow {
  year: number;
  province: string;
  name: string;
  subIndices: Map<string, number | null>;
  weighted: number;
}

/** Reads the shipped PCI file (plain CSV, no quoted fields); sub-index columns pci_x become codes PCI_X. */
function readPci(): PciRow[] {
  const file = new URL('../../../../data/indices/pci_vietnam_2005_2016_by_province.csv', import.meta.url);
  const [header, ...lines] = readFileSync(file, 'utf8').trim().split(/\r?\n/);
  const columns = (header ?? '').split(',');
  return lines.map((line) => {
    const cells = line.split(',');
    const cell = (name: string): string => cells[columns.indexOf(name)] ?? '';
    const subIndices = new Map(PCI_SUB_INDICES.map((code) => [code, cell(code.toLowerCase()) === '' ? null : Number(cell(code.toLowerCase()))] as const));
    return { year: Number(cell('year')), province: cell('province_code_gso_pre2025'), name: cell('province_name'), subIndices, weighted: Number(cell('pci_weighted')) };
  });
}

/** Least squares without intercept: solves (XᵀX) w = Xᵀy by Gaussian elimination with partial pivoting. */
function leastSquares(x: number[][], y: number[]): number[] {
  const n = x[0]?.length ?? 0;
  const a = Array.from({ length: n }, (_, i) => [
    ...Array.from({ length: n }, (_, j) => x.reduce((s, row) => s + (row[i] ?? 0) * (row[j] ?? 0), 0)),
    x.reduce((s, row, k) => s + (row[i] ?? 0) * (y[k] ?? 0), 0),
  ]);
  for (let col = 0; col < n; col++) {
    const pivot = a.slice(col).reduce((best, row, k) => (Math.abs(row[col] ?? 0) > Math.abs(a[best]?.[col] ?? 0) ? col + k : best), col);
    [a[col], a[pivot]] = [a[pivot] ?? [], a[col] ?? []];
    const p = a[col] ?? [];
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const row = a[r] ?? [];
      const f = (row[col] ?? 0) / (p[col] ?? 1);
      for (let c = col; c <= n; c++) row[c] = (row[c] ?? 0) - f * (p[c] ?? 0);
    }
  }
  return a.map((row, i) => (row[n] ?? 0) / (row[i] ?? 1));
}

describe('PCI 2016', () => {
  const rows2016 = readPci().filter((r) => r.year === 2016);
  const score = (r: PciRow): number | null => compositeScore(PCI_2016, r.subIndices).score;

  it('has 63 provinces, each with all ten sub-indices', () => {
    expect(rows2016).toHaveLength(63);
    expect(rows2016.every((r) => [...r.subIndices.values()].every((v) => v !== null))).toBe(true);
  });

  it('weights that least squares finds in the file round to the published whole percentages', () => {
    const x = rows2016.map((r) => PCI_SUB_INDICES.map((code) => r.subIndices.get(code) ?? 0));
    const perPoint = leastSquares(
      x,
      rows2016.map((r) => r.weighted),
    );
    // a sub-index point (0..10) is worth weight% / 10 points of PCI (0..100)
    const percent = perPoint.map((w) => w * 10);
    percent.forEach((w) => expect(Math.abs(w - Math.round(w * 2) / 2)).toBeLessThan(0.01));
    expect(Object.fromEntries(PCI_SUB_INDICES.map((code, i) => [code, Math.round((percent[i] ?? 0) * 2) / 2]))).toEqual(PCI_2016_WEIGHTS);
    expect(Object.values(PCI_2016_WEIGHTS).reduce((a, b) => a + b, 0)).toBe(100);
  });

  it('reproduces the published weighted PCI of Trà Vinh (84): 57.6445', () => {
    const traVinh = rows2016.find((r) => r.province === '84');
    expect(traVinh?.name).toBe('Trà Vinh');
    expect(traVinh?.weighted).toBe(57.6445);
    const r = compositeScore(PCI_2016, traVinh?.subIndices ?? new Map());
    // (8.1834×5 + 6.7684×5 + 6.1393×20 + 7.5186×5 + 6.1147×10 + 5.62×5 + 4.8868×5 + 5.0211×20 + 4.6086×20 + 7.0067×5) / 10
    // = 576.4465 / 10 = 57.64465: the published 57.6445 to within 0.00015, the rounding of the published sub-indices
    expect(r.score).toBeCloseTo(57.64465, 8);
    expect(Math.abs((r.score ?? 0) - 57.6445)).toBeLessThan(0.0002);
    expect(r.components.find((c) => c.code === 'PCI_TRANSPARENCY')).toMatchObject({ value: 6.1393, weight: 20, effectiveWeight: 0.2 });
    expect(r.components.find((c) => c.code === 'PCI_TRANSPARENCY')?.contribution).toBeCloseTo(12.2786, 4);
  });

  it('reproduces every province within 0.01 (in fact within 0.0005: the published scores are rounded to 4 decimals)', () => {
    const residuals = rows2016.map((r) => Math.abs((score(r) ?? Number.NaN) - r.weighted));
    expect(Math.max(...residuals)).toBeLessThan(0.0005);
  });

  it('ranks the provinces the same whether by the computed or the published score', () => {
    const computed = rankByScore(rows2016, score).map((x) => x.item.province);
    const published = rankByScore(rows2016, (r) => r.weighted).map((x) => x.item.province);
    expect(computed).toEqual(published);
  });
});
