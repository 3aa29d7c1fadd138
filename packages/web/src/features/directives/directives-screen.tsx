import type { DirectiveCompletionAnswer, DirectiveCompletionRow, DirectiveDocumentSummary, DirectiveOverdue } from '@watchfloor/core';
import { DIRECTIVE_TASK_STATUSES } from '@watchfloor/core';
import { directiveUrl, directivesUrl } from '../../app/routes';
import { ErrorPanel } from '../../lib/error-panel';
import { ExportMenu } from '../../lib/export-menu';
import { formatDate, formatInstant, formatPercent } from '../../lib/i18n/format';
import { useI18n } from '../../lib/i18n/i18n';
import { Loading } from '../../lib/loading';
import { Link, navigate } from '../../lib/router';
import { useLiveRefresh } from '../../lib/use-live';
import { useRequest } from '../../lib/use-request';
import { PeriodPicker } from '../period/period-picker';
import { ScreenHeader } from '../place/screen-header';
import { DirectiveImport } from './directive-import';
import { DirRefused } from './directive-parts';
import { DIRECTIVES_LIVE, directivesClient } from './directives-api';
import { agencyName, directivePeriod, overdueFirst, pickerDate, statusKey, statusTone, worstFirst } from './directives-model';
import './directives.css';

/**
 * Leadership directives for leaders (/directives?period=&agency=): how the
 * tasks falling due in a period were carried out, by lead agency (assigned,
 * done on time, done late, overdue, in progress, the on-time rate) and the
 * tasks overdue now, most days late first. An agency opens to its figures,
 * its overdue tasks and its documents; a task opens to its document with
 * its timeline.
 */
export function DirectivesScreen({ search, today }: { search: string; today: string }) {
  const params = new URLSearchParams(search);
  const period = directivePeriod(params.get('period') || undefined, today);
  const agency = params.get('agency') || undefined;
  return agency ? <AgencyView agency={agency} period={period} today={today} /> : <Overview period={period} today={today} />;
}

interface PeriodDates {
  key: string;
  from: string;
  to: string;
}

function Overview({ period, today }: { period: PeriodDates; today: string }) {
  const { t, lang } = useI18n();
  const completion = useRequest(directivesClient.completion(period.from, period.to), { keepPrevious: true });
  const overdue = useRequest(directivesClient.overdue(), { keepPrevious: true });
  // A report or decision anywhere in the viewer's reach moves the figures and the list: read them again.
  useLiveRefresh(DIRECTIVES_LIVE, () => {
    completion.retry();
    overdue.retry();
  });
  if (completion.error) return <ErrorPanel error={completion.error} onRetry={completion.retry} />;
  if (!completion.data) return <Loading />;
  const data = completion.data;
  return (
    <div className={`screen directives-screen${completion.stale ? ' is-loading' : ''}`} data-testid="directives-screen">
      <ScreenHeader crumbs={[{ label: t('dir.title') }]} title={t('dir.title')} subtitle={t('dir.subtitle')}>
        <PeriodPicker value={period.key} at={pickerDate(today)} onChange={(next) => navigate(directivesUrl({ period: next }))} />
      </ScreenHeader>
      <PeriodNote data={data} />
      <section className="panel" aria-labelledby="dir-completion-title">
        <h2 id="dir-completion-title">{t('dir.completionTitle')}</h2>
        <CompletionTable data={data} period={period.key} />
      </section>
      <section className="panel" aria-labelledby="dir-overdue-title">
        <div className="panel-head">
          <h2 id="dir-overdue-title">{t('dir.overdueTitle')}</h2>
          {overdue.data ? <ExportMenu href={directivesClient.overdueHref()} /> : null}
        </div>
        {overdue.error ? (
          <DirRefused error={overdue.error} />
        ) : !overdue.data ? (
          <Loading />
        ) : (
          <>
            <p className="small muted">{t('dir.asOf', { at: formatInstant(overdue.data.asOf, lang) })}</p>
            <OverdueTable tasks={overdue.data.tasks} period={period.key} labelledBy="dir-overdue-title" />
          </>
        )}
      </section>
      <DirectiveImport />
    </div>
  );
}

function PeriodNote({ data }: { data: Pick<DirectiveCompletionAnswer, 'from' | 'to' | 'asOf'> }) {
  const { t, lang } = useI18n();
  return <p className="small muted">{t('dir.periodNote', { from: formatDate(data.from, lang), to: formatDate(data.to, lang), at: formatInstant(data.asOf, lang) })}</p>;
}

function Rate({ row }: { row: Pick<DirectiveCompletionRow, 'onTimeRate'> }) {
  const { t, lang } = useI18n();
  const r = row.onTimeRate;
  if (r.value === null) return <span className="muted">{t('dir.rateNone')}</span>;
  return <span title={`${r.numerator}/${r.denominator}`}>{formatPercent(r.value * 100, lang)}</span>;
}

const FIGURES = ['assigned', 'doneOnTime', 'doneLate', 'overdue', 'inProgress'] as const;

/** The completion figures of each agency, the ones with most overdue first, and the province's total below. */
export function CompletionTable({ data, period }: { data: DirectiveCompletionAnswer; period: string }) {
  const { t, lang } = useI18n();
  if (data.agencies.length === 0) return <p className="muted">{t('dir.noCompletion')}</p>;
  const cells = (r: DirectiveCompletionRow) => (
    <>
      {FIGURES.map((f) => (
        <td key={f} className="num" data-figure={f}>
          {f === 'overdue' && r.overdue > 0 ? <span className="badge badge-late">{r.overdue}</span> : r[f]}
        </td>
      ))}
      <td className="num" data-figure="onTimeRate">
        <Rate row={r} />
      </td>
    </>
  );
  return (
    <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="dir-completion-title">
      <table className="data-table" data-testid="dir-completion">
        <thead>
          <tr>
            <th scope="col">{t('dir.agency')}</th>
            <th scope="col" className="num">
              {t('dir.assigned')}
            </th>
            <th scope="col" className="num">
              {t('dir.doneOnTime')}
            </th>
            <th scope="col" className="num">
              {t('dir.doneLate')}
            </th>
            <th scope="col" className="num">
              {t('dir.overdue')}
            </th>
            <th scope="col" className="num">
              {t('dir.inProgress')}
            </th>
            <th scope="col" className="num">
              {t('dir.onTimeRate')}
            </th>
          </tr>
        </thead>
        <tbody>
          {worstFirst(data.agencies).map((r) => {
            const name = agencyName({ code: r.organisation, name: r.name, nameEn: r.nameEn }, lang);
            return (
              <tr key={r.organisation} data-agency={r.organisation}>
                <th scope="row">
                  <Link to={directivesUrl({ period, agency: r.organisation })} aria-label={t('dir.openAgency', { name })}>
                    {name}
                  </Link>
                </th>
                {cells(r)}
              </tr>
            );
          })}
        </tbody>
        <tfoot>
          <tr className="dir-total" data-agency="total">
            <th scope="row">{t('dir.total')}</th>
            {cells(data.total)}
          </tr>
        </tfoot>
      </table>
    </div>
  );
}

/** The tasks overdue now: agency, task (to its document with its timeline), deadline and days late, most late first. */
export function OverdueTable({ tasks, period, labelledBy, showAgency = true }: { tasks: readonly DirectiveOverdue[]; period?: string; labelledBy: string; showAgency?: boolean }) {
  const { t, lang } = useI18n();
  if (tasks.length === 0) return <p className="muted">{t('dir.noOverdue')}</p>;
  const rows = overdueFirst(tasks.map((x) => ({ ...x, agencyName: agencyName(x.lead, lang), taskKey: x.key })));
  return (
    <div className="table-scroll" tabIndex={0} role="region" aria-labelledby={labelledBy}>
      <table className="data-table" data-testid="dir-overdue">
        <thead>
          <tr>
            {showAgency ? <th scope="col">{t('dir.agency')}</th> : null}
            <th scope="col">{t('dir.task')}</th>
            <th scope="col">{t('dir.deadline')}</th>
            <th scope="col" className="num">
              {t('dir.daysLate')}
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((x) => (
            <tr key={`${x.taskId}|${x.occurrence ?? ''}`} data-task={`${x.documentNumber}#${x.key}`}>
              {showAgency ? (
                <td>
                  <Link to={directivesUrl({ period, agency: x.lead.code })}>{x.agencyName}</Link>
                </td>
              ) : null}
              <th scope="row">
                <Link to={directiveUrl(x.documentNumber, { task: x.key })}>
                  {x.documentNumber} · {x.key}
                  {x.occurrence ? ` · ${t('dir.occurrence', { key: x.occurrence })}` : ''}
                </Link>
                <div className="small dir-overdue-text" title={x.text}>
                  {x.text}
                </div>
                {x.extensionRequested ? <span className="badge dir-chip dir-tone-open">{t('dirStatus.extensionAsked')}</span> : null}
              </th>
              <td>
                {formatDate(x.deadline, lang)}
                {x.extended && x.originalDeadline !== x.deadline ? <div className="small muted">{t('dir.originalDeadline', { date: formatDate(x.originalDeadline, lang) })}</div> : null}
              </td>
              <td className="num">
                <span className="badge badge-late">{t('dir.lateDays', { n: x.daysLate })}</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** /directives?agency=CODE: one agency's figures for the period, its overdue tasks, and its documents with their tasks per status. */
function AgencyView({ agency, period, today }: { agency: string; period: PeriodDates; today: string }) {
  const { t, lang } = useI18n();
  const completion = useRequest(directivesClient.completion(period.from, period.to, agency), { keepPrevious: true });
  const overdue = useRequest(directivesClient.overdue(agency), { keepPrevious: true });
  const documents = useRequest(directivesClient.documents(agency), { keepPrevious: true });
  useLiveRefresh(DIRECTIVES_LIVE, () => {
    completion.retry();
    overdue.retry();
    documents.retry();
  });
  const back = directivesUrl({ period: period.key });
  if (completion.error) return <ErrorPanel error={completion.error} onRetry={completion.retry} backTo={back} />;
  if (!completion.data) return <Loading />;
  const data = completion.data;
  const row = data.agencies.find((r) => r.organisation === agency) ?? null;
  const overdueNames = overdue.data?.tasks.find((x) => x.lead.code === agency)?.lead;
  const name = row ? agencyName({ code: agency, name: row.name, nameEn: row.nameEn }, lang) : overdueNames ? agencyName(overdueNames, lang) : agency;
  return (
    <div className={`screen directives-screen${completion.stale ? ' is-loading' : ''}`} data-testid="directives-agency" data-agency={agency}>
      <ScreenHeader crumbs={[{ label: t('dir.title'), href: back }, { label: name }]} title={t('dir.agencyTitle', { name })}>
        <PeriodPicker value={period.key} at={pickerDate(today)} onChange={(next) => navigate(directivesUrl({ period: next, agency }))} />
      </ScreenHeader>
      <PeriodNote data={data} />
      <section className="panel" aria-labelledby="dir-agency-figures">
        <h2 id="dir-agency-figures">{t('dir.completionTitle')}</h2>
        {row ? <AgencyFigures row={row} /> : <p className="muted">{t('dir.noTasks')}</p>}
      </section>
      <section className="panel" aria-labelledby="dir-overdue-title">
        <h2 id="dir-overdue-title">{t('dir.overdueTitle')}</h2>
        {overdue.error ? (
          <DirRefused error={overdue.error} />
        ) : !overdue.data ? (
          <Loading />
        ) : (
          <OverdueTable tasks={overdue.data.tasks} period={period.key} labelledBy="dir-overdue-title" showAgency={false} />
        )}
      </section>
      <section className="panel" aria-labelledby="dir-documents-title">
        <h2 id="dir-documents-title">{t('dir.agencyTasks')}</h2>
        {documents.error ? (
          <DirRefused error={documents.error} />
        ) : !documents.data ? (
          <Loading />
        ) : (
          <DocumentsTable documents={documents.data.documents} agency={agency} />
        )}
      </section>
    </div>
  );
}

/** One agency's figures as a list of terms: each figure with its word, readable at 390 px. */
export function AgencyFigures({ row }: { row: DirectiveCompletionRow }) {
  const { t } = useI18n();
  return (
    <dl className="dir-facts" data-testid="dir-agency-figures">
      {FIGURES.map((f) => (
        <div key={f} data-figure={f}>
          <dt>{t(`dir.${f}`)}</dt>
          <dd>
            <strong>{row[f]}</strong>
          </dd>
        </div>
      ))}
      <div data-figure="onTimeRate">
        <dt>{t('dir.onTimeRate')}</dt>
        <dd>
          <strong>
            <Rate row={row} />
          </strong>
        </dd>
      </div>
    </dl>
  );
}

/** The documents holding an agency's tasks, each to its page showing that agency's tasks, with the tasks per status now. */
export function DocumentsTable({ documents, agency }: { documents: readonly DirectiveDocumentSummary[]; agency?: string }) {
  const { t, lang } = useI18n();
  if (documents.length === 0) return <p className="muted">{t('dir.noTasks')}</p>;
  return (
    <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="dir-documents-title">
      <table className="data-table" data-testid="dir-documents">
        <thead>
          <tr>
            <th scope="col">{t('dir.document')}</th>
            <th scope="col">{t('dir.docDate')}</th>
            <th scope="col">{t('dir.status')}</th>
          </tr>
        </thead>
        <tbody>
          {documents.map((d) => (
            <tr key={d.id} data-document={d.number}>
              <th scope="row">
                <Link to={directiveUrl(d.number, { agency })}>
                  {t(`dirKind.${d.kind}`)} {d.number}
                </Link>
                {d.synthetic ? (
                  <span className="badge" title={t('dir.syntheticTitle')}>
                    {t('dir.synthetic')}
                  </span>
                ) : null}
                <div className="small dir-overdue-text" title={d.summary}>
                  {d.summary}
                </div>
              </th>
              <td>{formatDate(d.date, lang)}</td>
              <td>
                {DIRECTIVE_TASK_STATUSES.filter((s) => (d.counts[s] ?? 0) > 0).map((s) => (
                  <span key={s} className={`badge dir-chip dir-tone-${statusTone(s)}`}>
                    {t(statusKey(s))}: {d.counts[s]}
                  </span>
                ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
