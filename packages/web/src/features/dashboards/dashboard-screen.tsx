import { useI18n } from '../../lib/i18n/i18n';
import { ExportMenu } from '../../lib/export-menu';
import { Loading } from '../../lib/loading';
import { Link } from '../../lib/router';
import { useRequest } from '../../lib/use-request';
import { api } from '../../lib/api';
import { dashboardEditUrl } from '../../app/routes';
import { homePlace } from '../time/time-travel';
import { boardApi } from './board-api';
import { BoardGrid } from './panels';
import { useBoardLive } from './use-board-live';
import { BoardError } from './board-error';

/** One saved dashboard at /d/:code, for the place in `?place` (else the home province) as of `?at` (else today). */
export function DashboardScreen({ code, search, today }: { code: string; search: string; today: string }) {
  const { t, lang } = useI18n();
  const q = new URLSearchParams(search);
  const atParam = q.get('at') || undefined;
  const at = atParam ?? today;
  const viewed = q.get('place') || homePlace(at);
  const board = useRequest(boardApi.dashboard(code), { keepPrevious: true });
  const place = useRequest(api.place(viewed, atParam));
  const { generation } = useBoardLive(board.data, (kind, changed) => {
    if (kind === 'dashboard' && changed === code) board.retry();
  });

  const error = board.error ?? place.error;
  if (error) return <BoardError error={error} onRetry={board.error ? board.retry : place.retry} to="boards" />;
  if (!board.data || !place.data) return <Loading />;
  const b = board.data;
  return (
    <div className="screen board-screen" data-testid="dashboard-screen" data-board={b.code}>
      <header className="screen-header board-head">
        <div>
          <p className="muted small">
            <Link to="/d">{t('nav.dashboards')}</Link>
          </p>
          <h1>{b.title[lang]}</h1>
          <p className="muted">
            {place.data.name} · {place.data.code}
          </p>
        </div>
        <div className="board-actions">
          <Link to={dashboardEditUrl(b.code)} className="button">
            {t('board.edit')}
          </Link>
          <a className="button" href={boardApi.exportUrl(b.code)} download>
            {t('board.export')}
          </a>
          <ExportMenu href={boardApi.figuresHref(b.code, { place: viewed, at: atParam })} />
        </div>
      </header>
      <BoardGrid board={b} view={{ viewed, at, atParam, generation, wall: false }} />
    </div>
  );
}
