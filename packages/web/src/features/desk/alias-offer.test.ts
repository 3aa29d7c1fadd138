import { describe, expect, it } from 'vitest';
import { aliasOffer } from './alias-offer';

describe('the alias a rejected row offers', () => {
  it('names the unit as sent, with the candidates the server listed', () => {
    const offer = aliasOffer({
      reason: 'ambiguous_place_name',
      message: 'Line 4: Several units are named "Phường 01" during 2024-10: 28756 Phường 1 (until 2025-06-30); 29239 Phường 1 (until 2025-06-30); 29242 Phường Trà Vinh (from 2025-07-01). Use the code, or add "Phường 01" as an alias of the right one',
      row: { place: 'Phường 01', period: '2024-10', value: 13 },
    });
    expect(offer).toEqual({
      kind: 'place',
      name: 'Phường 01',
      candidates: [
        { code: '28756', label: '28756 Phường 1 (until 2025-06-30)' },
        { code: '29239', label: '29239 Phường 1 (until 2025-06-30)' },
        { code: '29242', label: '29242 Phường Trà Vinh (from 2025-07-01)' },
      ],
    });
  });

  it('offers an agency’s legacy code with no candidates, to be given a code', () => {
    expect(aliasOffer({ reason: 'unknown_organisation', message: 'Line 3: No organisation STC existed during 2026-10', row: { organisation: 'STC' } })).toEqual({ kind: 'organisation', name: 'STC', candidates: [] });
  });

  it('offers nothing for a row whose reason is not a name, a code of a unit that did not exist then, or a row not at hand', () => {
    expect(aliasOffer({ reason: 'invalid_number', message: 'x', row: { place: 'Phường 1' } })).toBeNull();
    expect(aliasOffer({ reason: 'place_not_valid_in_period', message: 'Unit 84 did not exist during 2026-01', row: { place: '84' } })).toBeNull();
    expect(aliasOffer({ reason: 'unknown_place_name', message: 'x', row: null })).toBeNull();
  });
});
