import { z } from 'zod';

/**
 * Access control: who people are (users, their roles and scopes), how they
 * prove it (sessions, API tokens) and the pure rules — what each role may
 * do and whether a scope contains a place or an organisation. The server
 * resolves an identity per request; deciding route by route uses these
 * rules so the API, the CLI and the web app agree.
 */

/**
 * Roles a user can hold. The anonymous public holds none: it sees only what
 * is published.
 */
export const ROLES = ['leader', 'operator', 'agency_officer', 'data_steward', 'appraiser', 'leaders_office', 'administrator'] as const;
export const roleSchema = z.enum(ROLES).describe('leader | operator | agency_officer | data_steward | appraiser | leaders_office | administrator');
export type Role = z.infer<typeof roleSchema>;

export const PERMISSIONS = [
  /** Read figures, cases, alerts, dossiers in scope. */
  'read',
  /** Handle cases: assign, move, comment, SOP steps. */
  'cases.handle',
  /** Acknowledge, resolve, publish alerts. */
  'alerts.handle',
  /** Save dossiers of one's agency. */
  'dossiers.write',
  /** Send data: push, upload, manual entry. */
  'data.supply',
  /** Indicator definitions, sources, targets. */
  'catalogue.manage',
  /** The PAR Index: self-assess one's own unit (points, explanations, evidence, answers to the appraisal). */
  'par.assess',
  /** The PAR Index: appraise units' self-assessments, send them back, record the council's decision. */
  'par.appraise',
  /** The PAR Index: frameworks, opening cycles, refreshing computed points, publishing. */
  'par.manage',
  /** Leadership directives: report on the tasks one's agency leads (progress, done, requests for more time). */
  'directives.report',
  /** Leadership directives: documents and their tasks, confirming done, answering extension requests, cancelling. */
  'directives.manage',
  /** Users, roles, API tokens, configuration. */
  'admin',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** What each role may do (within its scope). Administrators configure; they do not handle cases. */
export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  leader: ['read'],
  operator: ['read', 'cases.handle', 'alerts.handle'],
  agency_officer: ['read', 'data.supply', 'cases.handle', 'dossiers.write', 'par.assess', 'directives.report'],
  data_steward: ['read', 'catalogue.manage', 'data.supply'],
  /** The Department of Home Affairs (Sở Nội vụ) and its appraisal council, for the PAR Index. */
  appraiser: ['read', 'par.appraise', 'par.manage'],
  /** The People's Committee's office (Văn phòng UBND), for leadership directives. */
  leaders_office: ['read', 'directives.manage'],
  administrator: ['read', 'admin'],
};

export function roleAllows(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission);
}

const codeSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'must be a code of letters, digits, dots, dashes or underscores');

/**
 * A role held over a scope: an organisation and everything under it, a
 * place and everything under it, or both (then both must hold). Neither
 * means the whole deployment.
 */
export const grantSchema = z
  .object({
    role: roleSchema,
    organisationCode: codeSchema.nullable().default(null).describe('The organisation subtree the role covers; null: any'),
    placeCode: codeSchema.nullable().default(null).describe('The place subtree the role covers; null: any'),
  })
  .describe('A role over a scope');
export type Grant = z.infer<typeof grantSchema>;
export type GrantInput = z.input<typeof grantSchema>;

/**
 * Whether any grant gives the permission somewhere. Where it may be used is
 * the data layer's one scope rule (db/scope.ts), applied to every row read
 * or written.
 */
export function grantsAllow(grants: readonly Grant[], permission: Permission): boolean {
  return grants.some((g) => roleAllows(g.role, permission));
}

/** The ancestors of codes (each list includes the code itself), for comparing subtrees: organisations by their parents, places by their hierarchy. */
export interface GrantAncestry {
  organisations: ReadonlyMap<string, readonly string[]>;
  places: ReadonlyMap<string, readonly string[]>;
}

/**
 * Where two subtrees meet: the deeper one when one lies under the other,
 * `undefined` when they do not meet. `null` is the whole deployment.
 */
function meet(a: string | null, b: string | null, ancestors: ReadonlyMap<string, readonly string[]>): string | null | undefined {
  if (a === null) return b;
  if (b === null || a === b) return a;
  if ((ancestors.get(b) ?? []).includes(a)) return b;
  if ((ancestors.get(a) ?? []).includes(b)) return a;
  return undefined;
}

/** Whether one role gives nothing another does not. */
export function roleWithin(role: Role, holder: Role): boolean {
  return ROLE_PERMISSIONS[role].every((p) => roleAllows(holder, p));
}

/**
 * The grants `granted` keeps under what `holder` holds: each grant meets
 * every holder grant whose role gives at least as much, over the part of
 * the scope both reach. How a token's rights stay within its maker's
 * current roles: judged at every use, so demoting the maker narrows the
 * token and taking all their roles leaves it none.
 */
export function narrowGrants(granted: readonly Grant[], holder: readonly Grant[], ancestry: GrantAncestry): Grant[] {
  const out: Grant[] = [];
  const seen = new Set<string>();
  for (const g of granted) {
    for (const h of holder) {
      if (!roleWithin(g.role, h.role)) continue;
      const organisationCode = meet(g.organisationCode, h.organisationCode, ancestry.organisations);
      const placeCode = meet(g.placeCode, h.placeCode, ancestry.places);
      if (organisationCode === undefined || placeCode === undefined) continue;
      const key = JSON.stringify([g.role, organisationCode, placeCode]);
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ role: g.role, organisationCode, placeCode });
    }
  }
  return out;
}

/** Whether every grant asked for lies whole within what `holder` holds (a token is never made above its maker). */
export function grantsWithin(asked: readonly Grant[], holder: readonly Grant[], ancestry: GrantAncestry): boolean {
  return asked.every((g) => narrowGrants([g], holder, ancestry).some((n) => n.organisationCode === g.organisationCode && n.placeCode === g.placeCode));
}

/** The organisation and place codes grants name, to look their ancestors up. */
export function grantCodes(grants: readonly Grant[]): { organisations: string[]; places: string[] } {
  const organisations = new Set<string>();
  const places = new Set<string>();
  for (const g of grants) {
    if (g.organisationCode !== null) organisations.add(g.organisationCode);
    if (g.placeCode !== null) places.add(g.placeCode);
  }
  return { organisations: [...organisations], places: [...places] };
}

/** Logins are compared without case: stored lowercased. */
export const loginSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._@-]{1,63}$/, 'must be 2–64 letters, digits, dots, dashes, underscores or @, starting with a letter or digit')
  .transform((s) => s.toLowerCase())
  .describe('Login (case-insensitive)');

/** The password policy: length is what matters (NIST SP 800-63B); no composition rules. */
export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 256;
export const passwordSchema = z
  .string()
  .min(PASSWORD_MIN_LENGTH, `must be at least ${PASSWORD_MIN_LENGTH} characters`)
  .max(PASSWORD_MAX_LENGTH, `must be at most ${PASSWORD_MAX_LENGTH} characters`)
  .describe(`Password, ${PASSWORD_MIN_LENGTH}–${PASSWORD_MAX_LENGTH} characters`);

export const userSchema = z.object({
  login: z.string(),
  displayName: z.string(),
  disabled: z.boolean(),
  mustChangePassword: z.boolean().describe('A temporary password was set: it must be changed before anything else'),
  roles: z.array(grantSchema),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type User = z.infer<typeof userSchema>;

export const userCreateSchema = z.object({
  login: loginSchema,
  displayName: z.string().trim().min(1).max(200),
  password: passwordSchema,
  roles: z.array(grantSchema).max(50).default([]),
  mustChangePassword: z.boolean().default(true).describe('Default true: the person chooses their own at first sign-in'),
});
export type UserCreate = z.infer<typeof userCreateSchema>;

export const userUpdateSchema = z
  .object({
    displayName: z.string().trim().min(1).max(200).optional(),
    roles: z.array(grantSchema).max(50).optional().describe('Replaces every role the user holds'),
    disabled: z.boolean().optional().describe('Disabling ends the user’s sessions at once'),
  })
  .refine((u) => Object.keys(u).length > 0, 'nothing to change');
export type UserUpdate = z.infer<typeof userUpdateSchema>;

export const passwordResetSchema = z.object({ temporaryPassword: passwordSchema });
export const passwordChangeSchema = z.object({ currentPassword: z.string().max(PASSWORD_MAX_LENGTH), newPassword: passwordSchema });

export const signInSchema = z.object({
  login: z.string().trim().min(1).max(64).transform((s) => s.toLowerCase()),
  password: z.string().min(1).max(PASSWORD_MAX_LENGTH),
});

/** Who a request is from: nobody (the public), a signed-in user, or an API token. */
export type Identity =
  | { kind: 'anonymous' }
  | { kind: 'user'; login: string; displayName: string; roles: Grant[]; mustChangePassword: boolean; sessionId: string; csrfSecret: string }
  | { kind: 'token'; tokenId: number; name: string; login: string | null; sourceCode: string | null; roles: Grant[] };

export const ANONYMOUS: Identity = { kind: 'anonymous' };

export const meSchema = z.object({
  kind: z.enum(['anonymous', 'user', 'token']),
  user: userSchema.omit({ createdAt: true, updatedAt: true, disabled: true }).nullable(),
  token: z.object({ id: z.number().int(), name: z.string(), sourceCode: z.string().nullable(), roles: z.array(grantSchema) }).nullable(),
  csrfToken: z.string().nullable().describe('The session’s CSRF token (a signed-in user only), so a reloaded page can send x-csrf-token'),
});
export type Me = z.infer<typeof meSchema>;

export const signInAnswerSchema = z.object({
  user: userSchema,
  csrfToken: z.string().describe('Send it as the x-csrf-token header on every POST, PUT, PATCH and DELETE of this session'),
  expiresAt: z.string(),
});

export const apiTokenSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  login: z.string().nullable().describe('The user the token acts for, if any'),
  sourceCode: z.string().nullable().describe('The source the token belongs to, if any: it may then only push to that source, whatever its roles'),
  roles: z.array(grantSchema).describe('The roles it was given; at each use they are narrowed to what its maker holds then'),
  createdBy: z
    .string()
    .nullable()
    .describe('Who made it: the login of the person (who made it signed in, or through a token of theirs); null: the system (the command line, first start, or a token no person made)'),
  createdWithToken: z.number().int().nullable().describe('The API token it was made with, when it was made by a token'),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
export type ApiToken = z.infer<typeof apiTokenSchema>;

export const apiTokenCreateSchema = z.object({
  name: z.string().trim().min(1).max(200),
  sourceCode: codeSchema.nullable().default(null).describe('The source this token is for (an integration); null: for the signed-in user'),
  roles: z.array(grantSchema).min(1).max(50),
});
export type ApiTokenCreate = z.infer<typeof apiTokenCreateSchema>;

/** How one can sign in: the sign-in page shows a button per provider. */
export const authProvidersSchema = z.object({
  password: z.boolean().describe('Local accounts with a password'),
  oidc: z
    .object({ label: z.string().describe('The button’s text'), startUrl: z.string().describe('Where the button goes: it redirects to the provider') })
    .nullable()
    .describe('OpenID Connect, when configured'),
  demo: z.boolean().describe('This server runs the demo data set with demo accounts still enabled: their password is in a file in the server’s data folder'),
  demoAccounts: z
    .object({ file: z.string().describe('Where the server wrote their password'), logins: z.array(z.string()) })
    .nullable()
    .describe('To administrators only, with the demo data set: the demo accounts still enabled, and the file on the server holding their password (never the password itself)'),
});
export type AuthProviders = z.infer<typeof authProvidersSchema>;

/** API tokens start with this, so they are told apart from sources' push tokens. */
export const API_TOKEN_PREFIX = 'wft_';

/**
 * What a caller may see or touch of the data that belongs to places and
 * organisations (observations, cases, dossiers, alerts, sources and their
 * runs), for one permission: everything, only what is published (the
 * anonymous public), or what the grants giving that permission reach (an
 * empty list: nothing). The data layer turns it into one filter per query.
 */
export type DataScope =
  | { kind: 'all' }
  | { kind: 'public' }
  | { kind: 'grants'; grants: ReadonlyArray<Pick<Grant, 'organisationCode' | 'placeCode'>> };

export const ALL_DATA: DataScope = { kind: 'all' };

/** The scope an identity has for a permission: an unscoped grant reaches everything; the anonymous see what is published. */
export function dataScope(identity: Identity, permission: Permission = 'read'): DataScope {
  if (identity.kind === 'anonymous') return { kind: 'public' };
  const grants = identity.roles.filter((g) => roleAllows(g.role, permission));
  if (grants.some((g) => g.organisationCode === null && g.placeCode === null)) return ALL_DATA;
  return { kind: 'grants', grants: grants.map((g) => ({ organisationCode: g.organisationCode, placeCode: g.placeCode })) };
}
