import { describe, expect, it } from 'vitest';
import { regroupRule } from '@watchfloor/core';
import { REFERENCE_DATA_DIR } from '../../paths';
import { CATALOGUE_FILES, readCatalogues } from './seed';

describe('the national indices catalogue (data/indicators/national-indices.json)', () => {
  it('holds the PAR Index with its eight fields, SIPAS with its five aspects and PAPI with its eight dimensions', async () => {
    const { definitions } = await readCatalogues(REFERENCE_DATA_DIR, [CATALOGUE_FILES.national]);
    const codes = definitions.map((d) => d.code);
    expect(codes.filter((c) => c.startsWith('PAR_INDEX_'))).toHaveLength(8);
    expect(codes.filter((c) => c.startsWith('SIPAS_'))).toEqual(['SIPAS_ACCESS', 'SIPAS_PROCEDURES', 'SIPAS_CIVIL_SERVANTS', 'SIPAS_RESULTS', 'SIPAS_FEEDBACK']);
    expect(codes.filter((c) => c.startsWith('PAPI_'))).toHaveLength(8);
    expect(codes).toEqual(expect.arrayContaining(['PAR_INDEX', 'SIPAS', 'PAPI']));
  });

  it('never regroups a score across the 2025 merger, owes nothing on a deadline and is public', async () => {
    const { definitions } = await readCatalogues(REFERENCE_DATA_DIR, [CATALOGUE_FILES.national]);
    for (const d of definitions) {
      expect(regroupRule(d), d.code).toEqual({ by: 'none' });
      expect(d.frequency, d.code).toBe('year');
      expect(d.delivery, d.code).toBeNull();
      expect(d.ownerOrganisationCode, d.code).toBeNull();
      expect(d.published, d.code).toBe(true);
    }
  });

  it('loads beside the PCI and the demo catalogue without a clash of codes', async () => {
    const { definitions } = await readCatalogues(REFERENCE_DATA_DIR, [CATALOGUE_FILES.pci, CATALOGUE_FILES.national, CATALOGUE_FILES.demo]);
    expect(new Set(definitions.map((d) => d.code)).size).toBe(definitions.length);
  });
});
