import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { I18nProvider } from '../../lib/i18n/i18n';
import type { Language } from '../../lib/i18n/translate';
import { RejectedTable } from './rejected-table';

const render = (lang: Language) =>
  renderToStaticMarkup(
    <I18nProvider initial={lang}>
      <RejectedTable
        rows={[
          { line: 7, reason: 'invalid_number', message: 'Column "Kế hoạch": "12,3,4" is not a number', raw: 'Phường 1;12,3,4' },
          { line: 9, reason: 'missing_value', raw: 'Phường 3;' },
        ]}
      />
    </I18nProvider>,
  );

describe('rejected rows', () => {
  it('give each reason in the reader’s language, with its code and the server’s particulars', () => {
    const vi = render('vi');
    expect(vi).toContain('Giá trị không phải là số <code class="small">invalid_number</code>');
    expect(vi).toContain('Column &quot;Kế hoạch&quot;: &quot;12,3,4&quot; is not a number');
    expect(vi).toContain('Thiếu giá trị <code class="small">missing_value</code>');
    const en = render('en');
    expect(en).toContain('The value is not a number <code class="small">invalid_number</code>');
    expect(en).not.toContain('Giá trị không phải là số');
  });
});
