import { useEffect, useMemo, useRef, useState } from 'react';
import { useI18n } from '../../lib/i18n/i18n';
import { Loading } from '../../lib/loading';
import { Link, navigate } from '../../lib/router';
import { useSession } from '../../lib/session';
import { signedInAccess, type SignedInAccess } from '../../lib/sign-in-prompt';
import { signInUrl } from '../../lib/sign-in-url';
import { useRequest } from '../../lib/use-request';
import type { LiveStatus } from '../../lib/live';
import { homePlace } from '../time/time-travel';
import { boardApi } from '../dashboards/board-api';
import { BoardGrid } from '../dashboards/panels';
import { useBoardLive } from '../dashboards/use-board-live';
import { Rotator, START, nextIndex, progressOf, secondsLeft, type RotationState } from './rotation';
import { BoardError } from '../dashboards/board-error';

const TIME: Record<'vi' | 'en', Intl.DateTimeFormat> = {
  vi: new Intl.DateTimeFormat('vi-VN', { hour: '2-digit', minute: '2-digit', second: '2-digit', timeZone: 'Asia/Ho_Chi_Minh' }),
  en: new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit', timeZone: 'Asia/Ho_Chi_Minh' }),
};

/**
 * The video wall at /wall/:playlist: full screen, dark and high-contrast,
 * large type; the playlist's dashboards in turn at their intervals, with
 * the time left and what comes next; space pauses, arrows switch, Esc
 * leaves. Figures update live with no reload, and when the stream is down a
 * mark says since when, until EventSource reconnects by itself and every
 * figure is read again.
 */
export function WallScreen({ playlist, today }: { playlist: string; today: string }) {
  const session = useSession();
  return <WallGate access={signedInAccess(session)} playlist={playlist} today={today} />;
}

/**
 * The wall for a given access (also used by the tests): playlists are read
 * by signed-in users only, so nobody signed in sees, big and plain, how to
 * start it; an operator signs the screen in once and comes back here.
 */
export function WallGate({ access, playlist, today }: { access: SignedInAccess; playlist: string; today: string }) {
  if (access === 'signIn') return <WallSignIn playlist={playlist} />;
  if (access === 'wait') return <Loading />;
  return <WallRotation playlist={playlist} today={today} />;
}

/** The wall with nobody signed in: what it needs and the one way to get it, readable across the room. */
export function WallSignIn({ playlist }: { playlist: string }) {
  const { t } = useI18n();
  useWallMode();
  return (
    <div className="wall wall-sign-in" data-testid="wall-sign-in">
      <section className="wall-sign-in-box" aria-labelledby="wall-sign-in-title">
        <h1 id="wall-sign-in-title">{t('access.wall.title')}</h1>
        <p>{t('access.wall.body')}</p>
        <Link to={signInUrl(`/wall/${encodeURIComponent(playlist)}`)} className="button primary" data-testid="wall-sign-in-link">
          {t('access.wall.button')}
        </Link>
      </section>
    </div>
  );
}

/** The page is the wall's: black behind it, no header. */
function useWallMode(): void {
  useEffect(() => {
    document.documentElement.classList.add('wall-mode');
    return () => document.documentElement.classList.remove('wall-mode');
  }, []);
}

function WallRotation({ playlist: code, today }: { playlist: string; today: string }) {
  const { t, lang } = useI18n();
  const playlist = useRequest(boardApi.playlist(code), { keepPrevious: true });
  const summaries = useRequest(boardApi.dashboards(), { keepPrevious: true });
  const items = useMemo(() => playlist.data?.items ?? [], [playlist.data]);
  const durationsKey = items.map((i) => i.seconds).join(',');
  const durations = useMemo(() => items.map((i) => i.seconds * 1000), [durationsKey]);

  const [rotation, setRotation] = useState<RotationState>(START);
  const rotator = useRef<Rotator | null>(null);
  useEffect(() => {
    const r = new Rotator([], setRotation);
    rotator.current = r;
    r.start();
    return () => r.stop();
  }, []);
  useEffect(() => rotator.current?.setDurations(durations), [durations]);

  const current = items[rotation.index];
  const board = useRequest(current ? boardApi.dashboard(current.dashboard) : null, { keepPrevious: true });
  const { generation, status, downSince } = useBoardLive(board.data, (kind, changed) => {
    if (kind === 'playlist' && changed === code) playlist.retry();
    if (kind === 'dashboard' && items.some((i) => i.dashboard === changed)) {
      summaries.retry();
      if (changed === current?.dashboard) board.retry();
    }
  });
  // After a reconnect (or any refresh), the playlist and board may have changed too.
  const seen = useRef(generation);
  useEffect(() => {
    if (seen.current === generation) return;
    seen.current = generation;
    playlist.retry();
    board.retry();
  }, [generation]);

  // A wall runs unattended: load the chart and map code at once, so a network loss later cannot leave a panel without it.
  useEffect(() => {
    void import('../indicator/series-chart').catch(() => undefined);
    void import('../map/choropleth-map').catch(() => undefined);
  }, []);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.target instanceof HTMLElement && e.target.closest('button, a, input, select, textarea') && e.key === ' ') return;
      if (e.key === ' ' || e.key === 'Spacebar') {
        e.preventDefault();
        rotator.current?.togglePause();
      } else if (e.key === 'ArrowRight') rotator.current?.step(1);
      else if (e.key === 'ArrowLeft') rotator.current?.step(-1);
      else if (e.key === 'Escape') navigate('/wall');
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  useWallMode();

  if (playlist.error) return <BoardError error={playlist.error} onRetry={playlist.retry} to="walls" />;
  if (!playlist.data) return <Loading />;
  const titleOf = (c: string) => summaries.data?.dashboards.find((d) => d.code === c)?.title[lang] ?? c;
  const next = items[nextIndex(rotation, items.length)];
  const progress = progressOf(rotation, durations);
  const left = secondsLeft(rotation, durations);

  return (
    <div className="wall" data-testid="wall" data-board={board.data?.code} data-index={rotation.index} data-paused={rotation.paused || undefined}>
      <header className="wall-head">
        <div className="wall-titles">
          <p className="wall-playlist">{playlist.data.title[lang]}</p>
          <h1 className="wall-title" data-testid="wall-title">
            {board.data ? board.data.title[lang] : current ? titleOf(current.dashboard) : ''}
          </h1>
        </div>
        <WallLiveMark status={status} downSince={downSince} />
        <WallClock />
      </header>
      <div className="wall-body">
        {board.error ? (
          <BoardError error={board.error} onRetry={board.retry} to="walls" />
        ) : board.data ? (
          <BoardGrid board={board.data} view={{ viewed: homePlace(today), at: today, atParam: undefined, generation, wall: true }} />
        ) : (
          <Loading />
        )}
      </div>
      <footer className="wall-foot">
        <div className="wall-progress" role="progressbar" aria-label={t('wall.progress')} aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(progress * 100)}>
          <span style={{ width: `${(progress * 100).toFixed(1)}%` }} />
        </div>
        <p className="wall-next">
          <span className="wall-position">{t('wall.position', { n: rotation.index + 1, total: items.length })}</span>
          {rotation.paused ? (
            <strong className="wall-paused" data-testid="wall-paused">
              ❚❚ {t('wall.paused')}
            </strong>
          ) : null}
          {next && items.length > 1 ? (
            <span data-testid="wall-next">
              {t('wall.next', { title: titleOf(next.dashboard) })} {rotation.paused ? '' : t('wall.inSeconds', { s: left })}
            </span>
          ) : null}
          <span className="wall-keys muted">{t('wall.keys')}</span>
        </p>
        <div className="wall-buttons">
          <button type="button" className="button" onClick={() => rotator.current?.step(-1)} aria-label={t('wall.previous')}>
            ←
          </button>
          <button type="button" className="button" onClick={() => rotator.current?.togglePause()} aria-pressed={rotation.paused}>
            {rotation.paused ? t('wall.resume') : t('wall.pause')}
          </button>
          <button type="button" className="button" onClick={() => rotator.current?.step(1)} aria-label={t('wall.nextButton')}>
            →
          </button>
          <button type="button" className="button" onClick={() => void document.documentElement.requestFullscreen?.().catch(() => undefined)}>
            {t('wall.fullscreen')}
          </button>
          <button type="button" className="button" onClick={() => navigate('/wall')}>
            {t('wall.exit')}
          </button>
        </div>
      </footer>
    </div>
  );
}

/** Live, or a loud mark saying since when the figures have not been live. */
function WallLiveMark({ status, downSince }: { status: LiveStatus; downSince: Date | null }) {
  const { t, lang } = useI18n();
  if (status === 'unsupported') return null;
  const live = status === 'live';
  const text = live ? t('wall.live') : status === 'down' ? t('wall.down', { time: TIME[lang].format(downSince ?? new Date()) }) : t('wall.connecting');
  return (
    <p className={`wall-live ${live ? 'is-live' : status === 'down' ? 'is-down' : 'is-connecting'}`} role="status" data-testid="wall-live" data-live={live}>
      <span className="live-dot" aria-hidden="true" />
      {text}
    </p>
  );
}

function WallClock() {
  const { lang } = useI18n();
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), 1000);
    return () => clearInterval(timer);
  }, []);
  return (
    <time className="wall-clock" dateTime={now.toISOString()}>
      {TIME[lang].format(now)}
    </time>
  );
}
