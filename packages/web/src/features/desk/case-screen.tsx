import type { CaseDetail, CaseEvent, CaseStatus, Organisation, SopStep } from '@watchfloor/core';
import { useEffect, useState, type FormEvent } from 'react';
import { toApiError, type ApiError } from '../../lib/api';
import { formatInstant } from '../../lib/i18n/format';
import { useI18n } from '../../lib/i18n/i18n';
import { Loading } from '../../lib/loading';
import { Link } from '../../lib/router';
import { useLiveRefresh } from '../../lib/use-live';
import { useRequest } from '../../lib/use-request';
import { CaseMap } from './case-map';
import { DeadlineBadge, StatusBadge } from './case-parts';
import { deskApi } from './desk-api';
import { DeskError, DeskNav, Refused } from './desk-nav';
import { allowedMoves, caseBoardUrl } from './desk-routes';

type Busy = null | 'status' | 'assign' | 'comment' | `step-${number}`;

/** One case: its facts, where it is, its procedure, its timeline, and what the operator can do next. */
export function CaseScreen({ id }: { id: string }) {
  const { t, lang } = useI18n();
  const req = useRequest(deskApi.case(id));
  const [answer, setAnswer] = useState<CaseDetail | null>(null);
  const [busy, setBusy] = useState<Busy>(null);
  const [refused, setRefused] = useState<ApiError | null>(null);
  const categories = useRequest(deskApi.categories());
  // The timeline names agencies by code: shown by name.
  const organisations = useRequest(deskApi.organisations());
  useLiveRefresh({ indicators: [], cases: true }, () => {
    setAnswer(null);
    req.retry();
  });
  useEffect(() => setAnswer(null), [id]);

  if (req.error) return <DeskError error={req.error} onRetry={req.retry} to={caseBoardUrl()} label="cases" />;
  const c = answer?.id === id ? answer : req.data;
  if (!c) return <Loading />;

  const run = async (what: Busy, change: () => Promise<CaseDetail>): Promise<boolean> => {
    setBusy(what);
    setRefused(null);
    try {
      setAnswer(await change());
      return true;
    } catch (err) {
      setRefused(toApiError(err));
      return false;
    } finally {
      setBusy(null);
    }
  };
  const category = categories.data?.categories.find((k) => k.code === c.category);

  return (
    <div className="screen desk case-screen" data-testid="case-screen" data-case={c.id} data-status={c.status}>
      <DeskNav current="cases" />
      <p className="desk-back">
        <Link to={caseBoardUrl()}>← {t('desk.case.backToBoard')}</Link>
      </p>
      <header className="screen-header">
        <div>
          <p className="subtitle">
            {c.id} · {category?.names[lang] ?? c.category}
          </p>
          <h1>{c.title}</h1>
          <p className="case-state">
            <StatusBadge status={c.status} /> <DeadlineBadge state={c.deadlineState} />{' '}
            <span className="muted">{t('desk.case.due', { at: formatInstant(c.deadlineAt, lang) })}</span>
          </p>
        </div>
      </header>
      <div className="case-layout">
        <div className="case-main">
          <section className="panel" aria-labelledby="case-facts">
            <h2 id="case-facts">{t('desk.case.facts')}</h2>
            <dl className="facts case-facts">
              <dt>{t('desk.case.organisation')}</dt>
              <dd data-testid="case-organisation">{c.organisationName ?? c.organisation ?? t('desk.case.unassigned')}</dd>
              <dt>{t('desk.case.received')}</dt>
              <dd>{formatInstant(c.receivedAt, lang)}</dd>
              <dt>{t('desk.case.channel')}</dt>
              <dd>{t(`case.channel.${c.channel}`)}</dd>
              <dt>{t('desk.case.priority')}</dt>
              <dd>{t(`case.priority.${c.priority}`)}</dd>
              {c.address ? (
                <>
                  <dt>{t('desk.case.address')}</dt>
                  <dd>{c.address}</dd>
                </>
              ) : null}
              {c.description ? (
                <>
                  <dt>{t('desk.case.description')}</dt>
                  <dd className="case-text">{c.description}</dd>
                </>
              ) : null}
            </dl>
            <CaseMap lat={c.lat} lon={c.lon} placeCode={c.placeCode} />
          </section>
          <section className="panel" aria-labelledby="case-sop">
            <h2 id="case-sop">{t('desk.case.sop')}</h2>
            {c.sopSteps.length === 0 ? (
              <p className="muted">{t('desk.case.noSop')}</p>
            ) : (
              <ol className="sop-steps" data-testid="sop-steps">
                {c.sopSteps.map((s) => (
                  <li key={s.step} className={s.doneAt ? 'done' : undefined}>
                    <span className="sop-title">{s.title}</span> <span className="muted small">({s.role})</span>
                    <StepWhen step={s} now={new Date()} />
                    {s.doneAt ? null : (
                      <button type="button" className="button small" disabled={busy !== null} onClick={() => void run(`step-${s.step}`, () => deskApi.stepDone(c.id, s.step, {}))}>
                        {t('desk.case.markDone')}
                        <span className="visually-hidden">: {s.title}</span>
                      </button>
                    )}
                  </li>
                ))}
              </ol>
            )}
          </section>
          <section className="panel" aria-labelledby="case-timeline">
            <h2 id="case-timeline">{t('desk.case.timeline')}</h2>
            <Timeline events={c.timeline} organisations={organisations.data?.organisations} />
          </section>
        </div>
        <aside className="case-side" aria-label={t('desk.case.actions')}>
          <section className="panel">
            <h2>{t('desk.case.actions')}</h2>
            <Refused error={refused} />
            <StatusControl status={c.status} busy={busy === 'status'} onMove={(to, note) => run('status', () => deskApi.changeStatus(c.id, to, { note }))} />
            <AssignControl current={c.organisation} busy={busy === 'assign'} onAssign={(org, note) => run('assign', () => deskApi.assign(c.id, org, { note }))} />
            <CommentControl busy={busy === 'comment'} onComment={(text) => run('comment', () => deskApi.comment(c.id, text))} />
          </section>
        </aside>
      </div>
    </div>
  );
}

/** The next statuses the workflow allows from this one, and only those. */
export function StatusControl({ status, busy, onMove }: { status: CaseStatus; busy: boolean; onMove: (to: CaseStatus, note: string) => Promise<boolean> }) {
  const { t } = useI18n();
  const moves = allowedMoves(status);
  const [to, setTo] = useState<CaseStatus | ''>('');
  const [note, setNote] = useState('');
  const chosen = to && moves.includes(to) ? to : (moves[0] ?? '');
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!chosen) return;
    if (await onMove(chosen, note)) setNote('');
  };
  return (
    <form className="desk-action" onSubmit={(e) => void submit(e)} aria-labelledby="move-title">
      <h3 id="move-title">{t('desk.case.move')}</h3>
      {moves.length === 0 ? (
        <p className="muted">{t('desk.case.noMove')}</p>
      ) : (
        <>
          <label className="field">
            <span>{t('desk.case.moveTo')}</span>
            <select name="status" value={chosen} onChange={(e) => setTo(e.target.value as CaseStatus)}>
              {moves.map((s) => (
                <option key={s} value={s}>
                  {t(`case.status.${s}`)}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span>{t('desk.note')}</span>
            <input name="note" value={note} onChange={(e) => setNote(e.target.value)} />
          </label>
          <button type="submit" className="button primary" disabled={busy}>
            {busy ? t('desk.saving') : t('desk.case.moveButton')}
          </button>
        </>
      )}
    </form>
  );
}

function AssignControl({ current, busy, onAssign }: { current: string | null; busy: boolean; onAssign: (org: string, note: string) => Promise<boolean> }) {
  const { t, lang } = useI18n();
  const organisations = useRequest(deskApi.organisations());
  const [org, setOrg] = useState('');
  const [note, setNote] = useState('');
  const list: Organisation[] = [...(organisations.data?.organisations ?? [])].sort((a, b) => a.name.localeCompare(b.name, 'vi'));
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (org && (await onAssign(org, note))) setNote('');
  };
  return (
    <form className="desk-action" onSubmit={(e) => void submit(e)} aria-labelledby="assign-title">
      <h3 id="assign-title">{t('desk.case.assign')}</h3>
      {organisations.error ? <Refused error={organisations.error} /> : null}
      <label className="field">
        <span>{t('desk.case.agency')}</span>
        <select name="organisation" value={org} onChange={(e) => setOrg(e.target.value)} required>
          <option value="">{organisations.data ? t('desk.case.chooseAgency') : t('app.loading')}</option>
          {list.map((o) => (
            <option key={o.code} value={o.code} disabled={o.code === current}>
              {(lang === 'en' && o.nameEn) || o.name} ({o.code})
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>{t('desk.note')}</span>
        <input name="assign-note" value={note} onChange={(e) => setNote(e.target.value)} />
      </label>
      <button type="submit" className="button primary" disabled={busy || !org}>
        {busy ? t('desk.saving') : t('desk.case.assignButton')}
      </button>
    </form>
  );
}

function CommentControl({ busy, onComment }: { busy: boolean; onComment: (text: string) => Promise<boolean> }) {
  const { t } = useI18n();
  const [text, setText] = useState('');
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (text.trim() && (await onComment(text.trim()))) setText('');
  };
  return (
    <form className="desk-action" onSubmit={(e) => void submit(e)} aria-labelledby="comment-title">
      <h3 id="comment-title">{t('desk.case.comment')}</h3>
      <label className="field">
        <span>{t('desk.case.commentText')}</span>
        <textarea name="comment" rows={3} maxLength={4000} value={text} onChange={(e) => setText(e.target.value)} />
      </label>
      <button type="submit" className="button primary" disabled={busy || !text.trim()}>
        {busy ? t('desk.saving') : t('desk.case.commentButton')}
      </button>
    </form>
  );
}

/** What happened to the case, oldest first; notes are shown as text, never as markup. */
export function Timeline({ events, organisations = [] }: { events: readonly CaseEvent[]; organisations?: readonly Pick<Organisation, 'code' | 'name' | 'nameEn'>[] | undefined }) {
  const { t, lang } = useI18n();
  const agency = (code: string): string => {
    const o = organisations.find((x) => x.code === code);
    return o ? (lang === 'en' && o.nameEn) || o.name : code;
  };
  const say = (e: CaseEvent): string => {
    switch (e.kind) {
      case 'status':
        return t('desk.event.status', { from: e.before ? statusName(e.before) : '—', to: e.after ? statusName(e.after) : '—' });
      case 'assigned':
        return t('desk.event.assigned', { to: e.after ? agency(e.after) : '—' });
      case 'sop_step':
        return t('desk.event.sop_step', { step: e.after ?? '' });
      case 'rating':
        return t('desk.event.rating', { rating: e.after ?? '' });
      case 'created':
        return t('desk.event.created');
      case 'comment':
        return t('desk.event.comment');
    }
  };
  const statusName = (s: string) => (isStatus(s) ? t(`case.status.${s}`) : s);
  return (
    <ol className="timeline" data-testid="case-timeline">
      {events.map((e, i) => (
        <li key={i} className={`event-${e.kind}`}>
          <span className="timeline-when">{formatInstant(e.at, lang)}</span> <strong>{e.actor}</strong> · {say(e)}
          {e.note ? <p className="case-text timeline-note">{e.note}</p> : null}
        </li>
      ))}
    </ol>
  );
}

const STATUSES: readonly string[] = ['new', 'received', 'assigned', 'in_progress', 'resolved', 'closed', 'rejected', 'reopened'];
function isStatus(s: string): s is CaseStatus {
  return STATUSES.includes(s);
}

/** When a procedure step was done, or when it falls due (overdue once that has passed). */
export function StepWhen({ step, now }: { step: Pick<SopStep, 'doneAt' | 'doneBy' | 'dueAt'>; now: Date }) {
  const { t, lang } = useI18n();
  if (step.doneAt) return <span className="small sop-done">{t('desk.case.stepDone', { at: formatInstant(step.doneAt, lang), by: step.doneBy ?? '' })}</span>;
  if (Date.parse(step.dueAt) < now.getTime()) return <span className="small sop-overdue">{t('desk.case.stepOverdue', { at: formatInstant(step.dueAt, lang) })}</span>;
  return <span className="small muted">{t('desk.case.stepDue', { at: formatInstant(step.dueAt, lang) })}</span>;
}
