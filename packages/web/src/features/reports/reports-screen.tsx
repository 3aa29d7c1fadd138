import { useState } from 'react';
import { grantsAllow, reportsApi, type IsoDate, type ReportTemplate, type ReportTemplateSummary } from '@watchfloor/core';
import { toApiError, type ApiError } from '../../lib/api';
import { call, fresh } from '../../lib/client';
import { ErrorPanel, errorMessageKey } from '../../lib/error-panel';
import { useI18n } from '../../lib/i18n/i18n';
import { isMessageKey } from '../../lib/i18n/translate';
import { Loading } from '../../lib/loading';
import { useSession } from '../../lib/session';
import { useRequest } from '../../lib/use-request';
import { lastWholeMonth, reportFormats, reportHref, templateProblems } from './reports-model';
import './reports.css';

/** The reports screen (/reports): the monthly report of each template downloaded for a month; a data steward edits the templates. */
export function ReportsScreen({ today }: { today: IsoDate }) {
  const session = useSession();
  const state = useRequest(fresh(reportsApi.list));
  if (state.error) return <ErrorPanel error={state.error} onRetry={state.retry} />;
  if (!state.data) return <Loading />;
  const edits = session.status === 'user' && grantsAllow(session.user.roles, 'catalogue.manage');
  return <ReportsView templates={state.data.templates} initialPeriod={lastWholeMonth(today)} edits={edits} />;
}

export function ReportsView({ templates, initialPeriod, edits }: { templates: ReportTemplateSummary[]; initialPeriod: string; edits: boolean }) {
  const { t, lang } = useI18n();
  const [period, setPeriod] = useState(initialPeriod);
  const [editing, setEditing] = useState<string | null>(null);
  const formats = reportFormats();
  return (
    <div className="screen reports" data-testid="reports">
      <h1>{t('reports.title')}</h1>
      <p>{t('reports.intro')}</p>
      <label className="field reports-period">
        <span>{t('reports.period')}</span>
        <input type="month" name="period" value={period} required onChange={(e) => e.target.value && setPeriod(e.target.value)} />
      </label>
      {templates.length === 0 ? <p className="muted">{t('reports.none')}</p> : null}
      <ul className="reports-list">
        {templates.map((r) => (
          <li key={r.code} className="reports-item" data-testid={`report-${r.code}`}>
            <div>
              <h2>{r.title[lang] || r.title.vi}</h2>
              <p className="muted small">
                {t('reports.sections', { n: r.sections })}
                {r.demo ? ` · ${t('reports.demo')}` : ''}
              </p>
            </div>
            <div className="reports-actions">
              {formats.map((f) => (
                <a key={f} className="button" href={reportHref(r.code, period, f)} download>
                  {t(f === 'pdf' ? 'reports.pdf' : 'reports.docx')}
                </a>
              ))}
              {edits ? (
                <button type="button" className="button" aria-expanded={editing === r.code} onClick={() => setEditing(editing === r.code ? null : r.code)}>
                  {t('reports.edit')}
                </button>
              ) : null}
            </div>
            {edits && editing === r.code ? <TemplateEditorLoader code={r.code} /> : null}
          </li>
        ))}
      </ul>
    </div>
  );
}

function TemplateEditorLoader({ code }: { code: string }) {
  const state = useRequest(fresh(reportsApi.detail, { params: { code } }));
  if (state.error) return <ErrorPanel error={state.error} onRetry={state.retry} />;
  if (!state.data) return <Loading />;
  return <TemplateEditor template={state.data} onSave={(body) => call(reportsApi.save, { params: { code }, body })} />;
}

/** A template's sections, read-only, and its JSON to edit; the server checks it and says what is wrong. */
export function TemplateEditor({ template, onSave }: { template: ReportTemplate; onSave: (t: ReportTemplate) => Promise<ReportTemplate> }) {
  const { t } = useI18n();
  const [saved, setSaved] = useState(template);
  const [text, setText] = useState(() => JSON.stringify(template, null, 2));
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<'idle' | 'saved' | 'notJson'>('idle');
  const [error, setError] = useState<ApiError | null>(null);
  const save = async () => {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      setError(null);
      setStatus('notJson');
      return;
    }
    setBusy(true);
    setError(null);
    setStatus('idle');
    try {
      const answer = await onSave(body as ReportTemplate);
      setSaved(answer);
      setText(JSON.stringify(answer, null, 2));
      setStatus('saved');
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setBusy(false);
    }
  };
  const problems = error ? templateProblems(error.details) : [];
  const reason = (r: string) => {
    const key = `reports.reason.${r}`;
    return isMessageKey(key) ? t(key) : null;
  };
  return (
    <div className="reports-editor" data-testid="report-editor">
      <h3>{t('reports.sectionsHeading')}</h3>
      <ol className="reports-sections">
        {saved.sections.map((s, i) => (
          <li key={i}>
            <strong>{s.heading ?? t('reports.untitled')}</strong>{' '}
            <span className="muted small">
              {s.kind === 'text'
                ? t('reports.kind.text', { n: s.paragraphs.length })
                : s.kind === 'chart'
                  ? t(s.chart === 'months' ? 'reports.kind.chartMonths' : 'reports.kind.chartPlaces', { code: s.indicator })
                  : t(s.by === 'place' ? 'reports.kind.byPlace' : 'reports.kind.byOrganisation', { n: s.indicators.length })}
            </span>
          </li>
        ))}
      </ol>
      <label className="field">
        <span>{t('reports.json')}</span>
        <textarea name="template" rows={16} spellCheck={false} value={text} onChange={(e) => setText(e.target.value)} />
      </label>
      <div>
        <button type="button" className="button primary" disabled={busy} onClick={() => void save()}>
          {busy ? t('reports.saving') : t('reports.save')}
        </button>
      </div>
      {status === 'notJson' ? (
        <p className="field-error" role="alert">
          {t('reports.notJson')}
        </p>
      ) : null}
      {error ? (
        <div className="field-error" role="alert">
          <p>{t(errorMessageKey(error.code))}</p>
          {problems.length ? (
            <ul>
              {problems.map((p, i) => (
                <li key={i}>
                  <code>{p.path}</code>: {reason(p.reason) ?? ''} <span className="muted">({p.message})</span>
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
      {status === 'saved' ? (
        <p className="small" role="status">
          {t('reports.saved')}
        </p>
      ) : null}
    </div>
  );
}
