/** The words of the "Xuất" (Export) menu of the table screens, merged into messages.ts. */
export const exportVi = {
  'export.menu': 'Xuất',
  'export.menuLabel': 'Xuất bảng ra tệp',
  'export.xlsx': 'Excel (.xlsx)',
  'export.csv': 'CSV (UTF-8)',
  'export.pdf': 'PDF',
};

export const exportEn: Record<keyof typeof exportVi, string> = {
  'export.menu': 'Export',
  'export.menuLabel': 'Export the table to a file',
  'export.xlsx': 'Excel (.xlsx)',
  'export.csv': 'CSV (UTF-8)',
  'export.pdf': 'PDF',
};
