import type { DirectiveOverdue, Panel } from '@watchfloor/core';
import { useEffect, useRef, type ReactNode } from 'react';
import { directiveUrl, directivesUrl } from '../../app/routes';
import { ErrorPanel } from '../../lib/error-panel';
import { formatInstant } from '../../lib/i18n/format';
import { useI18n } from '../../lib/i18n/i18n';
import { Loading } from '../../lib/loading';
import { Link } from '../../lib/router';
import { useSession } from '../../lib/session';
import { SignInLine, signedInAccess, type SignedInAccess } from '../../lib/sign-in-prompt';
import { useRequest } from '../../lib/use-request';
import type { BoardView } from '../dashboards/panels';
import { directivesClient } from './directives-api';
import { agencyName, overdueFirst } from './directives-model';
import './overdue-panel.css';

type DirectivesPanel = Extract<Panel, { kind: 'directives' }>;

/**
 * The dashboard panel "Overdue directive tasks" (Nhiệm vụ chỉ đạo quá
 * hạn): the leadership directive tasks overdue now that the viewer may
 * read (the server keeps to their scope), most days late first, each with
 * its lead agency, its words and its document; large on the wall. A report
 * or decision moves the board's generation and the list is read again.
 * Directives are read signed in: nobody signed in is offered to sign in.
 */
export function OverdueDirectivesPanel({ panel, view }: { panel: DirectivesPanel; view: BoardView }) {
  const access = signedInAccess(useSession());
  const overdue = useRequest(access === 'read' ? directivesClient.overdue() : null, { keepPrevious: true });
  const first = useRef(view.generation);
  const retry = useRef(overdue.retry);
  retry.current = overdue.retry;
  useEffect(() => {
    if (view.generation !== first.current) retry.current();
  }, [view.generation]);
  return (
    <OverdueDirectivesPanelView panel={panel} wall={view.wall} access={access} data={overdue.data}>
      {overdue.error ? <ErrorPanel error={overdue.error} onRetry={overdue.retry} /> : access === 'read' && !overdue.data ? <Loading /> : null}
    </OverdueDirectivesPanelView>
  );
}

/** The panel for a given answer (also used by the tests): the overdue tasks, or `children` (loading, an error) while there is none. */
export function OverdueDirectivesPanelView({
  panel,
  wall,
  access,
  data,
  children,
}: {
  panel: DirectivesPanel;
  wall: boolean;
  access: SignedInAccess;
  data: { asOf: string; tasks: readonly DirectiveOverdue[] } | undefined;
  children?: ReactNode;
}) {
  const { t, lang } = useI18n();
  const title = panel.title?.[lang] ?? t('dirPanel.title');
  const id = `panel-${panel.id}-title`;
  const rows = data ? overdueFirst(data.tasks.map((x) => ({ ...x, agencyName: agencyName(x.lead, lang), taskKey: x.key }))) : [];
  const shown = rows.slice(0, panel.limit);
  return (
    <section className="board-panel panel kind-directives" aria-labelledby={id} data-testid={`panel-${panel.id}`}>
      <header className="board-panel-head">
        <h2 id={id}>{wall || access !== 'read' ? title : <Link to={directivesUrl()}>{title}</Link>}</h2>
        {data ? (
          <span className="muted board-panel-meta">
            {t('dirPanel.count', { n: rows.length })} · {t('dir.asOf', { at: formatInstant(data.asOf, lang) })}
          </span>
        ) : null}
      </header>
      <div className="board-panel-body">
        {access === 'signIn' ? <SignInLine text="dirPanel.signIn" /> : access === 'wait' ? <Loading /> : children}
        {data && rows.length === 0 ? (
          <p className="muted" data-testid="dir-panel-none">
            {t('dir.noOverdue')}
          </p>
        ) : null}
        {shown.length > 0 ? (
          <ol className="dir-panel-list" data-testid="dir-panel-list">
            {shown.map((x) => {
              const label = `${x.documentNumber} · ${x.key}${x.occurrence ? ` · ${t('dir.occurrence', { key: x.occurrence })}` : ''}`;
              return (
                <li key={`${x.taskId}|${x.occurrence ?? ''}`} className="dir-panel-row" data-task={`${x.documentNumber}#${x.key}`}>
                  <span className="dir-panel-late" data-days={x.daysLate}>
                    {t('dir.lateBy', { n: x.daysLate })}
                  </span>
                  <span className="dir-panel-agency">{x.agencyName}</span>
                  <span className="dir-panel-text" title={x.text}>
                    {x.text}
                  </span>
                  <span className="dir-panel-doc">{wall ? label : <Link to={directiveUrl(x.documentNumber, { task: x.key })}>{label}</Link>}</span>
                </li>
              );
            })}
          </ol>
        ) : null}
        {rows.length > shown.length ? <p className="small muted dir-panel-more">{t('dirPanel.more', { n: rows.length - shown.length })}</p> : null}
      </div>
    </section>
  );
}
