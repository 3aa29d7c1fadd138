import { describe, expect, it } from 'vitest';
import { uploadedFileName } from './sources';

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
