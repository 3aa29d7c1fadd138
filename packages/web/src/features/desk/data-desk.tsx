import type { Grant, Source, SourceFreshness } from '@watchfloor/core';
import { ExportMenu } from '../../lib/export-menu';
import { formatInstant } from '../../lib/i18n/format';
import { useI18n } from '../../lib/i18n/i18n';
import { Loading } from '../../lib/loading';
import { Link } from '../../lib/router';
import { useLiveRefresh } from '../../lib/use-live';
import { useRequest } from '../../lib/use-request';
import { useSession } from '../../lib/session';
import { deskApi } from './desk-api';
import { DeskError, DeskNav, Refused } from './desk-nav';
import { dataDeskUrl, readDataSelection } from './desk-routes';
import { FileUpload, ReadingsUpload, takesSensorExport } from './file-upload';
import { LayoutEditor } from './layout-editor';
import { offersLayout } from './layout-model';
import { ManualEntryForm } from './manual-entry';
import { RejectedTable } from './rejected-table';

/** The data desk: every source with its freshness; one source's runs, a run's rejected rows, manual entry and file upload. */
export function DataDesk({ search }: { search: string }) {
  const { t, lang } = useI18n();
  const sel = readDataSelection(search);
  const sources = useRequest(deskApi.sources());
  const grants = useGrants();
  const freshness = useRequest(deskApi.freshness(), { keepPrevious: true });
  // A delivery moves a source's freshness.
  useLiveRefresh({ indicators: 'any' }, freshness.retry);

  if (sources.error) return <DeskError error={sources.error} onRetry={sources.retry} to={dataDeskUrl()} label="data" />;
  const byCode = new Map<string, SourceFreshness>((freshness.data?.sources ?? []).map((f) => [f.source, f]));
  const selected = sources.data?.sources.find((s) => s.code === sel.source);
  return (
    <div className="screen desk" data-testid="data-desk">
      <DeskNav current="data" />
      <header className="screen-header">
        <div>
          <h1>{t('desk.data.title')}</h1>
          <p className="subtitle">{t('desk.data.intro')}</p>
        </div>
      </header>
      {freshness.error ? <DeskError error={freshness.error} onRetry={freshness.retry} to={dataDeskUrl()} label="data" /> : null}
      {!sources.data ? (
        <Loading />
      ) : (
        <div className="data-layout">
          <section className="panel" aria-labelledby="sources-title">
            <h2 id="sources-title">{t('desk.data.sources')}</h2>
            <div className="table-scroll desk-scroll" tabIndex={0} role="region" aria-labelledby="sources-title">
              <table className="data-table" data-testid="source-table">
                <thead>
                  <tr>
                    <th scope="col">{t('desk.data.source')}</th>
                    <th scope="col">{t('desk.data.kind')}</th>
                    <th scope="col">{t('desk.data.freshness')}</th>
                    <th scope="col">{t('desk.data.lastArrival')}</th>
                    <th scope="col">{t('desk.data.due')}</th>
                  </tr>
                </thead>
                <tbody>
                  {sources.data.sources.map((s) => {
                    const f = byCode.get(s.code);
                    return (
                      <tr key={s.code} className={s.code === sel.source ? 'selected' : undefined} data-source={s.code}>
                        <th scope="row">
                          <Link to={dataDeskUrl({ source: s.code })} aria-current={s.code === sel.source ? 'true' : undefined}>
                            {s.name}
                          </Link>
                          <div className="small muted">{s.code}</div>
                        </th>
                        <td>{t(`source.kind.${s.kind}`)}</td>
                        <td>{f ? <span className={`badge fresh-${f.state}`}>{t(`source.state.${f.state}`)}</span> : '—'}</td>
                        <td>{s.lastArrivalAt ? formatInstant(s.lastArrivalAt, lang) : t('desk.data.never')}</td>
                        <td>{f?.dueAt ? formatInstant(f.dueAt, lang) : '—'}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          </section>
          {sel.source && !selected ? <Refused error={{ code: 'unknown_source', message: sel.source }} /> : null}
          {selected && sel.layout && offersLayout(grants, selected) ? (
            <LayoutEditor source={selected} />
          ) : selected ? (
            <SourcePanel source={selected} run={sel.run} />
          ) : (
            <p className="note">{t('desk.data.choose')}</p>
          )}
        </div>
      )}
      <LateList />
    </div>
  );
}

/** What is late, sources then indicators, the most overdue first: the list the agencies are reminded from, and its export. */
function LateList() {
  const { t, lang } = useI18n();
  const late = useRequest(deskApi.late(), { keepPrevious: true });
  // A delivery may end a lateness.
  useLiveRefresh({ indicators: 'any' }, late.retry);
  const rows = late.data
    ? [
        ...late.data.sources.map((s) => ({ key: `s-${s.source}`, kind: t('desk.data.lateSource'), code: s.source, name: s.name, agency: s.ownerOrganisationName ?? s.ownerOrganisationCode, lateSince: s.lateSince, missing: s.missingPeriod })),
        ...late.data.indicators.map((i) => ({ key: `i-${i.indicator}`, kind: t('desk.data.lateIndicator'), code: i.indicator, name: i.names[lang], agency: i.organisation?.name ?? i.organisation?.code ?? null, lateSince: i.lateSince, missing: i.missingPeriod })),
      ]
    : [];
  return (
    <section className="panel" aria-labelledby="late-title" data-testid="late-list">
      <div className="panel-head">
        <h2 id="late-title">{t('desk.data.late')}</h2>
        {rows.length > 0 ? <ExportMenu href={deskApi.lateHref()} /> : null}
      </div>
      {late.error ? (
        <DeskError error={late.error} onRetry={late.retry} to={dataDeskUrl()} label="data" />
      ) : !late.data ? (
        <Loading />
      ) : rows.length === 0 ? (
        <p className="muted">{t('desk.data.noneLate')}</p>
      ) : (
        <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="late-title">
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">{t('desk.data.lateKind')}</th>
                <th scope="col">{t('desk.data.lateName')}</th>
                <th scope="col">{t('desk.data.lateAgency')}</th>
                <th scope="col">{t('desk.data.lateSince')}</th>
                <th scope="col">{t('desk.data.missing')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.key}>
                  <td>{r.kind}</td>
                  <th scope="row">
                    {r.name}
                    <div className="small muted">{r.code}</div>
                  </th>
                  <td>{r.agency ?? '—'}</td>
                  <td>{r.lateSince ? formatInstant(r.lateSince, lang) : '—'}</td>
                  <td>{r.missing ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/** The grants of the person signed in; null for the public. */
function useGrants(): readonly Grant[] | null {
  const session = useSession();
  return session.status === 'user' ? session.user.roles : null;
}

function SourcePanel({ source, run }: { source: Source; run: number | undefined }) {
  const { t, lang } = useI18n();
  const grants = useGrants();
  const runs = useRequest(deskApi.runs(source.code), { keepPrevious: true });
  return (
    <div className="source-panel" data-testid="source-panel" data-source={source.code}>
      <section className="panel" aria-labelledby="runs-title">
        <div className="panel-head">
          <h2 id="runs-title">{t('desk.data.runs', { name: source.name })}</h2>
          {runs.data && runs.data.runs.length > 0 ? <ExportMenu href={deskApi.runsHref(source.code)} /> : null}
        </div>
        {runs.error ? (
          <DeskError error={runs.error} onRetry={runs.retry} to={dataDeskUrl()} label="data" />
        ) : !runs.data ? (
          <Loading />
        ) : runs.data.runs.length === 0 ? (
          <p className="muted">{t('desk.data.noRuns')}</p>
        ) : (
          // Wider than a phone: it scrolls within itself, the page does not.
          <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="runs-title">
            <table className="data-table" data-testid="run-table">
              <thead>
                <tr>
                  <th scope="col">{t('desk.data.run')}</th>
                  <th scope="col">{t('desk.data.runStatus')}</th>
                  <th scope="col" className="num">
                    {t('desk.data.read')}
                  </th>
                  <th scope="col" className="num">
                    {t('desk.data.accepted')}
                  </th>
                  <th scope="col" className="num">
                    {t('desk.data.rejected')}
                  </th>
                  <th scope="col">{t('desk.data.detail')}</th>
                </tr>
              </thead>
              <tbody>
                {runs.data.runs.map((r) => (
                  <tr key={r.id} className={r.id === run ? 'selected' : undefined}>
                    <th scope="row">
                      #{r.id} · {formatInstant(r.startedAt, lang)}
                      <div className="small muted">{t(`source.kind.${r.channel}`)}</div>
                    </th>
                    <td>
                      <span className={`badge run-${r.status}`}>{t(`run.status.${r.status}`)}</span>
                      {r.error ? <div className="small field-error">{r.error}</div> : null}
                    </td>
                    <td className="num">{r.rowsRead}</td>
                    <td className="num">{r.rowsAccepted}</td>
                    <td className="num">
                      {r.rowsRejected > 0 ? (
                        <Link to={dataDeskUrl({ source: source.code, run: r.id })} aria-label={t('desk.data.showRejected', { n: r.rowsRejected, run: r.id })}>
                          {r.rowsRejected}
                        </Link>
                      ) : (
                        0
                      )}
                    </td>
                    <td className="small">{[r.fileName, r.enteredBy].filter(Boolean).join(' · ')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      {run ? <RejectedRows run={run} source={source.code} /> : null}
      {offersLayout(grants, source) ? (
        <section className="panel" aria-labelledby="layout-open-title" data-testid="layout-open">
          <h2 id="layout-open-title">{t('desk.editor.open')}</h2>
          <p className="small muted">{t('desk.editor.openHint')}</p>
          <Link to={dataDeskUrl({ source: source.code, layout: true })} className="button">
            {t('desk.editor.open')}
          </Link>
        </section>
      ) : null}
      {source.kind === 'manual' ? <ManualEntryForm source={source} onEntered={runs.retry} /> : null}
      {source.kind === 'derived' ? null : !source.enabled ? (
        <p className="note">{t('desk.data.disabled')}</p>
      ) : takesSensorExport(source) ? (
        <ReadingsUpload source={source} onCommitted={runs.retry} />
      ) : (
        <FileUpload source={source} onCommitted={runs.retry} />
      )}
    </div>
  );
}

function RejectedRows({ run, source }: { run: number; source: string }) {
  const { t } = useI18n();
  const rows = useRequest(deskApi.rejected(run));
  return (
    <section className="panel" aria-labelledby="rejected-title" data-testid="rejected-rows">
      <div className="panel-head">
        <h2 id="rejected-title">{t('desk.data.rejectedOf', { run })}</h2>
        <a className="button small" href={deskApi.rejectedCsvUrl(run)} download>
          {t('desk.data.csv')}
        </a>
      </div>
      {rows.error ? (
        <DeskError error={rows.error} onRetry={rows.retry} to={dataDeskUrl({ source })} label="data" />
      ) : !rows.data ? (
        <Loading />
      ) : (
        <>
          {rows.data.total > rows.data.rows.length ? <p className="muted small">{t('desk.data.firstRows', { n: rows.data.rows.length, total: rows.data.total })}</p> : null}
          <RejectedTable rows={rows.data.rows} />
        </>
      )}
    </section>
  );
}
