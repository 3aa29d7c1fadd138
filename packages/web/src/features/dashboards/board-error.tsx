import { ErrorPanel } from '../../lib/error-panel';
import { useI18n } from '../../lib/i18n/i18n';
import { Link } from '../../lib/router';
import type { ApiError } from '../../lib/api';

/** The error panel (in the reader's language, with the way back to the overview) and a second way back: to the dashboards or the walls. */
export function BoardError({ error, onRetry, to }: { error: Pick<ApiError, 'code' | 'message'>; onRetry?: () => void; to: 'boards' | 'walls' }) {
  const { t } = useI18n();
  return (
    <div className="board-error">
      <ErrorPanel error={error} onRetry={onRetry} />
      <p className="board-error-back">
        <Link to={to === 'boards' ? '/d' : '/wall'} className="button">
          {t(to === 'boards' ? 'error.backToBoards' : 'error.backToWalls')}
        </Link>
      </p>
    </div>
  );
}
