import { describe, expect, it } from 'vitest';
import { abolitionOf } from './places';

describe('the abolition of the district level on 1 July 2025', () => {
  it('is what a district valid until 30 June 2025 ended with', () => {
    expect(abolitionOf({ level: 'district', validTo: '2025-06-30' })).toMatchObject({ level: 'district', effectiveDate: '2025-07-01' });
    expect(abolitionOf({ level: 'district', validTo: '2025-06-30' })?.legalRef).toContain('72/2025/QH15');
  });

  it('is not what a commune or province of that day ended with (they merged), nor a district that ended on another day', () => {
    expect(abolitionOf({ level: 'commune', validTo: '2025-06-30' })).toBeNull();
    expect(abolitionOf({ level: 'province', validTo: '2025-06-30' })).toBeNull();
    expect(abolitionOf({ level: 'district', validTo: '2019-12-31' })).toBeNull();
    expect(abolitionOf({ level: 'district', validTo: null })).toBeNull();
  });
});
