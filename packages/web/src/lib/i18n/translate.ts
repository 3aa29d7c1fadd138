import type { Language } from '@watchfloor/core';
import { en, vi, type MessageKey } from './messages';

export type { Language, MessageKey };

export const LANGUAGE_STORAGE_KEY = 'watchfloor.lang';

/** A message in the given language, with {placeholders} filled; English falls back to Vietnamese, the complete table. */
export function translate(lang: Language, key: MessageKey, params: Record<string, string | number> = {}): string {
  const text = (lang === 'en' ? en[key] : undefined) ?? vi[key];
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** Whether a string names a message, for keys built at run time (domains, levels, error codes). */
export function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(vi, key);
}

/** The stored language choice; Vietnamese unless English was chosen. */
export function readLanguage(stored: string | null): Language {
  return stored === 'en' ? 'en' : 'vi';
}
