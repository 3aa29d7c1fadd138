/**
 * A figure typed the way the reader writes numbers: "1.234,5" in
 * Vietnamese, "1,234.5" in English; spaces are ignored. Null when it is not a number.
 */
export function parseFigure(text: string, lang: 'vi' | 'en'): number | null {
  const s = text.replace(/[\s\u00a0]/g, '');
  if (s === '') return null;
  const [group, decimal] = lang === 'vi' ? ['.', ','] : [',', '.'];
  const ok = new RegExp(`^[-+]?(\\d{1,3}(\\${group}\\d{3})+|\\d+)(\\${decimal}\\d+)?$`);
  if (!ok.test(s)) return null;
  const n = Number(s.split(group).join('').replace(decimal, '.'));
  return Number.isFinite(n) ? n : null;
}
