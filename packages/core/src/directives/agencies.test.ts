import { describe, expect, it } from 'vitest';
import { describeCandidate, matchOrganisationName, organisationNameIndex, type NamedVersion } from '../names';
import { directiveAgencyCells, withDirectiveAgencies, type DirectiveAgencyAnswer } from './agencies';
import { directiveBatch, type DirectiveFileRow } from './spreadsheet';

/**
 * Agencies named in a directive file or push, resolved against a small
 * catalogue as the ingestion resolves them: a code held stays a code, else
 * the one agency bearing that name (folded: no diacritics, any case) on the
 * document's date.
 */
const CATALOGUE: NamedVersion[] = [
  { code: 'TV-STC', name: 'Sở Tài chính tỉnh Trà Vinh', validFrom: null, validTo: '2025-06-30' },
  { code: 'VL-STC', name: 'Sở Tài chính tỉnh Vĩnh Long', validFrom: '2025-07-01', validTo: null },
  { code: 'VL-SYT', name: 'Sở Y tế tỉnh Vĩnh Long', validFrom: '2025-07-01', validTo: null },
  { code: 'VL-SNV', name: 'Sở Nội vụ tỉnh Vĩnh Long', validFrom: '2025-07-01', validTo: null },
  { code: 'UBND-29242', name: 'Ủy ban nhân dân phường Trà Vinh', validFrom: '2025-07-01', validTo: null },
  // Two boards of one name at once: a name that cannot say which.
  { code: 'VL-BQLDA-1', name: 'Ban Quản lý dự án', validFrom: '2025-07-01', validTo: null },
  { code: 'VL-BQLDA-2', name: 'Ban Quản lý dự án', validFrom: '2025-07-01', validTo: null },
];
const index = organisationNameIndex(CATALOGUE);
const codes = new Set(CATALOGUE.map((v) => v.code));

function resolve(rows: readonly unknown[]) {
  const cells = directiveAgencyCells(rows);
  const answers: DirectiveAgencyAnswer[] = cells.map((c) => {
    if (codes.has(c.text)) return { code: c.text };
    const m = matchOrganisationName(c.text, index, c.on, c.on);
    if (m.ok) return { code: m.version.code };
    return { reason: m.why === 'ambiguous' ? 'ambiguous_organisation_name' : 'unknown_organisation_name', message: `"${c.text}": ${m.candidates.map(describeCandidate).join('; ')}` };
  });
  return { cells, ...withDirectiveAgencies(rows, cells, answers) };
}

const row = (over: DirectiveFileRow): DirectiveFileRow => ({
  number: '125/TB-UBND',
  date: '02/11/2026',
  issuer: 'UBND tỉnh Vĩnh Long',
  signer: 'Chủ tịch',
  kind: 'Thông báo kết luận',
  summary: 'Kết luận giao ban',
  text: 'Rà soát dự toán',
  key: '1',
  lead: 'VL-STC',
  deadline: '30/11/2026',
  ...over,
});

describe('agencies named in a directive file', () => {
  it('reads a name as the agency bearing it on the document’s date, whatever its case and diacritics, and keeps a code as it is', () => {
    const { rows, refused } = resolve([
      row({ key: '1', lead: 'Sở Tài chính', cooperating: 'so y te; VL-SNV' }),
      row({ key: '2', lead: 'UBND phường Trà Vinh', cooperating: 'SỞ NỘI VỤ TỈNH VĨNH LONG' }),
      row({ key: '3', lead: 'VL-SYT' }),
    ]);
    expect(refused.size).toBe(0);
    expect((rows as DirectiveFileRow[]).map((r) => [r.lead, r.cooperating])).toEqual([
      ['VL-STC', 'VL-SYT, VL-SNV'],
      ['UBND-29242', 'VL-SNV'],
      ['VL-SYT', undefined],
    ]);
    // The same name on a document of before July 2025 is Trà Vinh's department.
    expect((resolve([row({ date: '15/03/2025', deadline: '31/03/2025', lead: 'Sở Tài chính' })]).rows[0] as DirectiveFileRow).lead).toBe('TV-STC');
  });

  it('refuses a row naming an agency no one or several bear, with its reason, column and the name', () => {
    const { rows, refused } = resolve([row({ key: '1', lead: 'Ban Quản lý dự án' }), row({ key: '2', lead: 'VL-STC', cooperating: 'Sở Y tế, Sở Tài chánh' }), row({ key: '3', lead: 'Sở Y tế' })]);
    expect([...refused.keys()]).toEqual([0, 1]);
    expect(refused.get(0)?.reason).toBe('ambiguous_organisation_name');
    expect(refused.get(0)?.message).toMatch(/^column “Đơn vị chủ trì” \(lead\): "Ban Quản lý dự án": VL-BQLDA-1 .*; VL-BQLDA-2 /);
    expect(refused.get(1)).toEqual({ reason: 'unknown_organisation_name', message: 'column “Đơn vị phối hợp” (cooperating): "Sở Tài chánh": ' });
    // The refused rows are left as they came; the third is resolved.
    expect((rows[1] as DirectiveFileRow).cooperating).toBe('Sở Y tế, Sở Tài chánh');
    expect((rows[2] as DirectiveFileRow).lead).toBe('VL-SYT');
  });

  it('leaves a row whose date cannot be read to be refused for its date', () => {
    expect(resolve([row({ date: 'tháng 11', lead: 'Sở Tài chính' })]).cells).toEqual([]);
  });

  it('makes documents of the resolved rows, refusing a named row on its own and keeping its task as held even when it comes first', () => {
    const { rows, refused } = resolve([row({ key: '1', lead: 'Sở Không Có' }), row({ key: '2', lead: 'Sở Y tế', cooperating: 'Sở Tài chính' })]);
    const { documents, problems } = directiveBatch(rows, refused);
    expect(problems.map((p) => [p.index, p.reason])).toEqual([[0, 'unknown_organisation_name']]);
    expect(problems[0]?.message).toContain('"Sở Không Có"');
    expect(documents).toHaveLength(1);
    expect(documents[0]?.document.tasks.map((t) => [t.key, t.lead, t.cooperating])).toEqual([['2', 'VL-SYT', ['VL-STC']]]);
    expect(documents[0]?.refusedKeys).toEqual(['1']);
  });
});

describe('agencies named in a pushed document', () => {
  const pushed = (tasks: unknown[]) => ({ number: '7/CT-UBND', date: '2026-11-05', issuer: 'UBND tỉnh Vĩnh Long', signer: 'Chủ tịch', kind: 'directive', summary: 'Chỉ thị', tasks });

  it('puts each task’s codes in place of the names, and refuses the whole document with the task and column of a name that does not resolve', () => {
    const { rows, refused } = resolve([
      pushed([{ key: '1', text: 'Kiểm tra', lead: 'Sở Y tế', cooperating: ['VL-STC', 'Ủy ban nhân dân phường Trà Vinh'], deadline: { kind: 'regular' } }]),
      pushed([
        { key: 'a', text: 'Báo cáo', lead: 'VL-STC', deadline: { kind: 'regular' } },
        { key: 'b', text: 'Tổng hợp', lead: 'Sở Ngoại vụ', deadline: { kind: 'regular' } },
      ]),
    ]);
    expect((rows[0] as { tasks: { lead: string; cooperating: string[] }[] }).tasks.map((t) => [t.lead, t.cooperating])).toEqual([['VL-SYT', ['VL-STC', 'UBND-29242']]]);
    expect(refused.get(1)).toEqual({ reason: 'unknown_organisation_name', message: 'Task b: column “Đơn vị chủ trì” (lead): "Sở Ngoại vụ": ' });
    const { documents, problems } = directiveBatch(rows, refused);
    expect(documents.map((d) => d.document.tasks[0]?.lead)).toEqual(['VL-SYT']);
    expect(problems.map((p) => [p.index, p.reason])).toEqual([[1, 'unknown_organisation_name']]);
  });
});
