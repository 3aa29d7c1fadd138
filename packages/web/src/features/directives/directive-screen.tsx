import type { DirectiveDocumentSummary, DirectiveEventView, DirectiveFile, DirectiveTaskStateView, DirectiveTaskView, Grant } from '@watchfloor/core';
import { useEffect, useId, useState, type FormEvent } from 'react';
import { directiveUrl, directivesUrl, placeUrl, routeUrl } from '../../app/routes';
import { toApiError, type ApiError } from '../../lib/api';
import { ErrorPanel } from '../../lib/error-panel';
import { formatDate, formatInstant } from '../../lib/i18n/format';
import { useI18n } from '../../lib/i18n/i18n';
import type { MessageKey } from '../../lib/i18n/translate';
import { Loading } from '../../lib/loading';
import { Link } from '../../lib/router';
import { useSession } from '../../lib/session';
import { useLiveRefresh } from '../../lib/use-live';
import { useRequest } from '../../lib/use-request';
import { ScreenHeader } from '../place/screen-header';
import { DirRefused } from './directive-parts';
import { DIRECTIVES_LIVE, directivesClient } from './directives-api';
import { agencyName, deadlines, FORM_FIELDS, formBody, formProblem, recurrenceText, statusChips, taskForms, taskMay, type FormValues, type TaskForm } from './directives-model';
import './directives.css';

/**
 * One directive document (/directives/:number?agency=&task=): what it is,
 * who issued and signed it, and its tasks, each with its status chips, its
 * deadline (and the original one when extended), days late and progress;
 * a task opens to its timeline. The lead agency's officer gets the forms to
 * report progress, report it done and ask for more time; the leader's
 * office to confirm or refuse a report of done, approve or refuse an
 * extension and cancel: each only where the server says the reader may and
 * the task's state allows it.
 */
export function DirectiveScreen({ number, search }: { number: string; search: string }) {
  const { t, lang } = useI18n();
  const params = new URLSearchParams(search);
  const agency = params.get('agency') || undefined;
  const target = params.get('task') || undefined;
  const session = useSession();
  const grants = session.status === 'user' ? session.user.roles : null;
  const detail = useRequest(directivesClient.document(number), { keepPrevious: true });
  // A change to this document (a report, a decision, the document sent again) reads it again, and the open timelines with it.
  const [changes, setChanges] = useState(0);
  useLiveRefresh(DIRECTIVES_LIVE, () => {
    detail.retry();
    setChanges((n) => n + 1);
  });
  const back = directivesUrl({ agency });
  if (detail.error && !detail.data) return <ErrorPanel error={detail.error} onRetry={detail.retry} backTo={back} />;
  if (!detail.data) return <Loading />;
  const { document: doc, tasks } = detail.data;
  const shown = agency ? tasks.filter((x) => x.lead.code === agency) : tasks;
  const agencyLabel = agency ? agencyName(tasks.find((x) => x.lead.code === agency)?.lead ?? { code: agency, name: null, nameEn: null }, lang) : null;
  return (
    <div className={`screen directive-screen${detail.stale ? ' is-loading' : ''}`} data-testid="directive-screen" data-document={doc.number}>
      <ScreenHeader
        crumbs={[{ label: t('dir.title'), href: directivesUrl() }, ...(agency && agencyLabel ? [{ label: agencyLabel, href: back }] : []), { label: doc.number }]}
        title={t('dir.docTitle', { kind: t(`dirKind.${doc.kind}`), number: doc.number })}
        subtitle={
          doc.synthetic ? (
            <span className="badge" title={t('dir.syntheticTitle')}>
              {t('dir.synthetic')}
            </span>
          ) : undefined
        }
      />
      <DocumentFacts document={doc} file={detail.data.file} attach={tasks.length > 0 && tasks.every((x) => taskMay(grants, x.can).manage)} onChanged={detail.retry} />
      <section className="panel" aria-labelledby="dir-tasks-title">
        <h2 id="dir-tasks-title">{t('dir.tasksTitle')}</h2>
        {agency && agencyLabel ? (
          <p className="small">
            {t('dir.agencyTitle', { name: agencyLabel })} · <Link to={directiveUrl(doc.number)}>{t('dir.allTasks', { n: tasks.length })}</Link>
          </p>
        ) : null}
        {shown.length === 0 ? (
          <p className="muted">{t('dir.noTasks')}</p>
        ) : (
          <ul className="dir-tasks">
            {shown.map((task) => (
              <TaskCard key={task.id} task={task} grants={grants} open={task.key === target} onChanged={detail.retry} changes={changes} />
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}

/** A file's size as a reader takes it in: kilobytes, at least 1. */
const kb = (size: number) => Math.max(1, Math.round(size / 1024));

/** A stored file to download, with its size. */
function FileLink({ file, href }: { file: DirectiveFile; href: string }) {
  const { t } = useI18n();
  return (
    <>
      <a href={href} download={file.fileName} className="dir-file-link">
        {file.fileName}
      </a>{' '}
      <span className="small muted">({t('dir.fileSize', { kb: kb(file.size) })})</span>
    </>
  );
}

function DocumentFacts({ document: d, file, attach, onChanged }: { document: DirectiveDocumentSummary; file: DirectiveFile | null; attach: boolean; onChanged: () => void }) {
  const { t, lang } = useI18n();
  return (
    <section className="panel" aria-label={t('dir.document')}>
      <dl className="dir-facts" data-testid="dir-document-facts">
        <div>
          <dt>{t('dir.docDate')}</dt>
          <dd>{formatDate(d.date, lang)}</dd>
        </div>
        <div>
          <dt>{t('dir.issuer')}</dt>
          <dd>{d.issuer}</dd>
        </div>
        <div>
          <dt>{t('dir.signer')}</dt>
          <dd>{d.signer}</dd>
        </div>
        <div data-testid="dir-document-file">
          <dt>{t('dir.file')}</dt>
          <dd>{file ? <FileLink file={file} href={directivesClient.documentFileUrl(d.number)} /> : <span className="muted">{t('dir.fileNone')}</span>}</dd>
        </div>
      </dl>
      <h2 className="small muted dir-summary-title">{t('dir.summary')}</h2>
      <p className="dir-summary">{d.summary}</p>
      {d.confirmDone ? <p className="small note">{t('dir.confirmDone')}</p> : null}
      {attach ? <DocumentFileForm number={d.number} replace={file !== null} onDone={onChanged} /> : null}
    </section>
  );
}

/** The leader's office attaches the document's PDF or replaces it (the server judges the file by its content). */
function DocumentFileForm({ number, replace, onDone }: { number: string; replace: boolean; onDone: () => void }) {
  const { t } = useI18n();
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [state, setState] = useState<'idle' | 'needed' | 'sent'>('idle');
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!file) return setState('needed');
    setBusy(true);
    setError(null);
    try {
      await directivesClient.uploadDocumentFile(number, file);
      setState('sent');
      onDone();
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <details className="dir-file-form" data-testid="dir-file-form">
      <summary>{t(replace ? 'dir.fileReplace' : 'dir.fileAttach')}</summary>
      <form noValidate onSubmit={(e) => void submit(e)}>
        <label className="field">
          <span>{t('dir.fileChoose')}</span>
          <input type="file" name="file" accept="application/pdf,.pdf" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
        </label>
        <div>
          <button type="submit" className="button primary" disabled={busy}>
            {busy ? t('dir.form.sending') : t('dir.fileSend')}
          </button>
        </div>
        {state === 'needed' && !file ? (
          <p className="field-error" role="alert">
            {t('dir.fileNeeded')}
          </p>
        ) : null}
        {state === 'sent' && !error ? (
          <p className="small" role="status">
            {t('dir.fileSent')}
          </p>
        ) : null}
        {error ? <DirRefused error={error} /> : null}
      </form>
    </details>
  );
}

/** A task's status chips: its status, whether it was extended, what waits on the office. */
export function StatusChips({ state }: { state: Pick<DirectiveTaskStateView, 'status' | 'awaitingConfirmation' | 'extensionRequest' | 'extended'> }) {
  const { t } = useI18n();
  return (
    <span className="dir-chips" data-status={state.status}>
      {statusChips(state).map((c) => (
        <span key={c.key} className={`badge dir-chip dir-tone-${c.tone}`}>
          {t(c.key)}
        </span>
      ))}
    </span>
  );
}

/** The deadline in force with the original beside it when extended, the days late and the progress. */
function StateLine({ state }: { state: DirectiveTaskStateView }) {
  const { t, lang } = useI18n();
  const d = deadlines(state);
  return (
    <>
      {d.deadline ? (
        <span data-testid="dir-deadline">
          {t('dir.deadline')}: <strong>{formatDate(d.deadline, lang)}</strong>
          {d.original ? <span className="small muted"> · {t('dir.originalDeadline', { date: formatDate(d.original, lang) })}</span> : null}
        </span>
      ) : null}
      {state.daysLate > 0 ? (
        <span>
          <span className="badge badge-late dir-chip">{t('dir.lateBy', { n: state.daysLate })}</span>
        </span>
      ) : null}
      <span className="dir-progress">
        {t('dir.percent')}: <progress max={100} value={state.percent} aria-hidden="true" /> <strong>{state.percent} %</strong>
      </span>
    </>
  );
}

/** One task: its text, agencies, state, the occurrences of a recurring task, its timeline on demand, and the forms the reader is given. */
export function TaskCard({ task, grants, open = false, onChanged, changes = 0 }: { task: DirectiveTaskView; grants: readonly Grant[] | null; open?: boolean; onChanged: () => void; changes?: number }) {
  const { t, lang } = useI18n();
  const [showTimeline, setShowTimeline] = useState(open);
  const [version, setVersion] = useState(0);
  const recurrence = recurrenceText(task.deadline);
  const forms = task.state ? taskForms(task.state, taskMay(grants, task.can)) : [];
  const id = `task-${task.key}`;
  useEffect(() => {
    if (open) document.getElementById(id)?.scrollIntoView({ block: 'start' });
  }, [open, id]);
  const changed = () => {
    setVersion((n) => n + 1);
    onChanged();
  };
  return (
    <li id={id} className={`dir-task${open ? ' is-target' : ''}`} data-task={task.key} data-testid={`dir-task-${task.key}`}>
      <h3>
        {task.key}. {task.state ? <StatusChips state={task.state} /> : null}
        {task.missing ? <span className="badge dir-chip dir-tone-muted">{t('dir.missing')}</span> : null}
      </h3>
      <p className="dir-task-text">{task.text}</p>
      <div className="dir-task-meta">
        <span>
          {t('dir.lead')}: <strong>{agencyName(task.lead, lang)}</strong>
        </span>
        {task.cooperating.length > 0 ? (
          <span>
            {t('dir.cooperating')}: {task.cooperating.map((a) => agencyName(a, lang)).join(', ')}
          </span>
        ) : null}
        {recurrence ? <span>{t(recurrence.key, recurrence.params)}</span> : null}
        {task.current ? <span>{t('dir.occurrence', { key: task.current })}</span> : null}
        {task.state ? <StateLine state={task.state} /> : null}
      </div>
      {task.state?.awaitingConfirmation && task.state.lastEventAt ? <p className="small note">{t('dir.awaitingNote', { at: formatInstant(task.state.lastEventAt, lang) })}</p> : null}
      {task.state?.extensionRequest ? (
        <p className="small note">{t('dir.extensionNote', { date: formatDate(task.state.extensionRequest.until, lang), reason: task.state.extensionRequest.reason })}</p>
      ) : null}
      <TaskLinks links={task.links} />
      {task.occurrences.length > 1 ? <Occurrences task={task} /> : null}
      <button type="button" className="button small" aria-expanded={showTimeline} aria-controls={`${id}-timeline`} onClick={() => setShowTimeline(!showTimeline)}>
        {t('dir.showTimeline')}
      </button>
      {showTimeline ? <TaskTimeline taskId={task.id} domId={`${id}-timeline`} version={version + changes} /> : null}
      {forms.length > 0 && task.state ? <TaskForms task={task} state={task.state} forms={forms} onDone={changed} /> : null}
    </li>
  );
}

/** What the task concerns: places and cases to open, indicators and PAR Index criteria by code. */
export function TaskLinks({ links }: { links: DirectiveTaskView['links'] }) {
  const { t } = useI18n();
  const all: { key: string; label: MessageKey; items: { code: string; href: string | null }[] }[] = [
    { key: 'places', label: 'dir.links.places', items: links.places.map((code) => ({ code, href: placeUrl(code) })) },
    { key: 'cases', label: 'dir.links.cases', items: links.cases.map((code) => ({ code, href: routeUrl({ name: 'case', id: code }) })) },
    { key: 'indicators', label: 'dir.links.indicators', items: links.indicators.map((code) => ({ code, href: null })) },
    { key: 'parCriteria', label: 'dir.links.parCriteria', items: links.parCriteria.map((code) => ({ code, href: null })) },
  ];
  const parts = all.filter((p) => p.items.length > 0);
  if (parts.length === 0) return null;
  return (
    <p className="small dir-task-links" data-testid="dir-task-links">
      {parts.map((p, i) => (
        <span key={p.key}>
          {i > 0 ? ' · ' : ''}
          {t(p.label)}:{' '}
          {p.items.map((x, j) => (
            <span key={x.code}>
              {j > 0 ? ', ' : ''}
              {x.href ? <Link to={x.href}>{x.code}</Link> : <code>{x.code}</code>}
            </span>
          ))}
        </span>
      ))}
    </p>
  );
}

/** A recurring task's occurrences, each judged on its own. */
function Occurrences({ task }: { task: DirectiveTaskView }) {
  const { t, lang } = useI18n();
  const heading = useId();
  return (
    <div className="table-scroll" tabIndex={0} role="region" aria-labelledby={heading}>
      <p id={heading} className="visually-hidden">
        {t('dir.occurrences')}
      </p>
      <table className="data-table" data-testid={`dir-occurrences-${task.key}`}>
        <thead>
          <tr>
            <th scope="col">{t('dir.occurrences')}</th>
            <th scope="col">{t('dir.deadline')}</th>
            <th scope="col">{t('dir.status')}</th>
          </tr>
        </thead>
        <tbody>
          {task.occurrences.map((o) => (
            <tr key={o.key ?? ''} data-occurrence={o.key ?? ''}>
              <th scope="row">{o.key}</th>
              <td>{o.state.deadline ? formatDate(o.state.deadline, lang) : '—'}</td>
              <td>
                <StatusChips state={o.state} />
                {o.state.daysLate > 0 ? <span className="badge badge-late dir-chip">{t('dir.lateBy', { n: o.state.daysLate })}</span> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function TaskTimeline({ taskId, domId, version }: { taskId: number; domId: string; version: number }) {
  const { t } = useI18n();
  const detail = useRequest(directivesClient.task(taskId), { keepPrevious: true });
  // A report or decision on the task reads its timeline again.
  const { retry } = detail;
  useEffect(() => {
    if (version > 0) retry();
  }, [version]);
  return (
    <div id={domId} data-testid={`dir-timeline-${taskId}`}>
      <h4>{t('dir.timeline')}</h4>
      {detail.error ? <DirRefused error={detail.error} /> : !detail.data ? <Loading /> : <Timeline events={detail.data.events} />}
    </div>
  );
}

/** A task's events, oldest first: what happened, when, by whom, with the text or reason given. */
export function Timeline({ events }: { events: readonly DirectiveEventView[] }) {
  const { t, lang } = useI18n();
  if (events.length === 0) return <p className="muted small">{t('dir.noEvents')}</p>;
  return (
    <ol className="dir-timeline">
      {events.map((e) => {
        const what = t(`dirEvent.${e.kind}`, { percent: e.percent ?? 0, date: e.until ? formatDate(e.until, lang) : '' });
        return (
          <li key={e.id} data-kind={e.kind}>
            <time dateTime={e.at}>{formatInstant(e.at, lang)}</time>
            <strong>{what}</strong>
            {e.occurrence ? <span className="small muted"> · {t('dir.occurrence', { key: e.occurrence })}</span> : null}
            <span className="small muted">
              {' '}
              · {t(`dirEvent.actor.${e.actor}`)}
              {e.by ? ` ${t('dirEvent.by', { by: e.by })}` : ''}
            </span>
            {e.text ? <div className="small">{e.text}</div> : null}
            {e.reason ? (
              <div className="small">
                {t('dir.form.reason')}: {e.reason}
              </div>
            ) : null}
            {e.files.length > 0 ? (
              <ul className="dir-files small" aria-label={t('dir.evidence')} data-testid={`dir-evidence-${e.id}`}>
                {e.files.map((f) => (
                  <li key={f.id}>
                    <FileLink file={f} href={directivesClient.evidenceUrl(f.id)} />
                  </li>
                ))}
              </ul>
            ) : null}
          </li>
        );
      })}
    </ol>
  );
}

const FORM_TITLES: Record<TaskForm, MessageKey> = {
  progress: 'dir.form.progress',
  done: 'dir.form.done',
  extension: 'dir.form.extension',
  confirm: 'dir.form.confirm',
  refuseDone: 'dir.form.refuseDone',
  approve: 'dir.form.approve',
  refuseExtension: 'dir.form.refuseExtension',
  cancel: 'dir.form.cancel',
};

const SUBMITS: Record<TaskForm, MessageKey> = {
  progress: 'dir.form.sendProgress',
  done: 'dir.form.sendDone',
  extension: 'dir.form.sendExtension',
  confirm: 'dir.form.confirm',
  refuseDone: 'dir.form.refuseDone',
  approve: 'dir.form.approve',
  refuseExtension: 'dir.form.refuseExtension',
  cancel: 'dir.form.cancel',
};

/** The forms the reader is given on the task, each folded until opened. */
function TaskForms({ task, state, forms, onDone }: { task: DirectiveTaskView; state: DirectiveTaskStateView; forms: readonly TaskForm[]; onDone: () => void }) {
  const { t } = useI18n();
  return (
    <div className="dir-forms" role="group" aria-label={t('dir.actions')} data-testid={`dir-forms-${task.key}`}>
      {forms.map((form) => (
        <details key={form} data-form={form}>
          <summary>{t(FORM_TITLES[form])}</summary>
          <OneForm task={task} state={state} form={form} onDone={onDone} />
        </details>
      ))}
    </div>
  );
}

function OneForm({ task, state, form, onDone }: { task: DirectiveTaskView; state: DirectiveTaskStateView; form: TaskForm; onDone: () => void }) {
  const { t, lang } = useI18n();
  const [values, setValues] = useState<FormValues>({ percent: String(state.percent), text: '', until: form === 'approve' ? (state.extensionRequest?.until ?? '') : '', reason: '' });
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [sent, setSent] = useState(false);
  const [evidence, setEvidence] = useState<File | null>(null);
  const [evidenceError, setEvidenceError] = useState<ApiError | null>(null);
  const fields = FORM_FIELDS[form];
  // The lead agency's reports may carry evidence; the office's decisions do not.
  const withEvidence = form === 'progress' || form === 'done' || form === 'extension';
  const problem = formProblem(form, values, state.deadline);
  const set = (k: keyof FormValues) => (e: { target: { value: string } }) => setValues((v) => ({ ...v, [k]: e.target.value }));
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setTried(true);
    if (problem) return;
    setBusy(true);
    setError(null);
    setSent(false);
    setEvidenceError(null);
    try {
      const body = formBody(form, values, task.current);
      if ('report' in body) {
        const answer = await directivesClient.report(task.id, body.report);
        // The report just recorded is the lead agency's latest event; the file goes with it.
        const report = answer.events.filter((x) => x.actor === 'lead_agency').at(-1);
        if (evidence && report) await directivesClient.uploadEvidence(task.id, report.id, evidence).catch((err: unknown) => setEvidenceError(toApiError(err)));
      } else await directivesClient.decide(task.id, body.decision);
      setSent(true);
      onDone();
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setBusy(false);
    }
  };
  const name = `${form}-${task.id}`;
  return (
    <form className="dir-form" noValidate onSubmit={(e) => void submit(e)} data-testid={`dir-form-${form}-${task.key}`}>
      {fields.includes('percent') ? (
        <label className="field">
          <span>{t('dir.form.percent')}</span>
          <input type="number" name={`${name}-percent`} min={0} max={100} step={1} value={values.percent} onChange={set('percent')} />
        </label>
      ) : null}
      {fields.includes('until') ? (
        <label className="field">
          <span>{t(form === 'approve' ? 'dir.form.newDeadline' : 'dir.form.until')}</span>
          <input type="date" name={`${name}-until`} value={values.until} onChange={set('until')} />
        </label>
      ) : null}
      {fields.includes('text') ? (
        <label className="field">
          <span>{t('dir.form.text')}</span>
          <textarea name={`${name}-text`} rows={3} maxLength={4000} value={values.text} onChange={set('text')} />
        </label>
      ) : null}
      {fields.includes('reason') ? (
        <label className="field">
          <span>{t('dir.form.reason')}</span>
          <textarea name={`${name}-reason`} rows={2} maxLength={2000} value={values.reason} onChange={set('reason')} />
        </label>
      ) : null}
      {withEvidence ? (
        <label className="field dir-evidence-field">
          <span>{t('dir.form.evidence')}</span>
          <input type="file" name={`${name}-evidence`} accept="application/pdf,image/png,image/jpeg,.pdf,.png,.jpg,.jpeg" onChange={(e) => setEvidence(e.target.files?.[0] ?? null)} />
        </label>
      ) : null}
      <div>
        <button type="submit" className={`button${form === 'cancel' ? '' : ' primary'}`} disabled={busy}>
          {busy ? t('dir.form.sending') : t(SUBMITS[form])}
        </button>
      </div>
      {tried && problem ? (
        <p className="field-error" role="alert">
          {t(`dir.form.${problem}`, { date: state.deadline ? formatDate(state.deadline, lang) : '—' })}
        </p>
      ) : null}
      <p role="status" className="small">
        {sent ? t('dir.form.sent') : ''}
      </p>
      <DirRefused error={error} />
      {evidenceError ? (
        <div className="small" data-testid="dir-evidence-refused">
          {t('dir.evidenceFailed')} <DirRefused error={evidenceError} />
        </div>
      ) : null}
    </form>
  );
}
