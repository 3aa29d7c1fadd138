import type { PlaceDetail } from '@watchfloor/core';
import { useMemo } from 'react';
import { ErrorPanel } from '../../lib/error-panel';
import { formatAgo, formatInstant } from '../../lib/i18n/format';
import { useI18n } from '../../lib/i18n/i18n';
import { isMessageKey } from '../../lib/i18n/translate';
import { Loading } from '../../lib/loading';
import { Link } from '../../lib/router';
import { useSession } from '../../lib/session';
import { SignInLine, signedInAccess, type SignedInAccess } from '../../lib/sign-in-prompt';
import { useLiveRefresh } from '../../lib/use-live';
import { useRequest } from '../../lib/use-request';
import { leadersApi } from './feed-api';
import { buildFeed, type FeedItem } from './feed-model';

const SHOWN = 12;
// Enough of the latest to fill the feed after alerts of other places are left out.
const FETCHED = 100;

/**
 * The live feed of the place viewed: alerts still open and the newest
 * cases, merged newest first, re-read when an alert or a case changes.
 * Each line links to the alert desk or to the case. Cases and alerts are
 * for signed-in users: nobody signed in, nothing is asked of the server and
 * a line offers to sign in instead.
 */
export function LiveFeed({ place, now }: { place: PlaceDetail; now?: Date }) {
  const session = useSession();
  return <LiveFeedPanel place={place} now={now} access={signedInAccess(session)} />;
}

/** The feed for a given access (also used by the tests): requests only when it is `read`. */
export function LiveFeedPanel({ place, now = new Date(), access }: { place: PlaceDetail; now?: Date | undefined; access: SignedInAccess }) {
  const { t } = useI18n();
  const reads = access === 'read';
  const alerts = useRequest(reads ? leadersApi.alerts(FETCHED) : null, { keepPrevious: true });
  const cases = useRequest(reads ? leadersApi.cases(place.code, FETCHED) : null, { keepPrevious: true });
  useLiveRefresh({ indicators: [], alerts: true, cases: true }, () => {
    if (!reads) return;
    alerts.retry();
    cases.retry();
  });
  const items = useMemo(
    () => (alerts.data && cases.data ? buildFeed(alerts.data.alerts, cases.data.cases, { code: place.code, level: place.level, children: place.children.map((c) => c.code) }, SHOWN) : null),
    [alerts.data, cases.data, place],
  );
  const error = alerts.error ?? cases.error;
  return (
    <section className="panel live-feed" aria-labelledby="feed-title" data-testid="live-feed" data-access={access}>
      <div className="panel-head">
        <h2 id="feed-title">{t('feed.title')}</h2>
      </div>
      {access === 'signIn' ? (
        <SignInLine />
      ) : (
        <>
          {error ? <ErrorPanel error={error} onRetry={alerts.error ? alerts.retry : cases.retry} /> : null}
          {reads && items ? <FeedList items={items} now={now} /> : !error ? <Loading /> : null}
          {reads ? (
            <p className="small feed-links">
              <Link to="/desk/alerts">{t('feed.alertsLink')}</Link> · <Link to={`/desk/cases?place=${encodeURIComponent(place.code)}`}>{t('feed.casesLink')}</Link>
            </p>
          ) : null}
        </>
      )}
    </section>
  );
}

/** The lines of the feed, drawn from a built list (also used by the tests). */
export function FeedList({ items, now }: { items: readonly FeedItem[]; now: Date }) {
  const { t, lang } = useI18n();
  if (items.length === 0) return <p className="muted">{t('feed.empty')}</p>;
  const statusText = (i: FeedItem) => {
    const key = i.kind === 'alert' ? `feed.status.${i.status}` : `case.status.${i.status}`;
    return isMessageKey(key) ? t(key) : i.status;
  };
  return (
    <ul className="feed-list" aria-live="polite">
      {items.map((i) => (
        <li key={i.key} className={`feed-item feed-${i.kind}${i.severity ? ` severity-${i.severity}` : ''}`} data-kind={i.kind}>
          <span className="badge small">{i.kind === 'alert' && i.severity ? t(`alert.severity.${i.severity}`) : t('feed.case')}</span>{' '}
          <Link to={i.href}>{i.title}</Link>
          <span className="muted small">
            {' · '}
            {statusText(i)} · <time dateTime={i.at} title={formatInstant(i.at, lang)}>{formatAgo(i.at, now, lang)}</time>
          </span>
        </li>
      ))}
    </ul>
  );
}
