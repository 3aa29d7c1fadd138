import { FILE_ENCODINGS, type FileEncoding, type IngestResult, type Source, type stationsApi } from '@watchfloor/core';
import { useReducer, useState } from 'react';
import { toApiError, type ApiError } from '../../lib/api';
import { useI18n } from '../../lib/i18n/i18n';
import { Link } from '../../lib/router';
import { deskApi } from './desk-api';
import { Refused } from './desk-nav';
import { dataDeskUrl } from './desk-routes';
import { FileLayoutNote } from './file-layout';
import { RejectedTable } from './rejected-table';
import { StoredAsNote } from './stored-as';
import { commitReady, initialUpload, uploadReducer, type EncodingChoice, type NumberChoice, type UploadState } from './upload-state';

/** Counts of an ingest answer in words: read, accepted (new, revised, unchanged), rejected. */
export function IngestSummary({ result }: { result: IngestResult }) {
  const { t } = useI18n();
  return (
    <p className="ingest-summary" data-testid="ingest-summary">
      {t(result.dryRun ? 'desk.upload.wouldAccept' : 'desk.upload.accepted', { accepted: result.accepted, read: result.rowsRead })}
      {/* A dry run counts what it would accept, not what is new or revised: the rows previewed say that one by one. */}
      {result.dryRun ? '. ' : <> {t('desk.upload.breakdown', { created: result.created, revised: result.revised, unchanged: result.unchanged })} </>}
      <strong className={result.rejected > 0 ? 'bad' : undefined}>{t('desk.upload.rejected', { n: result.rejected })}</strong>
      {result.numberStyle !== undefined ? <> {t(result.numberStyle ? `desk.upload.numbers.${result.numberStyle}` : 'desk.upload.numbers.none')}</> : null}
      {result.encoding ? (
        <>
          {' '}
          {t(`desk.upload.encoding.${result.encoding.chosenBy}`, { name: ENCODING_LABELS[result.encoding.encoding] })}
          {result.encoding.sample !== null ? (
            <span className="encoding-sample" data-testid="encoding-sample">
              {t('desk.upload.encoding.sample')} <q lang="vi">{result.encoding.sample}</q>
            </span>
          ) : null}
        </>
      ) : null}
    </p>
  );
}

/** The encodings an officer may declare, by the names the tools that write them use. */
const ENCODING_LABELS: Record<FileEncoding, string> = { 'utf-8': 'UTF-8', 'utf-16': 'UTF-16', 'windows-1258': 'Windows-1258', tcvn3: 'TCVN3 (ABC, .VnTime)', vni: 'VNI (VNI-Times)' };

/** File upload: the dry run first (nothing written), then commit the same file. */
export function FileUpload({ source, onCommitted }: { source: Source; onCommitted: () => void }) {
  const { t } = useI18n();
  const [state, dispatch] = useReducer(uploadReducer, initialUpload);
  const numbers = state.step === 'empty' ? 'auto' : state.numbers;
  const encoding = state.step === 'empty' ? 'auto' : state.encoding;
  const period = state.step === 'empty' ? '' : state.period;

  const preview = async () => {
    if (state.step === 'empty') return;
    dispatch({ type: 'preview' });
    try {
      dispatch({ type: 'previewed', result: await deskApi.upload(source.code, state.file, { dryRun: true, numbers: state.numbers, encoding: state.encoding, period: state.period }) });
    } catch (err) {
      dispatch({ type: 'failed', error: toApiError(err) });
    }
  };
  const commit = async () => {
    if (!commitReady(state) || state.step === 'empty') return;
    dispatch({ type: 'commit' });
    try {
      dispatch({ type: 'committed', result: await deskApi.upload(source.code, state.file, { dryRun: false, numbers: state.numbers, encoding: state.encoding, period: state.period }) });
      onCommitted();
    } catch (err) {
      dispatch({ type: 'failed', error: toApiError(err) });
    }
  };

  return (
    <section className="panel" aria-labelledby="upload-title" data-testid="file-upload" data-step={state.step}>
      <h2 id="upload-title">{t('desk.upload.title')}</h2>
      <p className="small muted">{t('desk.upload.intro')}</p>
      <div className="desk-inline-form">
        <label className="field">
          <span>{t('desk.upload.file')}</span>
          <input
            type="file"
            name="file"
            accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            onChange={(e) => dispatch({ type: 'choose', file: e.target.files?.[0] ?? null })}
          />
        </label>
        <label className="field">
          <span>{t('desk.upload.numbers')}</span>
          <select name="numbers" value={numbers} disabled={state.step === 'empty'} onChange={(e) => dispatch({ type: 'numbers', numbers: e.target.value as NumberChoice })}>
            <option value="auto">{t('desk.upload.numbers.auto')}</option>
            <option value="vi">1.234,5</option>
            <option value="en">1,234.5</option>
          </select>
        </label>
        <label className="field">
          <span>{t('desk.upload.encoding')}</span>
          <select name="encoding" value={encoding} disabled={state.step === 'empty'} onChange={(e) => dispatch({ type: 'encoding', encoding: e.target.value as EncodingChoice })}>
            <option value="auto">{t('desk.upload.encoding.auto')}</option>
            {FILE_ENCODINGS.map((x) => (
              <option key={x} value={x}>
                {ENCODING_LABELS[x]}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t('desk.upload.period')}</span>
          <input name="period" value={period} placeholder={t('desk.upload.periodHint')} maxLength={40} disabled={state.step === 'empty'} onChange={(e) => dispatch({ type: 'period', period: e.target.value })} />
        </label>
        <button type="button" className="button" disabled={state.step === 'empty' || state.step === 'previewing' || state.step === 'committing'} onClick={() => void preview()}>
          {state.step === 'previewing' ? t('desk.upload.checking') : t('desk.upload.preview')}
        </button>
      </div>
      <UploadOutcome state={state} source={source.code} onCommit={() => void commit()} onRecheck={() => void preview()} />
    </section>
  );
}

/** `onRecheck`: checks the same file again (after an alias was added from a rejected row). */
export function UploadOutcome({ state, source, onCommit, onRecheck }: { state: UploadState; source: string; onCommit: () => void; onRecheck?: () => void }) {
  const { t } = useI18n();
  switch (state.step) {
    case 'empty':
    case 'chosen':
    case 'previewing':
      return null;
    case 'failed':
      return <Refused error={state.error} />;
    case 'committed':
      return (
        <div role="status" data-testid="upload-committed">
          <p>
            <strong>{t('desk.upload.done', { name: state.file.name })}</strong>
          </p>
          <IngestSummary result={state.result} />
          <FileLayoutNote result={state.result} />
          {state.result.runId !== null && state.result.rejected > 0 ? <Link to={dataDeskUrl({ source, run: state.result.runId })}>{t('desk.upload.seeRejected')}</Link> : null}
        </div>
      );
    case 'previewed':
    case 'committing': {
      const p = state.preview;
      return (
        <div role="status" data-testid="upload-preview">
          <h3>{t('desk.upload.previewOf', { name: state.file.name })}</h3>
          <IngestSummary result={p} />
          <FileLayoutNote result={p} />
          <StoredAsNote result={p} />
          {p.rejectedRows.length > 0 ? <RejectedTable rows={p.rejectedRows} alias={onRecheck ? { source, onAdded: onRecheck } : undefined} /> : null}
          {commitReady(state) || state.step === 'committing' ? (
            <button type="button" className="button primary" disabled={state.step === 'committing'} onClick={onCommit}>
              {state.step === 'committing' ? t('desk.saving') : t('desk.upload.commit', { n: p.accepted })}
            </button>
          ) : (
            <p className="field-error">{t('desk.upload.nothingToCommit')}</p>
          )}
        </div>
      );
    }
  }
}

/** Whether a source takes sensor exports: its mapping names a file's sites or parameters. */
export function takesSensorExport(source: Source): boolean {
  const sensors = source.mapping?.sensors;
  return Boolean(sensors?.stations ?? sensors?.datastreams);
}

type ReadingsState =
  | { step: 'empty' }
  | { step: 'chosen' | 'sending'; file: File }
  | { step: 'done'; file: File; result: stationsApi.ReadingsUploadResult }
  | { step: 'failed'; file: File; error: ApiError };

/** Sensor export upload: the hourly readings go in as the file arrives (the route has no dry run), then the answer is shown. */
export function ReadingsUpload({ source, onCommitted }: { source: Source; onCommitted: () => void }) {
  const { t } = useI18n();
  const [state, setState] = useState<ReadingsState>({ step: 'empty' });
  const send = async () => {
    if (state.step === 'empty' || state.step === 'sending') return;
    const file = state.file;
    setState({ step: 'sending', file });
    try {
      setState({ step: 'done', file, result: await deskApi.uploadReadings(source.code, file) });
      onCommitted();
    } catch (err) {
      setState({ step: 'failed', file, error: toApiError(err) });
    }
  };
  return (
    <section className="panel" aria-labelledby="readings-upload-title" data-testid="readings-upload" data-step={state.step}>
      <h2 id="readings-upload-title">{t('desk.readings.title')}</h2>
      <p className="small muted">{t('desk.readings.intro')}</p>
      <p className="small muted">{t('desk.readings.noPreview')}</p>
      <div className="desk-inline-form">
        <label className="field">
          <span>{t('desk.readings.file')}</span>
          <input
            type="file"
            name="file"
            accept=".csv,text/csv"
            onChange={(e) => {
              const file = e.target.files?.[0];
              setState(file ? { step: 'chosen', file } : { step: 'empty' });
            }}
          />
        </label>
        <button type="button" className="button primary" disabled={state.step === 'empty' || state.step === 'sending'} onClick={() => void send()}>
          {state.step === 'sending' ? t('desk.saving') : t('desk.readings.send')}
        </button>
      </div>
      {state.step === 'failed' ? <Refused error={state.error} /> : null}
      {state.step === 'done' ? <ReadingsOutcome name={state.file.name} result={state.result} source={source.code} /> : null}
    </section>
  );
}

/** What a sensor export did: the counts, the daily figures written, and the rejected rows with their reasons in the reader's language. */
export function ReadingsOutcome({ name, result, source }: { name: string; result: stationsApi.ReadingsUploadResult; source: string }) {
  const { t } = useI18n();
  return (
    <div role="status" data-testid="readings-committed">
      <p>
        <strong>{t('desk.upload.done', { name })}</strong>
      </p>
      <IngestSummary result={result} />
      <p data-testid="readings-figures">{t('desk.readings.figures', { n: result.figures })}</p>
      {result.rejectedRows.length > 0 ? (
        <div data-testid="readings-rejected">
          <RejectedTable rows={result.rejectedRows} />
        </div>
      ) : null}
      {result.runId !== null && result.rejected > result.rejectedRows.length ? <Link to={dataDeskUrl({ source, run: result.runId })}>{t('desk.upload.seeRejected')}</Link> : null}
    </div>
  );
}
