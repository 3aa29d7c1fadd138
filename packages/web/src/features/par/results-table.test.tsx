import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { I18nProvider } from '../../lib/i18n/i18n';
import { bandColours } from './results-model';
import { ResultsTable } from './results-table';
import { BANDS, DATA } from './results-testing';

describe('the PAR Index ranking table', () => {
  it('ranks the departments with points per field, index, band, change and lost points, in Vietnamese', () => {
    const html = renderToStaticMarkup(
      <I18nProvider initial="vi">
        <ResultsTable data={DATA} kind="department" colours={bandColours(BANDS)} linkUnits />
      </I18nProvider>,
    );
    const order = ['Sở Nội vụ', 'Sở Y tế', 'Sở Tài chính'].map((n) => html.indexOf(n));
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(html).not.toContain('Long Hồ');
    expect(html).toContain('1/3');
    expect(html).toContain('Công tác chỉ đạo');
    expect(html).toContain('19/20');
    expect(html).toContain('95 %');
    expect(html).toContain('Xuất sắc');
    expect(html).toContain('Dưới mức thấp nhất');
    expect(html).toContain('▲ 1,25');
    expect(html).toContain('▼ 2,5');
    expect(html).toContain('Ban hành kế hoạch: −3');
    expect(html).toContain('Không bị trừ điểm');
    expect(html).toContain('href="/par/4/units/VL-SNV"');
    // The department the council has not decided is marked provisional.
    expect(html.match(/Tạm tính/g)).toHaveLength(1);
  });

  it('names the units without links for the public, and the lost criteria from the results, in English', () => {
    const html = renderToStaticMarkup(
      <I18nProvider initial="en">
        <ResultsTable data={DATA} kind="department" colours={bandColours(BANDS)} linkUnits={false} />
      </I18nProvider>,
    );
    expect(html).not.toContain('/par/4/units/');
    expect(html).toContain('The plan issued: −3');
    expect(html).toContain('Excellent');
    expect(html).toContain('Up 1.25 percentage points');
    // A criterion without an English name keeps its Vietnamese one.
    expect(html).toContain('Công khai thủ tục: −1');
    expect(html).toContain('Direction');
  });
});
