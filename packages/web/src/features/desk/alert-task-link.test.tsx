import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { I18nProvider } from '../../lib/i18n/i18n';
import { TaskLink } from './alert-desk';

const render = (subject: string, lang: 'vi' | 'en' = 'vi') =>
  renderToStaticMarkup(
    <I18nProvider initial={lang}>
      <TaskLink subject={subject} />
    </I18nProvider>,
  );

describe('a directive task’s deadline alert on the alert desk', () => {
  it('opens the task in its document, naming the task and the period of a recurring one', () => {
    const html = render('task:12/CT-UBND#2.a@2026-03|overdue');
    expect(html).toContain('href="/directives/12%2FCT-UBND?task=2.a"');
    expect(html).toContain('Mở nhiệm vụ 12/CT-UBND #2.a (2026-03)');
    expect(render('task:77/TB-UBND#1|due_soon', 'en')).toContain('Open task 77/TB-UBND #1<');
  });

  it('adds nothing to other alerts', () => {
    expect(render('case:PA000001')).toBe('');
    expect(render('86|PM25_DAY')).toBe('');
  });
});
