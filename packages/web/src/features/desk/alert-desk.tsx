import { ALERT_SEVERITIES, taskOfAlertSubject, type Alert, type AlertSeverity } from '@watchfloor/core';
import { useState } from 'react';
import { toApiError, type ApiError } from '../../lib/api';
import { formatInstant, formatNumber } from '../../lib/i18n/format';
import { useI18n } from '../../lib/i18n/i18n';
import { ExportMenu } from '../../lib/export-menu';
import { Loading } from '../../lib/loading';
import { Link } from '../../lib/router';
import { directiveUrl } from '../../app/routes';
import { useLiveRefresh } from '../../lib/use-live';
import { useRequest } from '../../lib/use-request';
import { deskApi } from './desk-api';
import { DeskError, DeskNav, Refused } from './desk-nav';
import { ALERT_DESK_URL } from './desk-routes';

/** Alerts still to handle (open, then acknowledged) grouped by severity, the worst first. */
export function alertsBySeverity(alerts: readonly Alert[]): { severity: AlertSeverity; alerts: Alert[] }[] {
  const order = [...ALERT_SEVERITIES].reverse();
  return order
    .map((severity) => ({
      severity,
      alerts: alerts
        .filter((a) => a.severity === severity && a.status !== 'resolved')
        .sort((a, b) => (a.status === b.status ? b.openedAt.localeCompare(a.openedAt) : a.status === 'open' ? -1 : 1)),
    }))
    .filter((g) => g.alerts.length > 0);
}

/** The alert desk: acknowledge (stops escalation) and resolve, each with a note, live as alerts change. */
export function AlertDesk() {
  const { t } = useI18n();
  const list = useRequest(deskApi.alerts(), { keepPrevious: true });
  useLiveRefresh({ indicators: [], alerts: true }, list.retry);

  return (
    <div className="screen desk" data-testid="alert-desk">
      <DeskNav current="alerts" />
      <header className="screen-header">
        <div>
          <h1>{t('desk.alerts.title')}</h1>
          <p className="subtitle">{t('desk.alerts.intro')}</p>
        </div>
        <ExportMenu href={deskApi.alertsHref()} />
      </header>
      {list.error ? (
        <DeskError error={list.error} onRetry={list.retry} to={ALERT_DESK_URL} label="alerts" />
      ) : !list.data ? (
        <Loading />
      ) : (
        <AlertGroups alerts={list.data.alerts} onChanged={list.retry} />
      )}
    </div>
  );
}

function AlertGroups({ alerts, onChanged }: { alerts: readonly Alert[]; onChanged: () => void }) {
  const { t } = useI18n();
  const groups = alertsBySeverity(alerts);
  if (groups.length === 0) return <p className="note">{t('desk.alerts.empty')}</p>;
  return (
    <>
      {groups.map((g) => (
        <section key={g.severity} className={`panel alert-group severity-${g.severity}`} aria-labelledby={`sev-${g.severity}`}>
          <h2 id={`sev-${g.severity}`}>
            {t(`alert.severity.${g.severity}`)} <span className="muted">({g.alerts.length})</span>
          </h2>
          <ul className="alert-list">
            {g.alerts.map((a) => (
              <AlertItem key={a.id} alert={a} onChanged={onChanged} />
            ))}
          </ul>
        </section>
      ))}
    </>
  );
}

function AlertItem({ alert, onChanged }: { alert: Alert; onChanged: () => void }) {
  const { t, lang } = useI18n();
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [refused, setRefused] = useState<ApiError | null>(null);
  const act = async (change: () => Promise<unknown>) => {
    setBusy(true);
    setRefused(null);
    try {
      await change();
      setNote('');
      onChanged();
    } catch (err) {
      setRefused(toApiError(err));
    } finally {
      setBusy(false);
    }
  };
  const noteId = `alert-note-${alert.id}`;
  return (
    <li className={`alert-item status-${alert.status}`} data-alert={alert.id}>
      <div className="alert-head">
        <span className={`badge alert-status-${alert.status}`}>{t(`alert.status.${alert.status}`)}</span> <strong>{alert.message}</strong>
      </div>
      <TaskLink subject={alert.subjectKey} />
      <p className="small muted">
        {t('desk.alerts.meta', { rule: alert.rule, at: formatInstant(alert.openedAt, lang) })}
        {alert.placeCode ? ` · ${t('desk.alerts.place', { place: alert.placeCode })}` : ''}
        {alert.agency ? ` · ${alert.agency}` : ''}
        {alert.value !== null ? ` · ${t('desk.alerts.value', { value: formatNumber(alert.value, lang) })}` : ''}
        {alert.escalationLevel > 0 ? ` · ${t('desk.alerts.escalated', { n: alert.escalationLevel })}` : ''}
        {alert.acknowledgedBy ? ` · ${t('desk.alerts.acknowledgedBy', { by: alert.acknowledgedBy })}` : ''}
      </p>
      <div className="alert-actions">
        <label htmlFor={noteId} className="visually-hidden">
          {t('desk.alerts.noteFor', { message: alert.message })}
        </label>
        <input id={noteId} value={note} placeholder={t('desk.note')} onChange={(e) => setNote(e.target.value)} />
        {alert.status === 'open' ? (
          <button type="button" className="button" disabled={busy} onClick={() => void act(() => deskApi.acknowledge(alert.id, { note }))}>
            {t('desk.alerts.acknowledge')}
          </button>
        ) : null}
        <button type="button" className="button primary" disabled={busy} onClick={() => void act(() => deskApi.resolve(alert.id, { note }))}>
          {t('desk.alerts.resolve')}
        </button>
      </div>
      <Refused error={refused} />
    </li>
  );
}

/** The way from a directive task's deadline alert to the task in its document; nothing for other alerts. */
export function TaskLink({ subject }: { subject: string }) {
  const { t } = useI18n();
  const task = taskOfAlertSubject(subject);
  if (!task) return null;
  return (
    <p className="small">
      <Link to={directiveUrl(task.documentNumber, { task: task.key })}>{t('desk.alerts.openTask', { task: `${task.documentNumber} #${task.key}${task.occurrence ? ` (${task.occurrence})` : ''}` })}</Link>
    </p>
  );
}
