import { describe, expect, it } from 'vitest';
import { declaredOf, initialLayout, offersLayout, layoutOf, layoutProblems, layoutReducer, type LayoutAction, type LayoutState, type SheetHead } from './layout-model';

/** The head of a monthly report as the server reads it: the period in the title (A1), a two-row header over three value columns. */
const HEAD: SheetHead = {
  fileName: 'bao-cao.xlsx',
  format: 'xlsx',
  sheet: 'Báo cáo',
  encoding: null,
  rows: [
    { line: 1, cells: ['BÁO CÁO THÁNG 10 NĂM 2026'] },
    { line: 2, cells: ['Mã xã', 'Tên xã', 'Hồ sơ', '', '', 'Ghi chú'] },
    { line: 3, cells: ['', '', 'Tiếp nhận', 'Đúng hạn', 'Trễ hạn', ''] },
    { line: 4, cells: ['29242', 'Phường Trà Vinh', '120', '101', '9', ''] },
  ],
  headerLine: 3,
  columns: [
    { letter: 'A', label: 'Mã xã', field: null, samples: ['29242'] },
    { letter: 'B', label: 'Tên xã', field: null, samples: ['Phường Trà Vinh'] },
    { letter: 'C', label: 'Hồ sơ / Tiếp nhận', field: null, samples: ['120'] },
    { letter: 'D', label: 'Hồ sơ / Đúng hạn', field: null, samples: ['101'] },
    { letter: 'E', label: 'Hồ sơ / Trễ hạn', field: null, samples: ['9'] },
    { letter: 'F', label: 'Ghi chú', field: 'note', samples: [''] },
  ],
  titlePeriod: { cell: 'A1', value: '2026-10' },
  fileNamePeriod: null,
};

const run = (actions: LayoutAction[], from: LayoutState = initialLayout): LayoutState => actions.reduce(layoutReducer, from);
const draft = (s: LayoutState) => {
  if (s.step !== 'ready') throw new Error('no draft');
  return s.draft;
};

describe('the mapping editor’s draft', () => {
  it('starts from the sample: a known header keeps its field, the period from the title rows, nothing else chosen', () => {
    const d = draft(run([{ type: 'loaded', head: HEAD, saved: null }]));
    expect(Object.fromEntries(Object.entries(d.columns).map(([k, c]) => [k, c.role]))).toEqual({
      'Mã xã': 'ignore',
      'Tên xã': 'ignore',
      'Hồ sơ / Tiếp nhận': 'ignore',
      'Hồ sơ / Đúng hạn': 'ignore',
      'Hồ sơ / Trễ hạn': 'ignore',
      'Ghi chú': 'note',
    });
    expect(d.periodFrom).toBe('title');
    expect(layoutProblems(d)).toEqual([{ problem: 'noPlace' }, { problem: 'noValues' }]);
  });

  it('becomes the layout said column by column: the unit by name, two value columns with indicator, unit and status', () => {
    const d = draft(
      run([
        { type: 'loaded', head: HEAD, saved: null },
        { type: 'role', column: 'Tên xã', role: 'place' },
        { type: 'placeBy', by: 'name' },
        { type: 'role', column: 'Hồ sơ / Tiếp nhận', role: 'value' },
        { type: 'role', column: 'Hồ sơ / Đúng hạn', role: 'value' },
      ]),
    );
    expect(layoutProblems(d)).toEqual([
      { problem: 'noIndicator', column: 'Hồ sơ / Tiếp nhận' },
      { problem: 'noIndicator', column: 'Hồ sơ / Đúng hạn' },
    ]);
    const done = draft(
      run(
        [
          { type: 'indicator', column: 'Hồ sơ / Tiếp nhận', indicator: 'DOSSIERS_RECEIVED' },
          { type: 'indicator', column: 'Hồ sơ / Đúng hạn', indicator: 'DOSSIERS_ON_TIME' },
          { type: 'unit', column: 'Hồ sơ / Đúng hạn', unit: ' hồ sơ ' },
          { type: 'status', column: 'Hồ sơ / Đúng hạn', status: 'provisional' },
        ],
        { step: 'ready', draft: d },
      ),
    );
    expect(layoutProblems(done)).toEqual([]);
    expect(layoutOf(done)).toEqual({
      columns: { 'Tên xã': 'place', 'Ghi chú': 'note' },
      values: [
        { column: 'Hồ sơ / Tiếp nhận', indicator: 'DOSSIERS_RECEIVED' },
        { column: 'Hồ sơ / Đúng hạn', indicator: 'DOSSIERS_ON_TIME', unit: 'hồ sơ', status: 'provisional' },
      ],
      names: ['place'],
    });
    expect(declaredOf(done)).toBeUndefined();
  });

  it('gives a key role to one column only: the unit chosen in another column leaves the first', () => {
    const d = draft(
      run([
        { type: 'loaded', head: HEAD, saved: null },
        { type: 'role', column: 'Mã xã', role: 'place' },
        { type: 'role', column: 'Tên xã', role: 'place' },
      ]),
    );
    expect(d.columns['Mã xã']?.role).toBe('ignore');
    expect(d.columns['Tên xã']?.role).toBe('place');
  });

  it('takes the period from a column, a named cell or a value declared with the upload, each checked', () => {
    const loaded = run([{ type: 'loaded', head: HEAD, saved: null }]);
    // A period column is where the period comes from; set back to ignored, the title rows give it again.
    const column = draft(run([{ type: 'role', column: 'Tên xã', role: 'period' }], loaded));
    expect(column.periodFrom).toBe('column');
    expect(draft(run([{ type: 'role', column: 'Tên xã', role: 'ignore' }], { step: 'ready', draft: column })).periodFrom).toBe('title');
    // Said to come from a cell, the period column is read no more.
    const cell = draft(run([{ type: 'periodFrom', from: 'cell' }], { step: 'ready', draft: column }));
    expect(cell.columns['Tên xã']?.role).toBe('ignore');
    expect(layoutProblems(cell)).toContainEqual({ problem: 'badCell' });
    const named = draft(run([{ type: 'periodCell', cell: ' a1 ' }], { step: 'ready', draft: cell }));
    expect(layoutProblems(named)).not.toContainEqual({ problem: 'badCell' });
    expect(layoutOf(named).cells).toEqual({ period: 'A1' });
    const declared = draft(run([{ type: 'periodFrom', from: 'declared' }], loaded));
    expect(layoutProblems(declared)).toContainEqual({ problem: 'noDeclaredPeriod' });
    expect(declaredOf(draft(run([{ type: 'declaredPeriod', period: '10/2026' }], { step: 'ready', draft: declared })))).toBe('10/2026');
    // The sample's file name names no period: it cannot be the period's origin.
    expect(layoutProblems(draft(run([{ type: 'periodFrom', from: 'file_name' }], loaded)))).toContainEqual({ problem: 'noFileNamePeriod' });
  });

  it('opens the layout saved before on its columns, matching a two-row header by its lower row, and keeps what the mapping says beyond them', () => {
    const saved = {
      columns: { 'Mã xã': 'place' as const },
      values: [{ column: 'Tiếp nhận', indicator: 'DOSSIERS_RECEIVED', unit: 'hồ sơ' }],
      numbers: 'vi' as const,
      defaults: { organisation: 'VL-STC' },
      aliases: { organisations: { STC: 'VL-STC' } },
    };
    const d = draft(run([{ type: 'loaded', head: HEAD, saved }]));
    expect(d.columns['Mã xã']?.role).toBe('place');
    expect(d.columns['Hồ sơ / Tiếp nhận']).toEqual({ role: 'value', indicator: 'DOSSIERS_RECEIVED', unit: 'hồ sơ', status: '' });
    // Aliases are not the layout's: the server keeps them.
    expect(layoutOf(d)).toEqual({
      columns: { 'Mã xã': 'place', 'Ghi chú': 'note' },
      values: [{ column: 'Hồ sơ / Tiếp nhận', indicator: 'DOSSIERS_RECEIVED', unit: 'hồ sơ' }],
      defaults: { organisation: 'VL-STC' },
      numbers: 'vi',
    });
  });

  it('ignores changes before a sample is read', () => {
    expect(run([{ type: 'role', column: 'Mã xã', role: 'place' }])).toEqual(initialLayout);
  });
});

describe('who is offered the mapping editor', () => {
  const file = { kind: 'file' as const, mapping: null, enabled: true };
  it('a person who supplies data, for an enabled source read by a report layout', () => {
    expect(offersLayout([{ role: 'agency_officer', organisationCode: 'UBND-29242', placeCode: '29242' }], file)).toBe(true);
    expect(offersLayout([{ role: 'data_steward', organisationCode: null, placeCode: null }], file)).toBe(true);
  });
  it('not the public, a leader, an operator or an administrator', () => {
    expect(offersLayout(null, file)).toBe(false);
    for (const role of ['leader', 'operator', 'administrator'] as const) expect(offersLayout([{ role, organisationCode: null, placeCode: null }], file)).toBe(false);
  });
  it('not for a disabled source, the system’s own figures, a dossier table or a sensor export', () => {
    const steward = [{ role: 'data_steward' as const, organisationCode: null, placeCode: null }];
    expect(offersLayout(steward, { ...file, enabled: false })).toBe(false);
    expect(offersLayout(steward, { ...file, kind: 'derived' })).toBe(false);
    expect(offersLayout(steward, { ...file, mapping: { target: 'dossiers' } })).toBe(false);
    expect(offersLayout(steward, { ...file, mapping: { sensors: { format: 'airnow' } as never } })).toBe(false);
  });
});
