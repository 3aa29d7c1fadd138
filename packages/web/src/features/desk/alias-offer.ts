/**
 * A rejected row the officer can fix by naming, once for the source, what
 * its file wrote: a unit or agency no name reached, several bore, or a
 * legacy code. Offered with the name as sent and the candidates the
 * server listed ("84 Tỉnh Trà Vinh (until 2025-06-30)"), to pick from or
 * to replace by a code typed in.
 */
export interface AliasOffer {
  kind: 'place' | 'organisation';
  /** The name or code as the file wrote it. */
  name: string;
  candidates: { code: string; label: string }[];
}

const PLACE_REASONS = new Set(['unknown_place_name', 'ambiguous_place_name', 'place_not_valid_in_period']);
const ORGANISATION_REASONS = new Set(['unknown_organisation_name', 'ambiguous_organisation_name', 'unknown_organisation']);

/** A candidate as the server writes it: its code, its name and its validity in brackets. */
const CANDIDATE = /(?:^|[:;] )(VN|\d{2,5}|[A-Za-z0-9][A-Za-z0-9._-]{0,39}) ([^;:()]+?) \(((?:until|from) \d{4}-\d{2}-\d{2}|\d{4}-\d{2}-\d{2} – \d{4}-\d{2}-\d{2}|always)\)/g;

/** The alias a rejected row offers, or null when its reason is not about a name (or the row as sent is not at hand). */
export function aliasOffer(rejected: { reason: string; message: string; row?: unknown }): AliasOffer | null {
  const kind = PLACE_REASONS.has(rejected.reason) ? 'place' : ORGANISATION_REASONS.has(rejected.reason) ? 'organisation' : null;
  if (kind === null || typeof rejected.row !== 'object' || rejected.row === null) return null;
  const name = (rejected.row as Record<string, unknown>)[kind];
  if (typeof name !== 'string' || name.trim() === '') return null;
  // A code sent for a unit that did not exist then is not a name to alias.
  if (kind === 'place' && rejected.reason === 'place_not_valid_in_period' && /^(VN|\d{2,5})$/.test(name.trim())) return null;
  const seen = new Set<string>();
  const candidates: AliasOffer['candidates'] = [];
  for (const m of rejected.message.matchAll(CANDIDATE)) {
    const [, code = '', label = '', span = ''] = m;
    if (seen.has(code)) continue;
    seen.add(code);
    candidates.push({ code, label: `${code} ${label} (${span})` });
  }
  return { kind, name: name.trim(), candidates };
}
