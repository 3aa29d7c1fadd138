import type { ApiError } from '../../lib/api';
import { ErrorPanel } from '../../lib/error-panel';
import { useI18n } from '../../lib/i18n/i18n';
import { Link } from '../../lib/router';
import { ALERT_DESK_URL, caseBoardUrl, dataDeskUrl } from './desk-routes';

/** The three desks, one tab each; the current one is marked for screen readers. */
export function DeskNav({ current }: { current: 'cases' | 'alerts' | 'data' }) {
  const { t } = useI18n();
  const items = [
    ['cases', caseBoardUrl(), t('desk.cases.title')],
    ['alerts', ALERT_DESK_URL, t('desk.alerts.title')],
    ['data', dataDeskUrl(), t('desk.data.title')],
  ] as const;
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
  const key = `desk.error.${error.code}`;
  return (
    <p className="desk-refused" role="alert">
      {t('desk.refused')} {t(isDeskErrorKey(key) ? key : 'desk.error.other')} <span className="muted small">({error.code}: {error.message})</span>
    </p>
  );
}

const DESK_ERRORS = ['invalid_transition', 'unknown_organisation_code', 'network', 'invalid_parameter', 'invalid_body', 'source_disabled', 'unknown_case', 'unknown_sop_step', 'sop_step_done', 'unknown_source', 'not_found', 'unsupported_encoding', 'encoding_mismatch', 'authentication_required', 'invalid_session', 'forbidden', 'csrf_failed'] as const;
type DeskErrorKey = `desk.error.${(typeof DESK_ERRORS)[number]}`;

function isDeskErrorKey(key: string): key is DeskErrorKey {
  return DESK_ERRORS.some((c) => `desk.error.${c}` === key);
}

/** The error panel (in the reader's language, with the way back to the overview) and a second way back: to the desk. */
export function DeskError({ error, onRetry, to, label }: { error: Pick<ApiError, 'code' | 'message'>; onRetry?: (() => void) | undefined; to: string; label: 'cases' | 'alerts' | 'data' }) {
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
