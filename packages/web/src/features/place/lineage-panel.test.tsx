import type { Lineage, LineageEdge, PlaceSummary } from '@watchfloor/core';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { I18nProvider } from '../../lib/i18n/i18n';
import type { Language } from '../../lib/i18n/translate';
import { LineageView } from './lineage-panel';

const unit = (code: string, name: string, parentCode: string | null, validFrom: string | null, validTo: string | null): PlaceSummary => ({
  code,
  name,
  nameEn: null,
  level: code.length === 2 ? 'province' : code.length === 3 ? 'district' : 'commune',
  parentCode,
  validFrom,
  validTo,
});
const edge = (place: PlaceSummary): LineageEdge => ({ place, kind: 'merge', part: 'full', share: null, effectiveDate: '2025-07-01', legalRef: 'Nghị quyết 202/2025/QH15' });

const newVinhLong = unit('86', 'Tỉnh Vĩnh Long', 'VN', '2025-07-01', null);
const oldVinhLong = unit('86', 'Tỉnh Vĩnh Long', 'VN', null, '2025-06-30');
const oldProvinces = [unit('83', 'Tỉnh Bến Tre', 'VN', null, '2025-06-30'), unit('84', 'Tỉnh Trà Vinh', 'VN', null, '2025-06-30'), oldVinhLong];
const phuongTraVinh = unit('29242', 'Phường Trà Vinh', '86', '2025-07-01', null);
const phuong3 = unit('29242', 'Phường 3', '842', null, '2025-06-30');

function render(lineage: Lineage, lang: Language = 'vi'): string {
  return renderToStaticMarkup(
    <I18nProvider initial={lang}>
      <LineageView lineage={lineage} />
    </I18nProvider>,
  );
}
/** The text of each entry of the lists, tags dropped. */
const entries = (html: string) => [...html.matchAll(/<li[^>]*>(.*?)<\/li>/g)].map((m) => m[1]!.replace(/<[^>]+>/g, ''));

describe('the lineage list', () => {
  it("never shows the new unit's code and start beside an old unit's name: each entry's code and dates are the named unit's own", () => {
    const html = render({ place: newVinhLong, from: oldProvinces.map(edge), to: [], abolished: null });
    const lines = entries(html);
    // It read "Tỉnh Vĩnh Long (86, từ 01/07/2025)" under "Formed from": code 86 from 1 July 2025 is the new province, the name the old one's.
    expect(lines.join('\n')).not.toContain('86, từ 01/07/2025');
    expect(lines).toEqual([
      'Tỉnh Bến Tre · mã 83 đến 30/06/2025',
      'Tỉnh Trà Vinh · mã 84 đến 30/06/2025',
      // The old Vĩnh Long had 86 too: said so, with its own last day.
      'Tỉnh Vĩnh Long · mã 86 đến 30/06/2025, mã này nay dùng cho đơn vị mới',
    ]);
    expect(html).toContain('Hình thành ngày 01/07/2025 từ');
    // Each old unit links to its own screen on its last day.
    expect(html).toContain('href="/p/86?at=2025-06-30"');
    expect(entries(render({ place: newVinhLong, from: oldProvinces.map(edge), to: [], abolished: null }, 'en'))[2]).toBe('Tỉnh Vĩnh Long · code 86 until 30 Jun 2025, the code now names the new unit');
  });

  it("shows, on the old unit, the new unit's code with the new unit's own start, and that it took the old code over", () => {
    const html = render({ place: phuong3, from: [], to: [edge(phuongTraVinh)], abolished: null });
    expect(html).toContain('Ngày 01/07/2025 trở thành');
    expect(entries(html)).toEqual(['Phường Trà Vinh · mã 29242 từ 01/07/2025, dùng lại mã của đơn vị cũ']);
    // The new unit, still valid, opens today.
    expect(html).toContain('href="/p/29242"');
  });

  it('says of a district that the district level ended on 1 July 2025, and names the wards its communes went into', () => {
    const district = unit('842', 'Thành phố Trà Vinh', '84', null, '2025-06-30');
    const ward = (code: string, name: string) => unit(code, name, '86', '2025-07-01', null);
    const old = (code: string, name: string) => unit(code, name, '842', null, '2025-06-30');
    const lineage: Lineage = {
      place: district,
      from: [],
      to: [],
      abolished: {
        level: 'district',
        effectiveDate: '2025-07-01',
        legalRef: 'Luật Tổ chức chính quyền địa phương số 72/2025/QH15',
        successors: [
          { place: ward('29242', 'Phường Trà Vinh'), from: [old('29239', 'Phường 1'), old('29242', 'Phường 3'), old('29260', 'Phường 9')], others: 0 },
          { place: ward('29254', 'Phường Nguyệt Hoá'), from: [old('29254', 'Phường 7'), old('29257', 'Phường 8')], others: 1 },
        ],
      },
    };
    const html = render(lineage);
    expect(html).toContain('data-testid="lineage-abolished"');
    expect(html).toContain('Cấp huyện kết thúc hoạt động từ ngày 01/07/2025');
    expect(html).toContain('Thành phố Trà Vinh không còn là đơn vị hành chính');
    expect(entries(html)).toEqual([
      'Phường Trà Vinh · mã 29242 từ 01/07/2025 — từ Phường 1, Phường 3, Phường 9',
      'Phường Nguyệt Hoá · mã 29254 từ 01/07/2025 — từ Phường 7, Phường 8 và 1 đơn vị ngoài Thành phố Trà Vinh',
    ]);
    expect(html).toContain('href="/p/29254"');
    expect(html).toContain('72/2025/QH15');
    const en = render(lineage, 'en');
    expect(en).toContain('The district level ended on 1 Jul 2025');
    expect(entries(en)[1]).toBe('Phường Nguyệt Hoá · code 29254 from 1 Jul 2025 — from Phường 7, Phường 8 and 1 unit(s) outside Thành phố Trà Vinh');
  });

  it('shows nothing for a unit with no lineage', () => {
    expect(render({ place: phuongTraVinh, from: [], to: [], abolished: null })).toBe('');
  });
});
