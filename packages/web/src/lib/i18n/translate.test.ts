import { describe, expect, it } from 'vitest';
import { en, vi } from './messages';
import { isMessageKey, readLanguage, translate } from './translate';

describe('translate', () => {
  it('speaks Vietnamese by default and English on request, filling placeholders', () => {
    expect(translate('vi', 'tile.updated', { ago: '3 ngày trước' })).toBe('Cập nhật 3 ngày trước');
    expect(translate('en', 'tile.updated', { ago: '3 days ago' })).toBe('Updated 3 days ago');
    expect(translate('vi', 'children.count', { n: 124 })).toBe('124 đơn vị');
  });

  it('falls back to Vietnamese, the complete table, when English lacks a key', () => {
    // The brand is the same in both languages, so English leaves it out.
    expect(en['app.name']).toBeUndefined();
    expect(translate('en', 'app.name')).toBe('Watchfloor');
  });

  it('leaves an unknown placeholder visible rather than inventing a value', () => {
    expect(translate('vi', 'tile.updated')).toBe('Cập nhật {ago}');
  });

  it('has an English text for nearly every Vietnamese one, and no English key that Vietnamese lacks', () => {
    const viKeys = Object.keys(vi);
    const enKeys = Object.keys(en);
    expect(enKeys.every((k) => viKeys.includes(k))).toBe(true);
    expect(viKeys.filter((k) => !enKeys.includes(k))).toEqual(['app.name']);
  });

  it('knows message keys built at run time, and reads the stored language choice', () => {
    expect(isMessageKey('domain.health')).toBe(true);
    expect(isMessageKey('domain.space_travel')).toBe(false);
    expect(isMessageKey('toString')).toBe(false);
    expect(readLanguage('en')).toBe('en');
    expect(readLanguage(null)).toBe('vi');
    expect(readLanguage('fr')).toBe('vi');
  });
});
