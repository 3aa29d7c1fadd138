import { describe, expect, it } from 'vitest';
import { ANONYMOUS, dataScope, grantSchema, grantsAllow, grantsWithin, loginSchema, narrowGrants, passwordSchema, ROLE_PERMISSIONS, ROLES, roleAllows, type Grant, type Identity } from './access';

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
    expect(roleAllows('agency_officer', 'par.assess')).toBe(true);
    expect(roleAllows('appraiser', 'par.appraise')).toBe(true);
    expect(roleAllows('appraiser', 'par.manage')).toBe(true);
    expect(roleAllows('appraiser', 'par.assess')).toBe(false);
    // A unit assesses itself; only the appraisers adjust and decide.
    expect(ROLES.filter((r) => roleAllows(r, 'par.assess'))).toEqual(['agency_officer']);
    expect(ROLES.filter((r) => roleAllows(r, 'par.appraise'))).toEqual(['appraiser']);
    // The lead agency reports on its directive tasks; only the leader's office creates documents, confirms, extends and cancels.
    expect(ROLES.filter((r) => roleAllows(r, 'directives.report'))).toEqual(['agency_officer']);
    expect(ROLES.filter((r) => roleAllows(r, 'directives.manage'))).toEqual(['leaders_office']);
    expect(roleAllows('leaders_office', 'read')).toBe(true);
    expect(roleAllows('administrator', 'admin')).toBe(true);
    expect(roleAllows('administrator', 'cases.handle')).toBe(false);
    // Only administrators administer; every role reads what is in its scope.
    expect(ROLES.filter((r) => roleAllows(r, 'admin'))).toEqual(['administrator']);
    for (const r of ROLES) expect(ROLE_PERMISSIONS[r]).toContain('read');
  });
});

describe('permissions of grants', () => {
  it('allow when any grant’s role gives the permission, wherever its scope lies', () => {
    const grants = [grantSchema.parse({ role: 'leader' }), grantSchema.parse({ role: 'operator', placeCode: '86001' })];
    expect(grantsAllow(grants, 'read')).toBe(true);
    expect(grantsAllow(grants, 'cases.handle')).toBe(true);
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

describe('the data scope of a caller', () => {
  const token = (roles: Grant[]): Identity => ({ kind: 'token', tokenId: 1, name: 't', login: null, sourceCode: null, roles });
  const officer = token([
    { role: 'agency_officer', organisationCode: 'UBND-29242', placeCode: '29242' },
    { role: 'leader', organisationCode: null, placeCode: '86' },
  ]);

  it('is what the published items are for the public, everything for an unscoped grant, the grants giving the permission otherwise', () => {
    expect(dataScope(ANONYMOUS)).toEqual({ kind: 'public' });
    expect(dataScope(token([{ role: 'leader', organisationCode: null, placeCode: null }]))).toEqual({ kind: 'all' });
    expect(dataScope(officer, 'read')).toEqual({
      kind: 'grants',
      grants: [
        { organisationCode: 'UBND-29242', placeCode: '29242' },
        { organisationCode: null, placeCode: '86' },
      ],
    });
    // Only the officer's grant handles cases: the leader's reads.
    expect(dataScope(officer, 'cases.handle')).toEqual({ kind: 'grants', grants: [{ organisationCode: 'UBND-29242', placeCode: '29242' }] });
    expect(dataScope(officer, 'admin')).toEqual({ kind: 'grants', grants: [] });
  });
});

describe('a token within its maker', () => {
  const ancestry = {
    organisations: new Map([['VL-STC', ['VL-STC', 'VL-UBND']]]),
    places: new Map([
      ['29242', ['29242', '86']],
      ['86', ['86']],
    ]),
  };
  const g = (role: Grant['role'], organisationCode: string | null = null, placeCode: string | null = null): Grant => ({ role, organisationCode, placeCode });

  it('keeps a role the maker’s roles give, over the part of the scope both reach', () => {
    expect(narrowGrants([g('leader')], [g('administrator', null, '29242')], ancestry)).toEqual([g('leader', null, '29242')]);
    expect(narrowGrants([g('leader', null, '29242')], [g('leader', null, '86')], ancestry)).toEqual([g('leader', null, '29242')]);
    expect(narrowGrants([g('agency_officer', 'VL-UBND')], [g('agency_officer', 'VL-STC')], ancestry)).toEqual([g('agency_officer', 'VL-STC')]);
  });

  it('drops what the maker no longer gives: another role, or a scope apart', () => {
    expect(narrowGrants([g('administrator')], [g('leader')], ancestry)).toEqual([]);
    expect(narrowGrants([g('leader', null, '29242')], [g('leader', null, '29254')], ancestry)).toEqual([]);
    expect(narrowGrants([g('leader')], [], ancestry)).toEqual([]);
  });

  it('makes no token above its creator', () => {
    expect(grantsWithin([g('leader', null, '29242')], [g('administrator', null, '86')], ancestry)).toBe(true);
    expect(grantsWithin([g('leader', null, '86')], [g('administrator', null, '29242')], ancestry)).toBe(false);
    expect(grantsWithin([g('operator')], [g('administrator')], ancestry)).toBe(false);
  });
});
