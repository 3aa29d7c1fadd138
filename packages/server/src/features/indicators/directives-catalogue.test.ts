import { describe, expect, it } from 'vitest';
import { DIRECTIVE_INDICATORS, DIRECTIVE_ON_TIME_RATE } from '@watchfloor/core';
import { REFERENCE_DATA_DIR } from '../../paths';
import { CATALOGUE_FILES, readCatalogues } from './seed';

describe('the directives catalogue (data/indicators/directives.json)', () => {
  it('holds every count the directive figures write and the on-time rate over them, named in Vietnamese and English', async () => {
    const { definitions } = await readCatalogues(REFERENCE_DATA_DIR, [CATALOGUE_FILES.directives]);
    const byCode = new Map(definitions.map((d) => [d.code, d]));
    for (const code of Object.keys(DIRECTIVE_INDICATORS)) expect(byCode.get(code)?.kind, code).toBe('base');
    expect(byCode.get(DIRECTIVE_ON_TIME_RATE)).toMatchObject({ unit: '%', direction: 'higher_is_better', ratio: { numerator: 'DIR_DONE_ON_TIME', denominator: 'DIR_JUDGED', multiplier: 100 } });
    expect(byCode.get('DIR_JUDGED')).toMatchObject({ kind: 'derived', formula: 'DIR_DONE_ON_TIME + DIR_DONE_LATE + DIR_OVERDUE' });
    for (const d of definitions) {
      expect(d.names.vi.length, d.code).toBeGreaterThan(0);
      expect(d.names.en.length, d.code).toBeGreaterThan(0);
    }
  });

  it('is monthly and adds up over time (a year is its months), owed by no agency on a schedule, and not public', async () => {
    const { definitions } = await readCatalogues(REFERENCE_DATA_DIR, [CATALOGUE_FILES.directives]);
    for (const d of definitions) {
      expect([d.frequency, d.domain, d.delivery, d.ownerOrganisationCode, d.published], d.code).toEqual(['month', 'directives', null, null, false]);
      expect(d.aggregation.time, d.code).toBe(d.ratio ? 'ratio' : 'sum');
    }
  });

  it('loads beside the PCI, the national indices and the demo catalogue without a clash of codes', async () => {
    const { definitions } = await readCatalogues(REFERENCE_DATA_DIR, [CATALOGUE_FILES.pci, CATALOGUE_FILES.national, CATALOGUE_FILES.directives, CATALOGUE_FILES.demo]);
    expect(new Set(definitions.map((d) => d.code)).size).toBe(definitions.length);
  });
});
