import { describe, expect, it } from 'vitest';
import { grantSchema, grantsAllow, loginSchema, passwordSchema, ROLE_PERMISSIONS, ROLES, roleAllows, scopeContains } from './access';

describe('roles and permissions', () => {
  it('gives each role what the deployment expects of it', () => {
    expect(roleAllows('leader', 'read')).toBe(true);
    expect(roleAllows('leader', 'cases.handle')).toBe(false);
    expect(roleAllows('operator', 'alerts.handle')).toBe(true);
    expect(roleAllows('operator', 'catalogue.manage')).toBe(false);
    expect(roleAllows('agency_officer', 'data.supply')).toBe(true);
    expect(roleAllows('agency_officer', 'dossiers.write')).toBe(true);
    expect(roleAllows('data_steward', 'catalogue.manage')).toBe(true);
    expect(roleAllows('data_steward', 'cases.handle')).toBe(false);
    expect(roleAllows('administrator', 'admin')).toBe(true);
    expect(roleAllows('administrator', 'cases.handle')).toBe(false);
    // Only administrators administer; every role reads what is in its scope.
    expect(ROLES.filter((r) => roleAllows(r, 'admin'))).toEqual(['administrator']);
    for (const r of ROLES) expect(ROLE_PERMISSIONS[r]).toContain('read');
  });
});

describe('scopes', () => {
  const commune = { placeAncestors: ['86', '86001', '86001001'], organisationAncestors: ['VL-UBND', 'VL-STC'] };
  it('contains what lies under the place or organisation it names, both when it names both', () => {
    expect(scopeContains({ organisationCode: null, placeCode: null }, commune)).toBe(true);
    expect(scopeContains({ organisationCode: null, placeCode: '86' }, commune)).toBe(true);
    expect(scopeContains({ organisationCode: null, placeCode: '80' }, commune)).toBe(false);
    expect(scopeContains({ organisationCode: 'VL-UBND', placeCode: null }, commune)).toBe(true);
    expect(scopeContains({ organisationCode: 'VL-STC', placeCode: '86001' }, commune)).toBe(true);
    expect(scopeContains({ organisationCode: 'VL-SYT', placeCode: '86001' }, commune)).toBe(false);
    // A thing with no organisation is outside every organisation scope.
    expect(scopeContains({ organisationCode: 'VL-STC', placeCode: null }, { placeAncestors: ['86'] })).toBe(false);
  });

  it('allows when any grant both permits the action and contains the target', () => {
    const grants = [grantSchema.parse({ role: 'leader' }), grantSchema.parse({ role: 'operator', placeCode: '86001' })];
    expect(grantsAllow(grants, 'read', { placeAncestors: ['80'] })).toBe(true);
    expect(grantsAllow(grants, 'cases.handle', commune)).toBe(true);
    expect(grantsAllow(grants, 'cases.handle', { placeAncestors: ['86', '86002'] })).toBe(false);
    expect(grantsAllow(grants, 'admin')).toBe(false);
    expect(grantsAllow([], 'read')).toBe(false);
  });
});

describe('logins and passwords', () => {
  it('compares logins without case and asks for long passwords', () => {
    expect(loginSchema.parse(' Lan.Nguyen ')).toBe('lan.nguyen');
    expect(loginSchema.safeParse('a b').success).toBe(false);
    expect(passwordSchema.safeParse('eleven char').success).toBe(false);
    expect(passwordSchema.safeParse('twelve chars').success).toBe(true);
  });
});
