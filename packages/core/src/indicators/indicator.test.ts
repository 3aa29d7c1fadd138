import { describe, expect, it } from 'vitest';
import { checkCatalogue, indicatorDefinitionSchema, usedCodes, valueProblem, type IndicatorDefinition, type IndicatorDefinitionInput } from './indicator';

const base: IndicatorDefinitionInput = {
  kind: 'base',
  code: 'ECO_RETAIL_SALES',
  names: { vi: 'Tổng mức bán lẻ hàng hóa', en: 'Retail sales of goods' },
  unit: 'tỷ đồng',
  domain: 'economy',
  frequency: 'month',
  aggregation: { places: 'sum', time: 'sum' },
  direction: 'higher_is_better',
};

const onTimeRate: IndicatorDefinitionInput = {
  kind: 'derived',
  code: 'PS_DOSSIER_ON_TIME_RATE',
  names: { vi: 'Tỷ lệ hồ sơ giải quyết đúng hạn', en: 'Dossiers resolved on time' },
  unit: '%',
  domain: 'public_services',
  frequency: 'month',
  aggregation: { places: 'ratio', time: 'ratio' },
  ratio: { numerator: 'PS_DOSSIER_ON_TIME', denominator: 'PS_DOSSIER_RESOLVED', multiplier: 100 },
  formula: 'PS_DOSSIER_ON_TIME / PS_DOSSIER_RESOLVED * 100',
  direction: 'higher_is_better',
  thresholds: { green: 95, amber: 85 },
  validRange: { min: 0, max: 100 },
  ownerOrganisationCode: 'SO_NOI_VU',
  delivery: { afterPeriodEndDays: 5 },
};

const parse = (input: unknown): IndicatorDefinition => indicatorDefinitionSchema.parse(input);

/** The `reason` of each issue the schema raises, so tests assert the coded reason, not the wording. */
function reasons(input: unknown): unknown[] {
  const r = indicatorDefinitionSchema.safeParse(input);
  if (r.success) return [];
  return r.error.issues.map((i) => (i.code === 'custom' ? (i.params as { reason?: string } | undefined)?.reason : `${i.code}:${i.path.join('.')}`));
}

function count(code: string): IndicatorDefinition {
  return parse({ ...base, code });
}

describe('indicator definitions', () => {
  it('fills in the optional fields of a minimal base indicator', () => {
    expect(parse(base)).toEqual({
      ...base,
      ratio: null,
      weightCode: null,
      thresholds: null,
      validRange: null,
      ownerOrganisationCode: null,
      delivery: null,
      published: false,
      collectedAt: null,
      since: null,
      coverageRequired: null,
      planProgress: null,
      regroup: null,
    });
  });

  it('accepts a derived rate with its parts, thresholds and delivery', () => {
    const d = parse(onTimeRate);
    expect(d.kind).toBe('derived');
    expect(d.ratio).toEqual({ numerator: 'PS_DOSSIER_ON_TIME', denominator: 'PS_DOSSIER_RESOLVED', multiplier: 100 });
    expect(d.delivery).toEqual({ afterPeriodEndDays: 5 });
  });

  it('defaults a ratio multiplier to 1 and a composite to 0..100 with no score when a component is missing', () => {
    expect(parse({ ...onTimeRate, ratio: { numerator: 'A', denominator: 'B' } }).ratio?.multiplier).toBe(1);
    const c = parse({
      ...base,
      kind: 'composite',
      code: 'IDX',
      unit: '',
      aggregation: { places: 'mean', time: 'last' },
      components: [{ code: 'A', weight: 1, normalise: 'none' }],
    });
    expect(c).toMatchObject({ scale: 100, missingComponents: 'null' });
  });

  it.each([
    ['eco_grdp', 'lower case'],
    ['1ECO', 'leading digit'],
    ['ECO-GRDP', 'hyphen'],
    ['', 'empty'],
  ])('refuses the code %j (%s)', (code) => {
    expect(reasons({ ...base, code })).toEqual(['invalid_format:code']);
  });

  it('refuses an unknown domain, frequency or aggregation', () => {
    expect(reasons({ ...base, domain: 'finance' })).toEqual(['invalid_value:domain']);
    expect(reasons({ ...base, frequency: 'week' })).toEqual(['invalid_value:frequency']);
    expect(reasons({ ...base, aggregation: { places: 'median', time: 'sum' } })).toEqual(['invalid_value:aggregation.places']);
  });

  it('refuses thresholds of the wrong shape for the direction', () => {
    expect(reasons({ ...base, direction: 'band', thresholds: { green: 1, amber: 2 } })).toEqual(['thresholds_do_not_match_direction']);
    expect(reasons({ ...base, thresholds: { low: 1, high: 2, amberMargin: 1 } })).toEqual(['thresholds_do_not_match_direction']);
  });

  it('refuses thresholds in the wrong order for the direction', () => {
    expect(reasons({ ...base, thresholds: { green: 80, amber: 90 } })).toEqual(['thresholds_out_of_order']);
    expect(reasons({ ...base, direction: 'lower_is_better', thresholds: { green: 90, amber: 80 } })).toEqual(['thresholds_out_of_order']);
    expect(reasons({ ...base, direction: 'lower_is_better', thresholds: { green: 80, amber: 90 } })).toEqual([]);
    expect(reasons({ ...base, direction: 'band', thresholds: { low: 9, high: 6.5, amberMargin: 0.5 } })).toEqual(['thresholds_out_of_order']);
  });

  it('keeps rates as ratios: parts required, on both axes, and a percentage never summed', () => {
    expect(reasons({ ...onTimeRate, ratio: null })).toEqual(['ratio_spec_missing']);
    expect(reasons({ ...onTimeRate, aggregation: { places: 'ratio', time: 'mean' } })).toEqual(['ratio_on_one_axis_only']);
    expect(reasons({ ...onTimeRate, aggregation: { places: 'sum', time: 'sum' }, ratio: null })).toEqual(['ratio_summed']);
    expect(reasons({ ...base, ratio: { numerator: 'A', denominator: 'B' } })).toEqual(['ratio_spec_unused']);
  });

  it('needs a weight indicator for a weighted mean', () => {
    expect(reasons({ ...base, aggregation: { places: 'weighted_mean', time: 'mean' } })).toEqual(['weight_code_missing']);
    expect(reasons({ ...base, aggregation: { places: 'weighted_mean', time: 'mean' }, weightCode: 'POPULATION' })).toEqual([]);
  });

  it('checks the valid range and the delivery against the frequency', () => {
    expect(reasons({ ...base, validRange: { min: 10, max: 0 } })).toEqual(['valid_range_out_of_order']);
    expect(reasons({ ...base, delivery: { maxAgeMinutes: 60 } })).toEqual(['delivery_does_not_match_frequency']);
    expect(reasons({ ...base, frequency: 'instant', delivery: { afterPeriodEndDays: 1 } })).toEqual(['delivery_does_not_match_frequency']);
    expect(reasons({ ...base, frequency: 'instant', aggregation: { places: 'mean', time: 'mean' }, delivery: { maxAgeMinutes: 60 } })).toEqual([]);
  });

  it('refuses a derived formula that does not parse', () => {
    expect(reasons({ ...onTimeRate, formula: 'PS_DOSSIER_ON_TIME / ' })).toEqual(['invalid_formula']);
  });

  it('refuses a composite with a repeated component or a degenerate normalisation', () => {
    const composite = { ...base, kind: 'composite', code: 'IDX', unit: '', aggregation: { places: 'mean', time: 'last' } };
    const a = { code: 'A', weight: 1, normalise: 'none' };
    expect(reasons({ ...composite, components: [a, a] })).toEqual(['duplicate_component']);
    expect(reasons({ ...composite, components: [{ ...a, normalise: { min: 5, max: 5 } }] })).toEqual(['normalise_out_of_order']);
    expect(reasons({ ...composite, components: [{ ...a, weight: 0 }] })).toEqual(['too_small:components.0.weight']);
    expect(reasons({ ...composite, components: [] })).toEqual(['too_small:components']);
  });
});

describe('a catalogue', () => {
  it('accepts a rate whose parts are defined', () => {
    const defs = [parse(onTimeRate), count('PS_DOSSIER_ON_TIME'), count('PS_DOSSIER_RESOLVED')];
    expect(usedCodes(defs[0]!)).toEqual(['PS_DOSSIER_ON_TIME', 'PS_DOSSIER_RESOLVED']);
    expect(checkCatalogue(defs)).toEqual([]);
  });

  it('refuses a rate whose denominator is not defined', () => {
    expect(checkCatalogue([parse(onTimeRate), count('PS_DOSSIER_ON_TIME')]).map((p) => [p.reason, p.code])).toEqual([
      ['unknown_indicator', 'PS_DOSSIER_ON_TIME_RATE'],
    ]);
  });

  it('refuses a composite that contains itself', () => {
    const idx = parse({
      ...base,
      kind: 'composite',
      code: 'IDX',
      unit: '',
      aggregation: { places: 'mean', time: 'last' },
      components: [
        { code: 'IDX', weight: 1, normalise: 'none' },
        { code: 'A', weight: 1, normalise: 'none' },
      ],
    });
    expect(checkCatalogue([idx, count('A')]).map((p) => p.reason)).toEqual(['self_reference']);
  });
});

describe('a reported value', () => {
  const rate = parse(onTimeRate);
  it('must be a finite number within the valid range', () => {
    expect(valueProblem(rate, 87.5)).toBeNull();
    expect(valueProblem(rate, 0)).toBeNull();
    expect(valueProblem(rate, 100)).toBeNull();
    expect(valueProblem(rate, -0.1)).toBe('below_valid_range');
    expect(valueProblem(rate, 100.1)).toBe('above_valid_range');
    expect(valueProblem(rate, '87')).toBe('not_a_number');
    expect(valueProblem(rate, Number.NaN)).toBe('not_a_number');
    expect(valueProblem(rate, null)).toBe('not_a_number');
    expect(valueProblem(count('X'), -1e9)).toBeNull();
  });
});
