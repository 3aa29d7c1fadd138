import { useState } from 'react';
import { grantsAllow, reportsApi, SCHEDULE_EXPORT_FORMATS, SCHEDULE_REPORT_FORMATS, SCHEDULED_EXPORTS, type ReportTemplateSummary } from '@watchfloor/core';
import { toApiError, type ApiError } from '../../lib/api';
import { call, fresh, hrefOf } from '../../lib/client';
import { ErrorPanel, errorMessageKey } from '../../lib/error-panel';
import { formatInstant } from '../../lib/i18n/format';
import { useI18n } from '../../lib/i18n/i18n';
import { Loading } from '../../lib/loading';
import { useSession } from '../../lib/session';
import { useRequest } from '../../lib/use-request';
import { cronWords, draftOf, EMPTY_DRAFT, scheduleBody, type ScheduleDraft } from './schedules-model';
import './schedules.css';

type Schedule = reportsApi.ScheduleView;
type Rendering = reportsApi.RenderingView;

/**
 * The report schedules of /reports, for data stewards (the routes are
 * theirs; others see nothing of it): each schedule with its cron in words,
 * next run and recipients; a form to add or change one, the server's
 * refusals shown; and each schedule's archive with the files to download.
 */
export function ReportSchedulesSection() {
  const session = useSession();
  const keeps = session.status === 'user' && grantsAllow(session.user.roles, 'catalogue.manage');
  return keeps ? <SchedulesLoader /> : null;
}

function SchedulesLoader() {
  const schedules = useRequest(fresh(reportsApi.schedules));
  const templates = useRequest(fresh(reportsApi.list));
  const { t } = useI18n();
  return (
    <section className="screen schedules" data-testid="report-schedules" aria-labelledby="schedules-title">
      <h2 id="schedules-title">{t('schedules.title')}</h2>
      <p className="muted small">{t('schedules.intro')}</p>
      {schedules.error ? <ErrorPanel error={schedules.error} onRetry={schedules.retry} /> : null}
      {!schedules.data || !templates.data ? (
        schedules.error ? null : <Loading />
      ) : (
        <SchedulesView schedules={schedules.data.schedules} templates={templates.data.templates} onChanged={schedules.retry} />
      )}
    </section>
  );
}

export function SchedulesView({ schedules, templates, onChanged }: { schedules: Schedule[]; templates: ReportTemplateSummary[]; onChanged: () => void }) {
  const { t } = useI18n();
  const [editing, setEditing] = useState<string | null>(null);
  return (
    <>
      {schedules.length === 0 ? <p className="muted">{t('schedules.none')}</p> : null}
      <ul className="schedules-list">
        {schedules.map((s) => (
          <ScheduleItem key={s.code} schedule={s} templates={templates} editing={editing === s.code} onEdit={() => setEditing(editing === s.code ? null : s.code)} onChanged={onChanged} />
        ))}
      </ul>
      <div>
        <button type="button" className="button" aria-expanded={editing === ''} onClick={() => setEditing(editing === '' ? null : '')}>
          {t('schedules.new')}
        </button>
      </div>
      {editing === '' ? (
        <ScheduleForm
          initial={{ ...EMPTY_DRAFT, template: templates[0]?.code ?? '' }}
          templates={templates}
          onSaved={() => {
            setEditing(null);
            onChanged();
          }}
        />
      ) : null}
    </>
  );
}

function ScheduleItem({ schedule: s, templates, editing, onEdit, onChanged }: { schedule: Schedule; templates: ReportTemplateSummary[]; editing: boolean; onEdit: () => void; onChanged: () => void }) {
  const { t, lang } = useI18n();
  const [archive, setArchive] = useState(false);
  const [running, setRunning] = useState(false);
  const [runs, setRuns] = useState(0);
  const [error, setError] = useState<ApiError | null>(null);
  const template = s.kind === 'report' ? templates.find((x) => x.code === s.template) : undefined;
  const name = s.kind === 'report' ? t('schedules.report', { name: template ? template.title[lang] || template.title.vi : s.template }) : t('schedules.export', { name: `${t(`schedules.table.${s.export.table}`)}${s.export.indicator ? ` ${s.export.indicator}` : ''}` });
  const run = async () => {
    setRunning(true);
    setError(null);
    try {
      await call(reportsApi.runSchedule, { params: { code: s.code } });
      setArchive(true);
      setRuns((n) => n + 1);
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setRunning(false);
    }
  };
  return (
    <li className="schedules-item" data-testid={`schedule-${s.code}`}>
      <div className="schedules-head">
        <h3>{name}</h3>
        <p className="small">
          <code>{s.code}</code> · {cronWords(s.cron, t) ?? <code>{s.cron}</code>} · {s.format.toUpperCase()} · {t(`schedules.period.${s.period}`)}
        </p>
        <p className="small muted">
          {s.enabled && s.nextRunAt ? t('schedules.nextRun', { at: formatInstant(s.nextRunAt, lang) }) : t('schedules.disabled')}
          {s.owner ? ` · ${t('schedules.owner', { login: s.owner })}` : ''}
        </p>
        <p className="small muted schedules-recipients">{t('schedules.recipients', { list: s.recipients.join(', ') })}</p>
      </div>
      <div className="schedules-actions">
        <button type="button" className="button" aria-expanded={editing} onClick={onEdit}>
          {t('schedules.edit')}
        </button>
        <button type="button" className="button" disabled={running} onClick={() => void run()}>
          {running ? t('schedules.running') : t('schedules.run')}
        </button>
        <button type="button" className="button" aria-expanded={archive} onClick={() => setArchive(!archive)}>
          {t('schedules.archive')}
        </button>
      </div>
      {error ? (
        <p className="field-error" role="alert">
          {t(errorMessageKey(error.code))}
        </p>
      ) : null}
      {editing ? <ScheduleForm initial={draftOf(s)} templates={templates} fixedCode onSaved={onChanged} /> : null}
      {archive ? <RenderingsLoader key={runs} code={s.code} /> : null}
    </li>
  );
}

function RenderingsLoader({ code }: { code: string }) {
  const state = useRequest(fresh(reportsApi.renderings, { params: { code } }));
  if (state.error) return <ErrorPanel error={state.error} onRetry={state.retry} />;
  if (!state.data) return <Loading />;
  return <Renderings code={code} renderings={state.data.renderings} />;
}

/** A schedule's archive, newest first: each run's period, time, short hash, deliveries, and its file. */
export function Renderings({ code, renderings }: { code: string; renderings: Rendering[] }) {
  const { t, lang } = useI18n();
  if (renderings.length === 0) return <p className="muted small schedules-archive">{t('schedules.renderings.none')}</p>;
  return (
    <ul className="schedules-archive" data-testid={`archive-${code}`}>
      {renderings.map((r) => (
        <li key={r.id} className="schedules-rendering" data-testid={`rendering-${r.id}`}>
          <div>
            <strong>{r.periodKey}</strong> · <span className="small">{formatInstant(r.renderedAt, lang)}</span>
            {r.sha256 ? (
              <>
                {' '}
                · <code className="small" title={r.sha256}>
                  {t('schedules.renderings.hash')} {r.sha256.slice(0, 12)}
                </code>
              </>
            ) : null}
          </div>
          {r.status === 'failed' ? (
            <p className="field-error small">{t('schedules.renderings.failed', { error: r.error ?? '' })}</p>
          ) : (
            <a className="button" href={hrefOf(reportsApi.renderingFile, { params: { code, id: r.id } })} download>
              {t('schedules.renderings.download')} ({r.format.toUpperCase()})
            </a>
          )}
          {r.deliveries.length ? (
            <ul className="small schedules-deliveries">
              {r.deliveries.map((d) => (
                <li key={d.address}>
                  {d.address}: {t(`schedules.delivery.${d.status}`)}
                  {d.lastError ? <span className="muted"> ({d.lastError})</span> : null}
                </li>
              ))}
            </ul>
          ) : null}
        </li>
      ))}
    </ul>
  );
}

/** Adds or changes a schedule; the server checks it and its refusal is shown as it says it. */
export function ScheduleForm({ initial, templates, fixedCode = false, onSaved }: { initial: ScheduleDraft; templates: ReportTemplateSummary[]; fixedCode?: boolean; onSaved: () => void }) {
  const { t, lang } = useI18n();
  const [d, setD] = useState(initial);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [saved, setSaved] = useState(false);
  const set = <K extends keyof ScheduleDraft>(k: K, v: ScheduleDraft[K]) => setD((x) => ({ ...x, [k]: v }));
  const formats: readonly string[] = d.kind === 'report' ? SCHEDULE_REPORT_FORMATS : SCHEDULE_EXPORT_FORMATS;
  const save = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setSaved(false);
    try {
      await call(reportsApi.saveSchedule, { params: { code: d.code.trim() || '-' }, body: scheduleBody(d) });
      setSaved(true);
      onSaved();
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="schedules-form" data-testid="schedule-form" onSubmit={(e) => void save(e)} noValidate>
      <label className="field">
        <span>
          {t('schedules.form.code')} <span className="muted small">({t('schedules.form.codeHint')})</span>
        </span>
        <input name="code" value={d.code} readOnly={fixedCode} required onChange={(e) => set('code', e.target.value)} />
      </label>
      <label className="field">
        <span>{t('schedules.form.kind')}</span>
        <select name="kind" value={d.kind} onChange={(e) => setD((x) => ({ ...x, kind: e.target.value === 'export' ? 'export' : 'report', format: e.target.value === 'export' ? 'xlsx' : 'docx' }))}>
          <option value="report">{t('schedules.form.kind.report')}</option>
          <option value="export">{t('schedules.form.kind.export')}</option>
        </select>
      </label>
      {d.kind === 'report' ? (
        <label className="field">
          <span>{t('schedules.form.template')}</span>
          <select name="template" value={d.template} onChange={(e) => set('template', e.target.value)}>
            {templates.map((x) => (
              <option key={x.code} value={x.code}>
                {x.title[lang] || x.title.vi}
              </option>
            ))}
          </select>
        </label>
      ) : (
        <>
          <label className="field">
            <span>{t('schedules.form.table')}</span>
            <select name="table" value={d.table} onChange={(e) => set('table', SCHEDULED_EXPORTS.find((x) => x === e.target.value) ?? 'cases')}>
              {SCHEDULED_EXPORTS.map((x) => (
                <option key={x} value={x}>
                  {t(`schedules.table.${x}`)}
                </option>
              ))}
            </select>
          </label>
          {d.table === 'breakdown' ? (
            <label className="field">
              <span>{t('schedules.form.indicator')}</span>
              <input name="indicator" value={d.indicator} onChange={(e) => set('indicator', e.target.value)} />
            </label>
          ) : null}
          <label className="field">
            <span>{t('schedules.form.query')}</span>
            <input name="query" value={d.query} onChange={(e) => set('query', e.target.value)} />
          </label>
        </>
      )}
      <label className="field">
        <span>{t('schedules.form.format')}</span>
        <select name="format" value={d.format} onChange={(e) => set('format', e.target.value)}>
          {formats.map((f) => (
            <option key={f} value={f}>
              {f.toUpperCase()}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>
          {t('schedules.form.cron')} <span className="muted small">({cronWords(d.cron, t) ?? t('schedules.form.cronHint')})</span>
        </span>
        <input name="cron" value={d.cron} required onChange={(e) => set('cron', e.target.value)} />
      </label>
      <label className="field">
        <span>{t('schedules.form.period')}</span>
        <select name="period" value={d.period} onChange={(e) => set('period', e.target.value === 'last_quarter' ? 'last_quarter' : 'last_month')}>
          <option value="last_month">{t('schedules.period.last_month')}</option>
          <option value="last_quarter">{t('schedules.period.last_quarter')}</option>
        </select>
      </label>
      <label className="field">
        <span>{t('schedules.form.recipients')}</span>
        <textarea name="recipients" rows={2} value={d.recipients} onChange={(e) => set('recipients', e.target.value)} />
      </label>
      <label className="schedules-check">
        <input type="checkbox" name="enabled" checked={d.enabled} onChange={(e) => set('enabled', e.target.checked)} /> {t('schedules.form.enabled')}
      </label>
      <div>
        <button type="submit" className="button primary" disabled={busy}>
          {busy ? t('schedules.form.saving') : t('schedules.form.save')}
        </button>
      </div>
      {error ? (
        <div className="field-error" role="alert">
          <p>{t(errorMessageKey(error.code))}</p>
          {error.message ? <p className="small">{error.message}</p> : null}
        </div>
      ) : null}
      {saved ? (
        <p className="small" role="status">
          {t('schedules.form.saved')}
        </p>
      ) : null}
    </form>
  );
}
