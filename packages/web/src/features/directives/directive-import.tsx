import { useState } from 'react';
import { directivesApi, grantsAllow, sourcesApi, type IngestResult, type Source } from '@watchfloor/core';
import { call, fresh, hrefOf } from '../../lib/client';
import { toApiError, type ApiError } from '../../lib/api';
import { useI18n } from '../../lib/i18n/i18n';
import { useSession } from '../../lib/session';
import { useRequest } from '../../lib/use-request';
import { RejectedTable } from '../desk/rejected-table';
import { DirRefused } from './directive-parts';

export type ImportStep = { step: 'idle' } | { step: 'checking' | 'saving' } | { step: 'checked'; result: IngestResult } | { step: 'saved'; result: IngestResult } | { step: 'failed'; error: ApiError };

/** A directive file to a directive source: a dry run first (nothing written), then the same file saved. */
function upload(code: string, file: File, dryRun: boolean): Promise<IngestResult> {
  const body = new FormData();
  body.append('file', file, file.name);
  return call(directivesApi.upload, { params: { code }, query: { dryRun: dryRun ? 'true' : undefined }, body });
}

/**
 * The leader's office's import of a directive file from the document
 * management system (one row per task), on the directives screen: the
 * template, the file checked first with the accepted and refused rows (each
 * with its line, column and reason), then saved. Shown only to those who
 * may manage directives.
 */
export function DirectiveImport() {
  const session = useSession();
  const manages = session.status === 'user' && grantsAllow(session.user.roles, 'directives.manage');
  return manages ? <ImportPanel /> : null;
}

function ImportPanel() {
  const sources = useRequest(fresh(sourcesApi.list, {}));
  const [chosen, setChosen] = useState<string>('');
  const [file, setFile] = useState<File | null>(null);
  const [state, setState] = useState<ImportStep>({ step: 'idle' });
  const directiveSources = sources.data ? sources.data.sources.filter((s) => s.mapping?.target === 'directives' && s.enabled) : undefined;
  const code = chosen || directiveSources?.[0]?.code || '';

  const run = async (dryRun: boolean) => {
    if (!file || !code) return;
    setState({ step: dryRun ? 'checking' : 'saving' });
    try {
      const result = await upload(code, file, dryRun);
      setState(dryRun ? { step: 'checked', result } : { step: 'saved', result });
    } catch (err) {
      setState({ step: 'failed', error: toApiError(err) });
    }
  };

  return (
    <ImportPanelView
      sources={directiveSources}
      code={code}
      fileName={file?.name ?? null}
      state={state}
      onSource={setChosen}
      onFile={(f) => {
        setFile(f);
        setState({ step: 'idle' });
      }}
      onCheck={() => void run(true)}
      onSave={() => void run(false)}
    />
  );
}

/**
 * The import panel as the office sees it: the template, the directive
 * sources to upload to (or that there is none yet; `undefined` while they
 * load), the file, and the check or the save with its refused rows.
 */
export function ImportPanelView({
  sources,
  code,
  fileName,
  state,
  onSource,
  onFile,
  onCheck,
  onSave,
}: {
  sources: readonly Pick<Source, 'code' | 'name'>[] | undefined;
  code: string;
  fileName: string | null;
  state: ImportStep;
  onSource: (code: string) => void;
  onFile: (file: File | null) => void;
  onCheck: () => void;
  onSave: () => void;
}) {
  const { t } = useI18n();
  return (
    <section className="panel directive-import" aria-labelledby="dir-import-title" data-testid="directive-import">
      <h2 id="dir-import-title">{t('dirImport.title')}</h2>
      <p className="small muted">{t('dirImport.intro')}</p>
      <p>
        <a href={hrefOf(directivesApi.template, {})} download>
          {t('dirImport.template')}
        </a>
      </p>
      {sources && sources.length === 0 ? (
        <p className="muted">{t('dirImport.noSource')}</p>
      ) : (
        <div className="directive-import-form">
          <label className="field">
            <span>{t('dirImport.source')}</span>
            <select name="source" value={code} onChange={(e) => onSource(e.target.value)}>
              {(sources ?? []).map((s) => (
                <option key={s.code} value={s.code}>
                  {s.name} ({s.code})
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span>{t('dirImport.file')}</span>
            <input
              type="file"
              name="file"
              accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
              onChange={(e) => onFile(e.target.files?.[0] ?? null)}
            />
          </label>
          <button type="button" className="button" disabled={fileName === null || !code || state.step === 'checking' || state.step === 'saving'} onClick={onCheck}>
            {state.step === 'checking' ? t('dirImport.checking') : t('dirImport.check')}
          </button>
        </div>
      )}
      <Outcome state={state} name={fileName ?? ''} onSave={onSave} />
    </section>
  );
}

function Summary({ result }: { result: IngestResult }) {
  const { t } = useI18n();
  return (
    <p data-testid="directive-import-summary">
      {t('dirImport.summary', { accepted: result.accepted, read: result.rowsRead, created: result.created, revised: result.revised, unchanged: result.unchanged })}{' '}
      <strong className={result.rejected > 0 ? 'bad' : undefined}>{t('dirImport.rejected', { n: result.rejected })}</strong>
    </p>
  );
}

function Outcome({ state, name, onSave }: { state: ImportStep; name: string; onSave: () => void }) {
  const { t } = useI18n();
  switch (state.step) {
    case 'idle':
    case 'checking':
    case 'saving':
      return null;
    case 'failed':
      return <DirRefused error={state.error} />;
    case 'saved':
      return (
        <div role="status" data-testid="directive-import-saved">
          <p>
            <strong>{t('dirImport.done', { name })}</strong>
          </p>
          <Summary result={state.result} />
          {state.result.rejectedRows.length > 0 ? <RejectedTable rows={state.result.rejectedRows} /> : null}
        </div>
      );
    case 'checked':
      return (
        <div role="status" data-testid="directive-import-preview">
          <h3>{t('dirImport.previewOf', { name })}</h3>
          <Summary result={state.result} />
          {state.result.rejectedRows.length > 0 ? <RejectedTable rows={state.result.rejectedRows} /> : null}
          {state.result.accepted > 0 ? (
            <button type="button" className="button primary" onClick={onSave}>
              {t('dirImport.commit', { n: state.result.accepted })}
            </button>
          ) : (
            <p className="field-error">{t('dirImport.nothing')}</p>
          )}
        </div>
      );
  }
}
