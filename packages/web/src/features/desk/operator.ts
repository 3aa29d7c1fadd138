import { useState } from 'react';

const KEY = 'watchfloor.operator';

/**
 * The operator's name, sent as the actor of each change until sign-in
 * exists; kept in the browser so it is typed once.
 */
export function useOperatorName(): [string, (name: string) => void] {
  const [name, setName] = useState<string>(() => {
    try {
      return window.localStorage.getItem(KEY) ?? '';
    } catch {
      return '';
    }
  });
  const set = (next: string) => {
    setName(next);
    try {
      window.localStorage.setItem(KEY, next);
    } catch {
      // Storage refused (private mode): the name lasts for this page only.
    }
  };
  return [name, set];
}

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
