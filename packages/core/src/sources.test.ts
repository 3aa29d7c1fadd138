import { describe, expect, it } from 'vitest';
import { excerpt, REJECTED_EXCERPT_BYTES, rejectedRowJson, uploadedFileName } from './sources';

describe('the name kept of an uploaded file', () => {
  it('keeps the last segment of a path of either slash, as text', () => {
    expect(uploadedFileName('../../../../etc/passwd.csv')).toBe('passwd.csv');
    expect(uploadedFileName('C:\\Users\\lan\\Desktop\\bao-cao thang 10.xlsx')).toBe('bao-cao thang 10.xlsx');
    expect(uploadedFileName('Báo cáo tháng 10.xlsx')).toBe('Báo cáo tháng 10.xlsx');
  });

  it('drops control characters and keeps nothing of a name that is only a path', () => {
    expect(uploadedFileName('so\u0000lieu\r\n.csv')).toBe('solieu.csv');
    expect(uploadedFileName('../..')).toBeNull();
    expect(uploadedFileName('dir/')).toBeNull();
    expect(uploadedFileName('')).toBeNull();
    expect(uploadedFileName(null)).toBeNull();
    expect(uploadedFileName(`${'a'.repeat(300)}.csv`)).toHaveLength(255);
  });
});

describe('what a rejected row keeps of what was received', () => {
  const bytes = (t: string) => new TextEncoder().encode(t).length;

  it('keeps a short text whole', () => {
    expect(excerpt('PM25,29242,2026-09-15,abc')).toBe('PM25,29242,2026-09-15,abc');
  });

  it('cuts a long answer to 1 KB of UTF-8 on a character boundary, marked as cut', () => {
    const answer = 'Số liệu nội bộ: '.repeat(5000);
    const kept = excerpt(answer);
    expect(bytes(kept)).toBeLessThanOrEqual(REJECTED_EXCERPT_BYTES);
    expect(bytes(kept)).toBeGreaterThan(REJECTED_EXCERPT_BYTES - 8);
    expect(kept.endsWith('…')).toBe(true);
    expect(answer.startsWith(kept.slice(0, -1))).toBe(true);
    // Never half a character: the text round-trips through UTF-8 unchanged.
    expect(new TextDecoder('utf-8', { fatal: true }).decode(new TextEncoder().encode(kept))).toBe(kept);
  });

  it('replaces NUL, which PostgreSQL text cannot hold, in the text and in the row', () => {
    expect(excerpt('a\u0000b')).toBe('a\uFFFDb');
    expect(JSON.parse(rejectedRowJson(JSON.stringify({ note: 'a\u0000b' })) ?? 'null')).toEqual({ note: 'a\uFFFDb' });
  });

  it('keeps the row as read only while it is short: a giant row keeps its excerpt alone', () => {
    expect(rejectedRowJson(JSON.stringify({ value: 1 }))).toBe('{"value":1}');
    expect(rejectedRowJson(JSON.stringify({ note: 'x'.repeat(5000) }))).toBeNull();
    expect(rejectedRowJson(null)).toBeNull();
  });
});
