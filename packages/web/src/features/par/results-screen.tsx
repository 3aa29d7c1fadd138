import type { ParCycle, ParUnitKind } from '@watchfloor/core';
import { useId, useMemo } from 'react';
import { ErrorPanel } from '../../lib/error-panel';
import { formatInstant } from '../../lib/i18n/format';
import { useI18n } from '../../lib/i18n/i18n';
import { Loading } from '../../lib/loading';
import { navigate } from '../../lib/router';
import { useSession } from '../../lib/session';
import { SignInLine } from '../../lib/sign-in-prompt';
import { useRequest } from '../../lib/use-request';
import { parResultsUrl } from '../../app/routes';
import { ScreenHeader } from '../place/screen-header';
import { ParMap } from './par-map';
import { parResultsApi } from './results-api';
import { allFinal, bandColours, kindOf, latestCycle, nameIn, rankingOf } from './results-model';
import { ParDeskLink } from './cycle-desk-link';
import { ResultsTable } from './results-table';
import './results.css';

const KINDS: readonly ParUnitKind[] = ['department', 'commune'];

/**
 * The PAR Index results (/par, /par/:id?kind=commune): a cycle picked from
 * those the reader may see (the public, the published ones only), the
 * ranking of its departments or of its communes, the communes on the map
 * coloured by band, and the official tables as XLSX for signed-in readers.
 */
export function ParResultsScreen({ id, search }: { id: string | null; search: string }) {
  const { t } = useI18n();
  const session = useSession();
  const cycles = useRequest(parResultsApi.cycles());
  if (cycles.error) return <ErrorPanel error={cycles.error} onRetry={cycles.retry} />;
  if (!cycles.data || session.status === 'loading') return <Loading />;
  const list = cycles.data.cycles;
  const shown = id === null ? latestCycle(list) : (list.find((c) => String(c.id) === id) ?? null);
  const signedIn = session.status === 'user';
  if (!shown && id === null) {
    return (
      <div className="screen par-results" data-testid="par-results">
        <ScreenHeader crumbs={[{ label: t('parResults.title') }]} title={t('parResults.title')} />
        <div className="panel par-empty" data-testid="par-empty">
          <p>{t(signedIn ? 'parResults.empty.signedIn' : 'parResults.empty.anonymous')}</p>
          {signedIn ? null : <SignInLine text="parResults.empty.signInHint" />}
          <ParDeskLink />
        </div>
      </div>
    );
  }
  // A cycle not in the list (not published, for the public) is asked for all the same: the server says why it cannot be shown.
  return <CycleResults id={shown?.id ?? Number(id)} cycles={list} kind={kindOf(search)} signedIn={signedIn} />;
}

function CycleResults({ id, cycles, kind, signedIn }: { id: number; cycles: readonly ParCycle[]; kind: ParUnitKind; signedIn: boolean }) {
  const { t, lang } = useI18n();
  const pickId = useId();
  const results = useRequest(parResultsApi.results(id), { keepPrevious: true });
  const data = results.data;
  // The framework (its decision) is read by signed-in readers; the results name their own criteria.
  const framework = useRequest(data && signedIn ? parResultsApi.framework(data.cycle.frameworkCode) : null);
  const colours = useMemo(() => bandColours(data?.bands ?? []), [data?.bands]);
  if (results.error) return <ErrorPanel error={results.error} onRetry={results.retry} />;
  if (!data) return <Loading />;
  const cycle = data.cycle;
  const ranking = rankingOf(data.results, kind);
  const undecided = ranking.filter((r) => !r.final).length;
  const decision = framework.data?.summary.decision;
  const title = t('parResults.title');
  return (
    <div className={`screen par-results${results.stale ? ' is-loading' : ''}`} data-testid="par-results" data-cycle={cycle.id}>
      <ScreenHeader
        crumbs={[{ label: title, href: parResultsUrl(null) }, { label: nameIn(cycle, lang) }]}
        title={`${title} ${cycle.year}`}
        subtitle={t('parResults.subtitle', { year: cycle.year })}
      >
        <div className="field par-cycle-pick">
          <label htmlFor={pickId}>{t('parResults.cycle')}</label>
          <select id={pickId} value={cycle.id} onChange={(e) => navigate(parResultsUrl(e.target.value, kind))} data-testid="par-cycle">
            {(cycles.some((c) => c.id === cycle.id) ? cycles : [cycle, ...cycles]).map((c) => (
              <option key={c.id} value={c.id}>
                {nameIn(c, lang)}
              </option>
            ))}
          </select>
        </div>
      </ScreenHeader>

      <div className="par-marks">
        {cycle.example ? (
          <p className="note par-example" data-testid="par-example">
            <span className="badge">{t('parResults.example')}</span> {t('parResults.exampleNote')}
          </p>
        ) : null}
        {!allFinal(ranking) ? (
          <p className="note par-provisional-note" data-testid="par-provisional">
            <span className="badge badge-provisional">{t('parResults.provisional')}</span> {t('parResults.provisionalNote', { n: undecided })}
          </p>
        ) : null}
        <p className="muted small">
          {cycle.publishedAt ? t('parResults.published', { date: formatInstant(cycle.publishedAt, lang) }) : t('parResults.notPublished')}
          {decision ? ` · ${t('parResults.decision', { decision: `${decision.number} (${decision.issuer})` })}` : null}
        </p>
      </div>

      <div className="par-toolbar">
        <div className="segmented" role="group" aria-label={t('parResults.kinds')}>
          {KINDS.map((k) => (
            <button key={k} type="button" className={k === kind ? 'active' : undefined} aria-pressed={k === kind} onClick={() => navigate(parResultsUrl(cycle.id, k))} data-testid={`par-kind-${k}`}>
              {t(`parResults.kind.${k}`)}
            </button>
          ))}
        </div>
        {signedIn ? (
          <a className="button small" href={parResultsApi.xlsxHref(cycle.id)} download data-testid="par-xlsx">
            {t('parResults.xlsx')}
          </a>
        ) : null}
        <ParDeskLink cycle={cycle.id} />
      </div>

      {kind === 'commune' && ranking.length > 0 ? <ParMap data={data} colours={colours} linkUnits={signedIn} /> : null}

      <section className="panel par-ranking" aria-label={t('parResults.tableLabel', { kind: t(`parResults.kind.${kind}`) })}>
        <ResultsTable data={data} kind={kind} colours={colours} linkUnits={signedIn} />
      </section>
    </div>
  );
}
