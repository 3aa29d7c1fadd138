import { todayIn, type Clock } from '@watchfloor/core';
import { ALL_ROWS, OrganisationsRepository, SourcesRepository, type Store } from '@watchfloor/db';

/** The demo's directive source: the e-office system's files, which the leader's office uploads on /directives. */
export const DEMO_DIRECTIVE_SOURCE = 'DEMO-EOFFICE-FILE';

/**
 * The demo's sources of its own: the leadership directives the People's
 * Committee office brings in from the document management system as CSV
 * or XLSX files (a file source whose mapping's target is "directives"),
 * owned by the province's office and covering the People's Committee's
 * agencies and communes, so the office's import panel has a source to
 * upload to. Added once when missing (a source the steward has changed or
 * disabled is left as it is); nothing without the province's office.
 */
export async function seedDemoSources(store: Store, options: { clock: Clock; province: string }): Promise<{ added: number }> {
  const sources = new SourcesRepository(store.db);
  if (await sources.get(DEMO_DIRECTIVE_SOURCE, ALL_ROWS)) return { added: 0 };
  const office = (await new OrganisationsRepository(store.db).listAt(todayIn(options.clock), { placeCode: options.province, kind: 'office' }))[0];
  if (!office) return { added: 0 };
  const now = options.clock.now().toISOString();
  const added = await sources.insert({
    code: DEMO_DIRECTIVE_SOURCE,
    name: 'Hệ thống quản lý văn bản và điều hành: tệp nhiệm vụ (minh họa)',
    kind: 'file',
    ownerOrgCode: office.code,
    schedule: null,
    expected: null,
    mapping: { target: 'directives' },
    credentialsEnc: null,
    tokenHash: null,
    enabled: true,
    createdAt: now,
    updatedAt: now,
    pull: null,
    // The office's own subtree is itself: the tasks it records are led by the People's Committee's departments and communes.
    coverage: { organisations: [office.parent_code ?? office.code] },
  });
  return { added: added ? 1 : 0 };
}
