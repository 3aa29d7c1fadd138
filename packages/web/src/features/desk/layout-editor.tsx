import { FILE_ENCODINGS, OBSERVATION_STATUSES, REJECTION_REASONS, sourceMappingSchema, type IndicatorDefinition, type IngestResult, type ObservationStatus, type Source } from '@watchfloor/core';
import { useReducer, useState } from 'react';
import { toApiError } from '../../lib/api';
import { formatNumber } from '../../lib/i18n/format';
import { useI18n } from '../../lib/i18n/i18n';
import type { MessageKey } from '../../lib/i18n/translate';
import { Link } from '../../lib/router';
import { useRequest } from '../../lib/use-request';
import { labelOf } from '../period/period-label';
import { deskApi } from './desk-api';
import { Refused } from './desk-nav';
import { dataDeskUrl } from './desk-routes';
import { IngestSummary } from './file-upload';
import { FileLayoutNote } from './file-layout';
import { COLUMN_ROLES, declaredOf, initialLayout, layoutOf, layoutProblems, layoutReducer, PERIOD_ORIGINS, type ColumnRole, type LayoutDraft, type LayoutProblem, type PeriodOrigin } from './layout-model';
import type { EncodingChoice } from './upload-state';

type Busy = { step: 'idle' } | { step: 'reading' | 'trying' | 'saving' } | { step: 'failed'; error: { code: string; message: string } };

/**
 * The mapping editor, a screen of the data desk: the officer picks a
 * sample of the report, says column by column what each is (and where
 * the period comes from when no column holds it), sees the first rows as
 * they will be stored, with each refused cell and its reason, and saves
 * the layout as the source's; the month's file is then uploaded on the
 * source's page.
 */
export function LayoutEditor({ source }: { source: Source }) {
  const { t } = useI18n();
  const [state, dispatch] = useReducer(layoutReducer, initialLayout);
  const [file, setFile] = useState<File | null>(null);
  const [encoding, setEncoding] = useState<EncodingChoice>('auto');
  const [busy, setBusy] = useState<Busy>({ step: 'idle' });
  const [tried, setTried] = useState<IngestResult | null>(null);
  const [saved, setSaved] = useState(false);
  const catalogue = useRequest(deskApi.indicators());
  // Figures are sent for base indicators only: the others are computed from them.
  const indicators = (catalogue.data?.indicators ?? []).filter((d) => d.kind === 'base');
  const savedMapping = source.mapping === null ? null : sourceMappingSchema.parse(source.mapping);

  const read = async (f: File, enc: EncodingChoice, header?: number) => {
    setBusy({ step: 'reading' });
    setTried(null);
    setSaved(false);
    try {
      dispatch({ type: 'loaded', head: await deskApi.sheet(source.code, f, { encoding: enc, header }), saved: savedMapping });
      setBusy({ step: 'idle' });
    } catch (err) {
      setBusy({ step: 'failed', error: toApiError(err) });
    }
  };
  const draft = state.step === 'ready' ? state.draft : null;
  const problems = draft ? layoutProblems(draft) : [];
  const change = (action: Parameters<typeof dispatch>[0]) => {
    dispatch(action);
    setTried(null);
    setSaved(false);
  };
  const tryIt = async () => {
    if (!draft || !file || problems.length > 0) return;
    setBusy({ step: 'trying' });
    try {
      setTried(await deskApi.upload(source.code, file, { dryRun: true, numbers: 'auto', encoding, period: declaredOf(draft), mapping: layoutOf(draft) }));
      setBusy({ step: 'idle' });
    } catch (err) {
      setBusy({ step: 'failed', error: toApiError(err) });
    }
  };
  const save = async () => {
    if (!draft || problems.length > 0) return;
    setBusy({ step: 'saving' });
    try {
      // An encoding chosen for the sample is the source's files' from now on.
      await deskApi.saveLayout(source.code, { ...layoutOf(draft), ...(encoding !== 'auto' ? { encoding } : {}) });
      setSaved(true);
      setBusy({ step: 'idle' });
    } catch (err) {
      setBusy({ step: 'failed', error: toApiError(err) });
    }
  };

  return (
    <section className="panel layout-editor" aria-labelledby="layout-title" data-testid="layout-editor" data-source={source.code}>
      <div className="panel-head">
        <h2 id="layout-title">{t('desk.editor.title', { name: source.name })}</h2>
        <Link to={dataDeskUrl({ source: source.code })}>{t('desk.editor.back')}</Link>
      </div>
      <p className="small muted">{t('desk.editor.intro')}</p>
      <div className="desk-inline-form">
        <label className="field">
          <span>{t('desk.editor.sample')}</span>
          <input
            type="file"
            name="sample"
            accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            onChange={(e) => {
              const f = e.target.files?.[0] ?? null;
              setFile(f);
              if (f) void read(f, encoding);
            }}
          />
        </label>
        <label className="field">
          <span>{t('desk.upload.encoding')}</span>
          <select
            name="encoding"
            value={encoding}
            onChange={(e) => {
              const enc = e.target.value as EncodingChoice;
              setEncoding(enc);
              if (file) void read(file, enc);
            }}
          >
            <option value="auto">{t('desk.upload.encoding.auto')}</option>
            {FILE_ENCODINGS.map((x) => (
              <option key={x} value={x}>
                {x}
              </option>
            ))}
          </select>
        </label>
      </div>
      {busy.step === 'reading' ? <p role="status">{t('desk.editor.reading')}</p> : null}
      {busy.step === 'failed' ? <Refused error={busy.error} /> : null}
      {draft && file ? (
        <>
          <SheetRows draft={draft} fileName={file.name} onHeader={(line) => void read(file, encoding, line)} />
          <ColumnsForm draft={draft} indicators={indicators} dispatch={change} />
          <PeriodForm draft={draft} dispatch={change} />
          {problems.length > 0 ? (
            <ul className="layout-problems small" data-testid="layout-problems">
              {problems.map((p, i) => (
                <li key={i} className="field-error">
                  {problemText(t, p)}
                </li>
              ))}
            </ul>
          ) : null}
          <div className="layout-actions">
            <button type="button" className="button" disabled={problems.length > 0 || busy.step === 'trying'} onClick={() => void tryIt()}>
              {busy.step === 'trying' ? t('desk.editor.trying') : t('desk.editor.try')}
            </button>
            <button type="button" className="button primary" disabled={problems.length > 0 || busy.step === 'saving'} onClick={() => void save()}>
              {busy.step === 'saving' ? t('desk.saving') : t('desk.editor.save')}
            </button>
          </div>
          {tried ? <TriedRows result={tried} indicators={indicators} /> : null}
          {saved ? (
            <div role="status" className="layout-saved" data-testid="layout-saved">
              <p>
                <strong>{t('desk.editor.saved', { name: source.name })}</strong>
              </p>
              <p>
                <Link to={dataDeskUrl({ source: source.code })} className="button">
                  {t('desk.editor.toUpload')}
                </Link>
              </p>
            </div>
          ) : null}
        </>
      ) : null}
      <p className="small">
        <a href={deskApi.templateUrl()} download>
          {t('desk.editor.template')}
        </a>
      </p>
    </section>
  );
}

type T = ReturnType<typeof useI18n>['t'];

function problemText(t: T, p: LayoutProblem): string {
  const key = `desk.editor.problem.${p.problem}` as MessageKey;
  return 'column' in p ? t(key, { column: p.column }) : t(key);
}

/** The sample's first rows, its header row marked and choosable. */
function SheetRows({ draft, fileName, onHeader }: { draft: LayoutDraft; fileName: string; onHeader: (line: number) => void }) {
  const { t } = useI18n();
  const { head } = draft;
  const width = Math.max(1, ...head.rows.map((r) => r.cells.length));
  const letters = Array.from({ length: width }, (_x, i) => head.columns[i]?.letter ?? String.fromCharCode(65 + (i % 26)));
  return (
    <div className="layout-sheet" data-testid="layout-sheet">
      <h3 id="layout-rows">{t('desk.editor.rows', { name: fileName })}</h3>
      {head.encoding?.sample ? (
        <p className="small">
          {t('desk.upload.encoding.sample')} <q lang="vi">{head.encoding.sample}</q>
        </p>
      ) : null}
      <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="layout-rows">
        <table className="data-table compact">
          <thead>
            <tr>
              <th scope="col" className="num">
                {t('desk.editor.line')}
              </th>
              {letters.map((l) => (
                <th key={l} scope="col">
                  {l}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {head.rows.slice(0, (head.rows.findIndex((r) => r.line === head.headerLine) + 1 || 8) + 3).map((r) => (
              <tr key={r.line} className={r.line === head.headerLine ? 'selected' : undefined}>
                <th scope="row" className="num">
                  {r.line}
                </th>
                {letters.map((l, i) => (
                  <td key={l}>{r.cells[i] ?? ''}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <label className="field">
        <span>{t('desk.editor.headerRow')}</span>
        <select name="header" value={head.headerLine ?? ''} onChange={(e) => onHeader(Number(e.target.value))}>
          {head.headerLine === null ? <option value="">—</option> : null}
          {head.rows.slice(0, 20).map((r) => (
            <option key={r.line} value={r.line}>
              {t('desk.editor.lineN', { line: r.line })}: {r.cells.filter((c) => c !== '').join(' | ').slice(0, 60)}
            </option>
          ))}
        </select>
      </label>
      {head.headerLine === null ? <p className="field-error">{t('desk.editor.noHeader')}</p> : null}
    </div>
  );
}

function indicatorLabel(d: IndicatorDefinition, lang: 'vi' | 'en'): string {
  const name = d.names[lang];
  return `${d.code} — ${name}${d.unit ? ` (${d.unit})` : ''}`;
}

/** Column by column: what it is; a value column's indicator (with the indicator's unit shown), declared unit and status. */
function ColumnsForm({ draft, indicators, dispatch }: { draft: LayoutDraft; indicators: readonly IndicatorDefinition[]; dispatch: (a: Parameters<typeof layoutReducer>[1]) => void }) {
  const { t, lang } = useI18n();
  const byCode = new Map(indicators.map((d) => [d.code, d]));
  return (
    <div className="layout-columns" data-testid="layout-columns">
      <h3>{t('desk.editor.columns')}</h3>
      {draft.head.columns
        .filter((c) => c.label !== '' && draft.columns[c.label])
        .map((c) => {
          const choice = draft.columns[c.label]!;
          const id = `col-${c.letter}`;
          const def = byCode.get(choice.indicator);
          return (
            <fieldset key={c.letter} className="layout-column" data-column={c.label} data-testid={`layout-column-${c.letter}`}>
              <legend>{t('desk.editor.column', { letter: c.letter, label: c.label })}</legend>
              {c.samples.some((x) => x !== '') ? <p className="small muted">{t('desk.editor.samples', { cells: c.samples.filter((x) => x !== '').join('; ') })}</p> : null}
              <label className="field">
                <span>{t('desk.editor.role')}</span>
                <select id={`${id}-role`} name={`${id}-role`} aria-label={t('desk.editor.roleOf', { label: c.label })} value={choice.role} onChange={(e) => dispatch({ type: 'role', column: c.label, role: e.target.value as ColumnRole })}>
                  {COLUMN_ROLES.map((r) => (
                    <option key={r} value={r}>
                      {t(`desk.editor.role.${r}`)}
                    </option>
                  ))}
                </select>
              </label>
              {choice.role === 'place' || choice.role === 'organisation' ? (
                <label className="field">
                  <span>{t(choice.role === 'place' ? 'desk.editor.placeBy' : 'desk.editor.organisationBy')}</span>
                  <select
                    name={`${id}-by`}
                    value={choice.role === 'place' ? draft.placeBy : draft.organisationBy}
                    onChange={(e) => dispatch(choice.role === 'place' ? { type: 'placeBy', by: e.target.value as 'code' | 'name' } : { type: 'organisationBy', by: e.target.value as 'code' | 'name' })}
                  >
                    <option value="code">{t('desk.editor.by.code')}</option>
                    <option value="name">{t('desk.editor.by.name')}</option>
                  </select>
                </label>
              ) : null}
              {choice.role === 'value' ? (
                <>
                  <label className="field">
                    <span>{t('desk.editor.indicator')}</span>
                    <select name={`${id}-indicator`} aria-label={t('desk.editor.indicatorOf', { label: c.label })} value={choice.indicator} onChange={(e) => dispatch({ type: 'indicator', column: c.label, indicator: e.target.value })}>
                      <option value="">{t('desk.editor.chooseIndicator')}</option>
                      {indicators.map((d) => (
                        <option key={d.code} value={d.code}>
                          {indicatorLabel(d, lang)}
                        </option>
                      ))}
                    </select>
                  </label>
                  {def ? (
                    <p className="small" data-testid="indicator-unit">
                      {t('desk.editor.indicatorUnit', { unit: def.unit || '—' })}
                    </p>
                  ) : null}
                  <label className="field">
                    <span>{t('desk.editor.unit')}</span>
                    <input name={`${id}-unit`} aria-label={t('desk.editor.unitOf', { label: c.label })} value={choice.unit} maxLength={32} placeholder={def?.unit ?? ''} onChange={(e) => dispatch({ type: 'unit', column: c.label, unit: e.target.value })} />
                  </label>
                  <label className="field">
                    <span>{t('desk.editor.status')}</span>
                    <select name={`${id}-status`} aria-label={t('desk.editor.statusOf', { label: c.label })} value={choice.status} onChange={(e) => dispatch({ type: 'status', column: c.label, status: e.target.value as ObservationStatus | '' })}>
                      <option value="">{t('desk.editor.statusAny')}</option>
                      {OBSERVATION_STATUSES.map((s) => (
                        <option key={s} value={s}>
                          {t(`status.${s}`)}
                        </option>
                      ))}
                    </select>
                  </label>
                </>
              ) : null}
            </fieldset>
          );
        })}
    </div>
  );
}

/** Where the period comes from when no column holds it, with what the sample says there. */
function PeriodForm({ draft, dispatch }: { draft: LayoutDraft; dispatch: (a: Parameters<typeof layoutReducer>[1]) => void }) {
  const { t, lang } = useI18n();
  const { head } = draft;
  return (
    <div className="layout-period" data-testid="layout-period">
      <label className="field">
        <span>{t('desk.editor.periodFrom')}</span>
        <select name="periodFrom" value={draft.periodFrom} onChange={(e) => dispatch({ type: 'periodFrom', from: e.target.value as PeriodOrigin })}>
          {PERIOD_ORIGINS.map((o) => (
            <option key={o} value={o}>
              {t(`desk.editor.periodFrom.${o}`)}
            </option>
          ))}
        </select>
      </label>
      {draft.periodFrom === 'title' && head.titlePeriod ? <p className="small" data-testid="layout-found">{t('desk.editor.foundTitle', { period: labelOf(head.titlePeriod.value, lang), cell: head.titlePeriod.cell })}</p> : null}
      {draft.periodFrom === 'file_name' && head.fileNamePeriod ? <p className="small" data-testid="layout-found">{t('desk.editor.foundName', { period: labelOf(head.fileNamePeriod, lang) })}</p> : null}
      {draft.periodFrom === 'cell' ? (
        <label className="field">
          <span>{t('desk.editor.periodCell')}</span>
          <input name="periodCell" value={draft.periodCell} maxLength={10} autoComplete="off" onChange={(e) => dispatch({ type: 'periodCell', cell: e.target.value })} />
        </label>
      ) : null}
      {draft.periodFrom === 'declared' ? (
        <label className="field">
          <span>{t('desk.editor.declaredPeriod')}</span>
          <input name="declaredPeriod" value={draft.declaredPeriod} maxLength={40} autoComplete="off" onChange={(e) => dispatch({ type: 'declaredPeriod', period: e.target.value })} />
        </label>
      ) : null}
    </div>
  );
}

type PreviewRow = {
  place?: unknown;
  indicator?: unknown;
  period?: unknown;
  value?: unknown;
  unit?: unknown;
  stored?: { place: string; placeName: string | null; value: number; unit: string };
  previous?: { value: number; status: string };
};

const text = (v: unknown): string => (typeof v === 'string' || typeof v === 'number' ? String(v) : '');

/** The column a refusal names ("Line 5, column "Giải thể": …"), if any. */
export function refusedColumn(message: string): string | null {
  return /column "([^"]+)"/.exec(message)?.[1] ?? null;
}

/** The dry run of the layout: the first rows as they will be stored (old → new for a revision), then each refused cell with its reason. */
export function TriedRows({ result, indicators }: { result: IngestResult; indicators: readonly IndicatorDefinition[] }) {
  const { t, lang } = useI18n();
  const units = new Map(indicators.map((d) => [d.code, d.unit]));
  const rows = (result.preview ?? []) as PreviewRow[];
  const number = (v: number) => formatNumber(v, lang, 12);
  return (
    <div role="status" data-testid="layout-preview">
      <IngestSummary result={result} />
      <FileLayoutNote result={result} />
      {rows.length > 0 ? (
        <>
          <p className="small">{t('desk.editor.stored')}</p>
          <div className="table-scroll">
            <table className="data-table" data-testid="layout-stored">
              <thead>
                <tr>
                  <th scope="col">{t('desk.editor.col.place')}</th>
                  <th scope="col">{t('desk.editor.col.indicator')}</th>
                  <th scope="col">{t('desk.editor.col.period')}</th>
                  <th scope="col" className="num">
                    {t('desk.editor.col.value')}
                  </th>
                  <th scope="col">{t('desk.editor.col.change')}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r, i) => {
                  const value = r.stored?.value ?? (typeof r.value === 'number' ? r.value : null);
                  const unit = r.stored?.unit ?? units.get(text(r.indicator)) ?? '';
                  return (
                    <tr key={i}>
                      <td>{r.stored ? `${r.stored.place}${r.stored.placeName ? ` ${r.stored.placeName}` : ''}` : text(r.place)}</td>
                      <td>{text(r.indicator)}</td>
                      <td>{typeof r.period === 'string' ? labelOf(r.period, lang) : ''}</td>
                      <td className="num">
                        {value === null ? text(r.value) : number(value)} {unit}
                      </td>
                      <td>
                        {!r.previous
                          ? t('desk.editor.new')
                          : value !== null && r.previous.value === value
                            ? t('desk.editor.same')
                            : t('desk.editor.revised', { old: number(r.previous.value), new: value === null ? text(r.value) : number(value) })}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </>
      ) : null}
      {result.rejectedRows.length > 0 ? (
        <>
          <p className="small">{t('desk.editor.rejected', { n: result.rejected })}</p>
          <div className="table-scroll">
            <table className="data-table" data-testid="layout-rejected">
              <thead>
                <tr>
                  <th scope="col" className="num">
                    {t('desk.editor.col.line')}
                  </th>
                  <th scope="col">{t('desk.editor.col.column')}</th>
                  <th scope="col">{t('desk.editor.col.reason')}</th>
                </tr>
              </thead>
              <tbody>
                {result.rejectedRows.map((r, i) => (
                  <tr key={i}>
                    <td className="num">{r.line ?? '—'}</td>
                    <td>{refusedColumn(r.message) ?? '—'}</td>
                    <td>
                      {REJECTION_REASONS[r.reason][lang]}
                      <div className="small muted">{r.message}</div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : null}
    </div>
  );
}
