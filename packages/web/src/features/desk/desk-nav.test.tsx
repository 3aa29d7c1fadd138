import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { I18nProvider } from '../../lib/i18n/i18n';
import type { Language } from '../../lib/i18n/translate';
import { Refused, refusalKey } from './desk-nav';

function render(error: { code: string; message: string }, lang: Language = 'vi'): string {
  return renderToStaticMarkup(
    <I18nProvider initial={lang}>
      <Refused error={error} />
    </I18nProvider>,
  );
}

describe('a refusal on a desk', () => {
  it('is told in the desks’ own words when they have some for the code', () => {
    expect(refusalKey('invalid_transition')).toBe('desk.error.invalid_transition');
    expect(render({ code: 'sop_step_done', message: 'Step 2 of case PA-1 was done by an' })).toContain('Bước này đã được đánh dấu hoàn thành.');
  });

  it('is told in the code’s own message when the desks have no wording of it, not as a refusal in general', () => {
    expect(refusalKey('pull_in_progress')).toBe('error.pull_in_progress');
    const vi = render({ code: 'pull_in_progress', message: 'A pull of ttbc is running already' });
    expect(vi).toContain('Chưa thực hiện được: Nguồn này đang được lấy số liệu.');
    expect(vi).not.toContain('Máy chủ từ chối yêu cầu.');
    expect(vi).toContain('(pull_in_progress: A pull of ttbc is running already)');
    expect(render({ code: 'source_timeout', message: 'x' }, 'en')).toContain('Not done: The source system did not answer in the time allowed.');
  });

  it('falls back to the server’s refusal in general for a code nobody words', () => {
    expect(refusalKey('no_such_code')).toBe('desk.error.other');
    expect(render({ code: 'no_such_code', message: 'x' }, 'en')).toContain('Not done: The server refused the request.');
  });
});
