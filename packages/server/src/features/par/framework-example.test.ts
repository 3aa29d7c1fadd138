import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { frameworkLeaves, leavesFor, maxPointsFor, parFrameworkSchema, PAR_METHODS } from '@watchfloor/core';
import { REFERENCE_DATA_DIR } from '../../paths';
import { CATALOGUE_FILES, readCatalogues } from '../indicators/seed';
import { IOC_MEASURES } from './computed';

const FILE = 'par/framework-example-2025.json';
const framework = parFrameworkSchema.parse(JSON.parse(readFileSync(join(REFERENCE_DATA_DIR, FILE), 'utf8')));

describe(`the example PAR Index framework (data/${FILE})`, () => {
  it('says it is an example, not an official decision, in its flag and its name', () => {
    expect(framework.example).toBe(true);
    expect(framework.decision).toBeNull();
    expect(framework.name).toContain('Bộ chỉ số ví dụ');
    expect(framework.name).toContain('minh hoạ, không phải văn bản chính thức');
  });

  it('scores departments and communes over the eight published fields, 100 points each', () => {
    expect(framework.fields).toHaveLength(8);
    expect(framework.unitKinds).toEqual(['department', 'commune']);
    expect(maxPointsFor(framework, 'department')).toBe(100);
    expect(maxPointsFor(framework, 'commune')).toBe(100);
    for (const kind of framework.unitKinds) {
      // Every field holds something to score for each kind.
      expect(new Set(leavesFor(framework, kind).map((e) => e.fieldCode)).size).toBe(8);
    }
  });

  it('uses every method, in 25 to 41 scored criteria', () => {
    const leaves = frameworkLeaves(framework);
    expect(leaves.length).toBeGreaterThanOrEqual(25);
    expect(leaves.length).toBeLessThanOrEqual(41);
    expect(new Set(leaves.map((e) => e.leaf.method))).toEqual(new Set(PAR_METHODS));
  });

  it('binds computed criteria to indicators of the demo catalogue (or the IOC’s own measures) and survey criteria to SIPAS', async () => {
    const { definitions } = await readCatalogues(REFERENCE_DATA_DIR, [CATALOGUE_FILES.national, CATALOGUE_FILES.demo]);
    const demo = new Set((await readCatalogues(REFERENCE_DATA_DIR, [CATALOGUE_FILES.demo])).definitions.map((d) => d.code));
    const national = new Map(definitions.map((d) => [d.code, d]));
    for (const { leaf } of frameworkLeaves(framework)) {
      if (leaf.method === 'computed') expect(demo.has(leaf.indicator!) || leaf.indicator! in IOC_MEASURES, leaf.code).toBe(true);
      if (leaf.method === 'survey') expect(leaf.indicator, leaf.code).toMatch(/^SIPAS/);
      if (leaf.method === 'survey') expect(national.get(leaf.indicator!)?.unit, leaf.code).toBe('%');
    }
  });

  it('classifies by five bands from Xuất sắc (90 and over) to Yếu', () => {
    expect(framework.bands.map((b) => [b.name, b.atLeast])).toEqual([
      ['Xuất sắc', 90],
      ['Tốt', 80],
      ['Khá', 70],
      ['Trung bình', 50],
      ['Yếu', 0],
    ]);
  });
});
