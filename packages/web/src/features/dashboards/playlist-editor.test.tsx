import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { playlistSchema, type DashboardSummary, type Playlist } from '@watchfloor/core';
import { I18nProvider } from '../../lib/i18n/i18n';
import type { Language } from '../../lib/i18n/translate';
import { PlaylistForm } from './playlist-editor';
import { addItem, blankPlaylist, commonSeconds, draftOf, draftProblems, moveItem, removeItem, savePayload, setAllSeconds, setSeconds } from './playlist-model';

const STORED: Playlist = {
  code: 'tuong-chinh',
  title: { vi: 'Màn hình tường chính', en: 'Main wall' },
  demo: false,
  items: [
    { dashboard: 'dieu-hanh', seconds: 30 },
    { dashboard: 'kinh-te', seconds: 45 },
    { dashboard: 'y-te', seconds: 30 },
  ],
};
const board = (code: string, vi: string, en: string): DashboardSummary => ({ code, title: { vi, en }, panels: 4, demo: false, updatedAt: '2026-11-28T00:00:00Z' });
const BOARDS = [board('dieu-hanh', 'Điều hành', 'Operations'), board('kinh-te', 'Kinh tế', 'Economy'), board('y-te', 'Y tế', 'Health'), board('giao-thong', 'Giao thông', 'Traffic')];
const order = (p: { items: { dashboard: string }[] }) => p.items.map((i) => i.dashboard);

function render(node: React.ReactNode, lang: Language = 'vi'): string {
  return renderToStaticMarkup(<I18nProvider initial={lang}>{node}</I18nProvider>);
}

describe('reordering a playlist', () => {
  it('moves a dashboard earlier or later, and nowhere past either end', () => {
    const d = draftOf(STORED);
    expect(order(moveItem(d, 2, -1))).toEqual(['dieu-hanh', 'y-te', 'kinh-te']);
    expect(order(moveItem(d, 0, 1))).toEqual(['kinh-te', 'dieu-hanh', 'y-te']);
    expect(order(moveItem(moveItem(d, 2, -1), 1, -1))).toEqual(['y-te', 'dieu-hanh', 'kinh-te']);
    expect(moveItem(d, 0, -1)).toBe(d);
    expect(moveItem(d, 2, 1)).toBe(d);
    // Each item keeps its key and its seconds when it moves.
    const moved = moveItem(d, 1, 1);
    expect(moved.items[2]).toEqual({ key: 2, dashboard: 'kinh-te', seconds: 45 });
    expect(d.items.map((i) => i.dashboard)).toEqual(['dieu-hanh', 'kinh-te', 'y-te']);
  });

  it('adds at the end with the shared interval, removes, and sets one interval for all', () => {
    let d = draftOf(STORED);
    expect(commonSeconds(d)).toBeNull();
    d = setAllSeconds(d, 20);
    expect(commonSeconds(d)).toBe(20);
    d = addItem(d, 'giao-thong');
    expect(d.items.at(-1)).toEqual({ key: 4, dashboard: 'giao-thong', seconds: 20 });
    d = removeItem(d, 0);
    expect(order(d)).toEqual(['kinh-te', 'y-te', 'giao-thong']);
    expect(addItem(blankPlaylist('moi'), 'y-te').items).toEqual([{ key: 1, dashboard: 'y-te', seconds: 30 }]);
  });
});

describe('saving a playlist', () => {
  it('sends the dashboards in the chosen order with their seconds, as the server reads them', () => {
    let d = draftOf(STORED);
    d = moveItem(d, 2, -2);
    d = setSeconds(d, 0, 60);
    d = { ...d, title: { vi: '  Tường phòng họp ', en: 'Meeting room wall' } };
    const body = savePayload(d);
    expect(body).toEqual({
      code: 'tuong-chinh',
      title: { vi: 'Tường phòng họp', en: 'Meeting room wall' },
      demo: false,
      items: [
        { dashboard: 'y-te', seconds: 60 },
        { dashboard: 'dieu-hanh', seconds: 30 },
        { dashboard: 'kinh-te', seconds: 45 },
      ],
    });
    expect(playlistSchema.safeParse(body).success).toBe(true);
  });

  it('names what keeps a draft from being saved', () => {
    expect(draftProblems(draftOf(STORED))).toEqual([]);
    expect(draftProblems(blankPlaylist('moi'))).toEqual(['empty']);
    expect(draftProblems({ ...setSeconds(draftOf(STORED), 1, 2), title: { vi: ' ', en: 'x' } })).toEqual(['badTitle', 'badSeconds']);
    expect(draftProblems(setSeconds(draftOf(STORED), 1, Number.NaN))).toEqual(['badSeconds']);
  });
});

describe('the playlist form', () => {
  const form = (lang: Language = 'vi') =>
    render(<PlaylistForm draft={draftOf(STORED)} isNew={false} boards={BOARDS} saving={{ busy: false }} onChange={() => undefined} onSave={() => undefined} />, lang);

  it('lists the dashboards by name in order, each control labelled in the reader’s language', () => {
    const vi = form();
    expect([...vi.matchAll(/data-dashboard="([^"]+)"/g)].map((m) => m[1])).toEqual(['dieu-hanh', 'kinh-te', 'y-te']);
    expect(vi).toContain('aria-label="Đưa Kinh tế lên trước"');
    expect(vi).toContain('aria-label="Đưa Kinh tế xuống sau"');
    expect(vi).toContain('aria-label="Bỏ Kinh tế khỏi danh sách"');
    expect(vi).toContain('<span class="visually-hidden">Số giây hiển thị bảng Kinh tế</span>');
    expect(vi).toContain('<span>Thời gian mỗi bảng (giây, từ 5 đến 3600)</span>');
    // The first cannot go earlier, the last cannot go later.
    expect(vi).toMatch(/data-move="up"[^>]*disabled=""[^>]*aria-label="Đưa Điều hành lên trước"/);
    expect(vi).toMatch(/data-move="down"[^>]*disabled=""[^>]*aria-label="Đưa Y tế xuống sau"/);
    expect(vi).toContain('href="/wall/tuong-chinh"');
    expect(vi).toContain('role="status" aria-live="polite"');
    const en = form('en');
    expect(en).toContain('aria-label="Move Economy earlier"');
    expect(en).toContain('Save the playlist');
    expect(en).toContain('aria-label="Start Main wall on the video wall"');
  });

  it('offers every saved dashboard to add, and names a dashboard that no longer exists', () => {
    const html = render(
      <PlaylistForm draft={draftOf({ ...STORED, items: [{ dashboard: 'da-xoa', seconds: 30 }] })} isNew={false} boards={BOARDS} saving={{ busy: false }} onChange={() => undefined} onSave={() => undefined} />,
    );
    expect([...html.matchAll(/<option value="([^"]*)"/g)].map((m) => m[1])).toEqual(['', 'dieu-hanh', 'kinh-te', 'y-te', 'giao-thong']);
    expect(html).toContain('bảng da-xoa không còn tồn tại');
  });
});
