import { ERROR_STATUS } from '@watchfloor/core';
import { describe, expect, it } from 'vitest';
import { errorMessageKey } from '../error-panel';
import { en, vi } from './messages';
import { translate } from './translate';

/** Every code a client can be answered with: each must reach the reader in words, not as "an unexpected error". */
const CODES = Object.keys(ERROR_STATUS);

describe('the server’s refusals in words', () => {
  it('has a Vietnamese and an English message for every code core knows, the English one really English', () => {
    const lacking: string[] = [];
    for (const code of CODES) {
      const key = `error.${code}`;
      const viText: unknown = (vi as Record<string, string>)[key];
      const enText: unknown = (en as Record<string, string | undefined>)[key];
      if (typeof viText !== 'string' || viText.trim() === '') lacking.push(`${key} (vi)`);
      if (typeof enText !== 'string' || enText.trim() === '') lacking.push(`${key} (en)`);
      else if (enText === viText) lacking.push(`${key} (en is the Vietnamese)`);
    }
    expect(lacking).toEqual([]);
  });

  it('gives the error panel the code’s own message, not the one of an unexpected error', () => {
    expect(errorMessageKey('directive_task_closed')).toBe('error.directive_task_closed');
    expect(translate('vi', errorMessageKey('directive_task_closed'))).toBe('Nhiệm vụ đã hoàn thành hoặc đã bị hủy: không ghi nhận thêm được.');
    expect(translate('en', errorMessageKey('source_timeout'))).toContain('did not answer in the time allowed');
    expect(errorMessageKey('no_such_code')).toBe('error.unexpected');
  });
});
