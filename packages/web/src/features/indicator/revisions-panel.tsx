import { periodMatchesFrequency, type IndicatorDefinition } from '@watchfloor/core';
import { api } from '../../lib/api';
import { ErrorPanel } from '../../lib/error-panel';
import { formatInstant } from '../../lib/i18n/format';
import { useI18n } from '../../lib/i18n/i18n';
import { Link } from '../../lib/router';
import { Loading } from '../../lib/loading';
import { useSession } from '../../lib/session';
import { SignInLine, signedInAccess } from '../../lib/sign-in-prompt';
import { useRequest } from '../../lib/use-request';
import { indicatorUrl, type ViewQuery } from '../../app/routes';
import { labelOf } from '../period/period-label';
import { tryParsePeriod } from '../period/period-logic';

/** The indicators a derived or composite one is computed from: where its revisions are. */
export function sourcesOf(def: IndicatorDefinition): string[] {
  if (def.kind === 'composite') return def.components.map((c) => c.code);
  if (def.kind === 'derived') return def.ratio ? [def.ratio.numerator, def.ratio.denominator] : [...new Set(def.formula.match(/[A-Z][A-Z0-9_]*/g) ?? [])];
  return [];
}

/**
 * Every revision of the figure selected (who sent which value when). A
 * figure summed from the units below, or computed, has none of its own: the
 * panel says so and links to what it is made of.
 */
export function RevisionsPanel({ indicator, def, place, placeName, period, query, format }: { indicator: string; def: IndicatorDefinition | undefined; place: string; placeName: string; period: string | undefined; query: ViewQuery; format: (v: number) => string }) {
  const { t, lang } = useI18n();
  const sources = def ? sourcesOf(def) : [];
  // Only a reported (base) indicator has revisions of its own, and only for the periods it is reported for
  // (a monthly figure's quarter is composed); wait for the definition to know.
  const kind = tryParsePeriod(period)?.kind;
  const composed = def !== undefined && kind !== undefined && !periodMatchesFrequency(kind, def.frequency);
  // Revisions (who sent what) are for signed-in users: nobody signed in, a line offers to sign in and nothing is asked.
  const access = signedInAccess(useSession());
  const own = period !== undefined && def !== undefined && sources.length === 0 && !composed;
  const history = useRequest(own && access === 'read' ? api.history({ indicator, place, period }) : null);
  return (
    <section className="panel revisions" aria-labelledby="revisions-title" aria-live="polite">
      <h2 id="revisions-title">{period ? t('revisions.title', { period: labelOf(period, lang) }) : t('revisions.title', { period: '…' })}</h2>
      {!period ? <p className="muted">{t('revisions.pick')}</p> : null}
      {period && sources.length > 0 ? (
        <p>
          {t('revisions.components', { codes: '' })}
          {sources.map((code, i) => (
            <span key={code}>
              {i > 0 ? ', ' : ' '}
              <Link to={indicatorUrl(place, code, { ...query, sel: period, map: undefined })}>{code}</Link>
            </span>
          ))}
        </p>
      ) : null}
      {period && def && sources.length === 0 && composed ? <p className="muted">{t('revisions.composed', { frequency: t(`frequency.${def.frequency}`).toLowerCase() })}</p> : null}
      {own && access === 'signIn' ? <SignInLine text="access.revisions" /> : null}
      {history.loading || (own && access === 'wait') ? <Loading /> : null}
      {history.error?.code === 'not_found' ? <p className="muted">{t('revisions.notStored', { place: placeName })}</p> : null}
      {history.error && history.error.code !== 'not_found' ? <ErrorPanel error={history.error} onRetry={history.retry} /> : null}
      {history.data ? (
        <table className="data-table" data-testid="revisions-table">
          <thead>
            <tr>
              <th scope="col">{t('revisions.revision')}</th>
              <th scope="col" className="num">{t('revisions.value')}</th>
              <th scope="col">{t('revisions.status')}</th>
              <th scope="col">{t('revisions.source')}</th>
              <th scope="col">{t('revisions.recordedAt')}</th>
            </tr>
          </thead>
          <tbody>
            {history.data.revisions.map((r) => (
              <tr key={r.revision}>
                <td>{r.revision}</td>
                <td className="num">{format(r.value)}</td>
                <td>{t(`status.${r.status}`)}</td>
                <td>
                  {r.source}
                  {r.enteredBy ? ` · ${r.enteredBy}` : ''}
                  {r.note ? <div className="muted small">{r.note}</div> : null}
                </td>
                <td>{formatInstant(r.recordedAt, lang)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
