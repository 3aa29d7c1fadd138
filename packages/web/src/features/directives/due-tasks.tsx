import { grantsAllow, type DirectiveDue, type DirectiveDueAnswer } from '@watchfloor/core';
import type { ReactNode } from 'react';
import { directiveUrl } from '../../app/routes';
import { formatDate, formatInstant } from '../../lib/i18n/format';
import { useI18n } from '../../lib/i18n/i18n';
import type { MessageKey } from '../../lib/i18n/translate';
import { Loading } from '../../lib/loading';
import { Link } from '../../lib/router';
import { useSession, type SessionState } from '../../lib/session';
import { useLiveRefresh } from '../../lib/use-live';
import { useRequest } from '../../lib/use-request';
import { DirRefused } from './directive-parts';
import { directivesClient } from './directives-api';
import './due-tasks.css';

/** How many Vietnam days ahead the desk looks. */
export const DESK_DUE_DAYS = 7;

/** What a task's deadline chip says: days late, due today, tomorrow, or in N days (Vietnam days, as the server counted them). */
export function dueChip(d: Pick<DirectiveDue, 'daysToDeadline'>): { key: MessageKey; n: number; tone: 'overdue' | 'late' | 'open' } {
  if (d.daysToDeadline < 0) return { key: 'dir.lateBy', n: -d.daysToDeadline, tone: 'overdue' };
  if (d.daysToDeadline === 0) return { key: 'dirDue.today', n: 0, tone: 'late' };
  if (d.daysToDeadline === 1) return { key: 'dirDue.tomorrow', n: 1, tone: 'late' };
  return { key: 'dirDue.inDays', n: d.daysToDeadline, tone: 'open' };
}

/** Whether the one signed in reports on their agency's directive tasks (a lead agency's officer): who has the section. */
export function reportsOnTasks(session: SessionState): boolean {
  return session.status === 'user' && grantsAllow(session.user.roles, 'directives.report');
}

/**
 * On the desk of a lead agency's officer (who reports on its tasks): the
 * leadership directive tasks of their agency overdue now or falling due
 * within the week, the most late first, each opening its document at the
 * task. Nothing for those who do not report on tasks; read again when a
 * directive or an alert changes.
 */
export function DueTasksSection() {
  const reports = reportsOnTasks(useSession());
  const due = useRequest(reports ? directivesClient.due(DESK_DUE_DAYS) : null, { keepPrevious: true });
  useLiveRefresh(reports ? { indicators: [], alerts: true, directives: true } : null, due.retry);
  if (!reports) return null;
  return (
    <DueTasksView data={due.data}>
      {due.error ? <DirRefused error={due.error} /> : !due.data ? <Loading /> : null}
    </DueTasksView>
  );
}

/** The section for a given answer (also used by the tests): the tasks, or `children` (loading, an error) while there is none. */
export function DueTasksView({ data, children }: { data: DirectiveDueAnswer | undefined; children?: ReactNode }) {
  const { t, lang } = useI18n();
  return (
    <section className="panel dir-due" aria-labelledby="dir-due-title" data-testid="dir-due">
      <h2 id="dir-due-title">{t('dirDue.title')}</h2>
      {data ? (
        <>
          <p className="small muted">{t('dirDue.intro', { n: data.days, at: formatInstant(data.asOf, lang) })}</p>
          {data.tasks.length === 0 ? (
            <p className="note">{t('dirDue.empty', { n: data.days })}</p>
          ) : (
            <ul className="dir-due-list">
              {data.tasks.map((d) => {
                const chip = dueChip(d);
                return (
                  <li key={`${d.taskId}@${d.occurrence ?? ''}`} className={`dir-due-item dir-due-${chip.tone}`} data-task={d.taskId} data-occurrence={d.occurrence ?? undefined}>
                    <span className={`badge dir-chip dir-tone-${chip.tone}`}>{t(chip.key, { n: chip.n })}</span>
                    <Link to={directiveUrl(d.documentNumber, { task: d.key })} className="dir-due-text">
                      {d.text}
                    </Link>
                    <span className="small muted dir-due-meta">
                      {t('dirDue.document', { number: d.documentNumber, key: d.key })}
                      {d.occurrence ? ` · ${t('dir.occurrence', { key: d.occurrence })}` : ''}
                      {' · '}
                      {t('dirDue.deadline', { date: formatDate(d.deadline, lang) })}
                      {d.extended ? ` · ${t('dirDue.extended', { date: formatDate(d.originalDeadline, lang) })}` : ''}
                      {d.extensionRequested ? ` · ${t('dirStatus.extensionAsked')}` : ''}
                    </span>
                  </li>
                );
              })}
            </ul>
          )}
        </>
      ) : (
        children
      )}
    </section>
  );
}
