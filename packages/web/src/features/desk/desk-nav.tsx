import { grantsAllow } from '@watchfloor/core';
import type { ApiError } from '../../lib/api';
import { ErrorPanel } from '../../lib/error-panel';
import { useI18n } from '../../lib/i18n/i18n';
import { isMessageKey, type MessageKey } from '../../lib/i18n/translate';
import { Link } from '../../lib/router';
import { useSession, type SessionState } from '../../lib/session';
import { ALERT_DESK_URL, caseBoardUrl, dataDeskUrl, dossiersUrl } from './desk-routes';

type Desk = 'cases' | 'alerts' | 'data' | 'dossiers';

/** Whether the signed-in reader may read administrative dossiers (GET /api/dossiers): their tab and entry are hidden from anyone else. */
export function readsDossiers(session: SessionState): boolean {
  return session.status === 'user' && grantsAllow(session.user.roles, 'read');
}

/** The desks, one tab each (the dossiers for those who may read them); the current one is marked for screen readers. */
export function DeskNav({ current }: { current: Desk }) {
  const { t } = useI18n();
  const dossiers = readsDossiers(useSession());
  const items: (readonly [Desk, string, string])[] = [
    ['cases', caseBoardUrl(), t('desk.cases.title')],
    ['alerts', ALERT_DESK_URL, t('desk.alerts.title')],
    ['data', dataDeskUrl(), t('desk.data.title')],
    ...(dossiers ? [['dossiers', dossiersUrl(), t('nav.dossiers')] as const] : []),
  ];
  return (
    <nav className="desk-nav" aria-label={t('desk.nav')}>
      {items.map(([key, to, label]) => (
        <Link key={key} to={to} aria-current={key === current ? 'page' : undefined} className={key === current ? 'active' : undefined}>
          {label}
        </Link>
      ))}
    </nav>
  );
}

/** A change refused by the server, in the reader's language with the server's words below. */
export function Refused({ error }: { error: { code: string; message: string } | null }) {
  const { t } = useI18n();
  if (!error) return null;
  return (
    <p className="desk-refused" role="alert">
      {t('desk.refused')} {t(refusalKey(error.code))} <span className="muted small">({error.code}: {error.message})</span>
    </p>
  );
}

/** The words of a refusal: the desks' own wording of the code if they have one, else the code's message anywhere, else the server's refusal in general. */
export function refusalKey(code: string): MessageKey {
  const desk = `desk.error.${code}`;
  if (isMessageKey(desk)) return desk;
  const any = `error.${code}`;
  return isMessageKey(any) ? any : 'desk.error.other';
}

/** The error panel (in the reader's language, with the way back to the overview) and a second way back: to the desk. */
export function DeskError({ error, onRetry, to, label }: { error: Pick<ApiError, 'code' | 'message'>; onRetry?: (() => void) | undefined; to: string; label: Desk }) {
  const { t } = useI18n();
  return (
    <div className="desk-error">
      <ErrorPanel error={error} onRetry={onRetry} />
      <p>
        <Link to={to} className="button">
          {t(`desk.backTo.${label}`)}
        </Link>
      </p>
    </div>
  );
}
