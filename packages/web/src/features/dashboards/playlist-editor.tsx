import { MIN_WALL_SECONDS, type DashboardSummary, type Playlist } from '@watchfloor/core';
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { toApiError, type ApiError } from '../../lib/api';
import { useI18n } from '../../lib/i18n/i18n';
import { Loading } from '../../lib/loading';
import { Link } from '../../lib/router';
import { useRequest } from '../../lib/use-request';
import { PLAYLISTS_URL, playlistEditUrl, wallUrl } from '../../app/routes';
import { boardApi } from './board-api';
import { BoardError } from './board-error';
import { NewCodeForm, Refusal } from './dashboards-list';
import {
  addItem,
  blankPlaylist,
  commonSeconds,
  DEFAULT_WALL_SECONDS,
  draftOf,
  draftProblems,
  MAX_WALL_SECONDS,
  moveItem,
  removeItem,
  savePayload,
  setAllSeconds,
  setSeconds,
  type PlaylistDraft,
} from './playlist-model';

/** /playlists: the wall's playlists, each to edit or to start on the wall; a new one by its code. */
export function PlaylistsList() {
  const { t, lang } = useI18n();
  const playlists = useRequest(boardApi.playlists());
  if (playlists.error) return <BoardError error={playlists.error} onRetry={playlists.retry} to="walls" />;
  if (!playlists.data) return <Loading />;
  return (
    <div className="screen boards-list" data-testid="playlists-list">
      <section aria-labelledby="playlists-title">
        <h1 id="playlists-title">{t('playlist.list.title')}</h1>
        <p className="muted">{t('playlist.list.intro')}</p>
        {playlists.data.playlists.length === 0 ? <p className="muted">{t('wall.list.empty')}</p> : null}
        <ul className="board-cards">
          {playlists.data.playlists.map((p) => (
            <li key={p.code} className="panel board-card">
              <h2>
                <Link to={playlistEditUrl(p.code)}>{p.title[lang]}</Link>
              </h2>
              <p className="muted small">
                {p.code} · {t('wall.list.count', { n: p.dashboards })}
                {p.demo ? <span className="badge small">{t('board.list.demo')}</span> : null}
              </p>
              <p className="board-card-actions">
                <Link to={playlistEditUrl(p.code)} className="button small" aria-label={t('playlist.editNamed', { title: p.title[lang] })}>
                  {t('playlist.edit')}
                </Link>
                <Link to={wallUrl(p.code)} className="button small" aria-label={t('playlist.startNamed', { title: p.title[lang] })}>
                  {t('playlist.start')}
                </Link>
              </p>
            </li>
          ))}
        </ul>
        <div className="board-tools">
          <NewCodeForm heading={t('playlist.new')} label={t('playlist.newCode')} editUrl={playlistEditUrl} level={2} />
        </div>
      </section>
    </div>
  );
}

/** /playlists/:code/edit: loads the playlist (a code not yet saved starts empty) and the dashboards to choose from. */
export function PlaylistEditor({ code }: { code: string }) {
  const stored = useRequest(boardApi.playlist(code));
  const boards = useRequest(boardApi.dashboards());
  const isNew = stored.error?.code === 'unknown_playlist';
  if (stored.error && !isNew) return <BoardError error={stored.error} onRetry={stored.retry} to="walls" />;
  if (boards.error) return <BoardError error={boards.error} onRetry={boards.retry} to="walls" />;
  if ((!stored.data && !isNew) || !boards.data) return <Loading />;
  return <PlaylistEditing key={code} initial={stored.data ? draftOf(stored.data) : blankPlaylist(code)} isNew={isNew} boards={boards.data.dashboards} save={boardApi.savePlaylist} />;
}

/** The editor's state and saving; the form draws it. */
function PlaylistEditing({ initial, isNew, boards, save }: { initial: PlaylistDraft; isNew: boolean; boards: DashboardSummary[]; save: (p: Playlist) => Promise<Playlist> }) {
  const [draft, setDraft] = useState(initial);
  const [dirty, setDirty] = useState(isNew);
  const [saving, setSaving] = useState<SaveState>({ busy: false });
  useEffect(() => {
    if (!dirty) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);
  return (
    <PlaylistForm
      draft={draft}
      isNew={isNew && dirty}
      boards={boards}
      saving={saving}
      onChange={(next) => {
        setDraft(next);
        setDirty(true);
        setSaving({ busy: false });
      }}
      onSave={async (body) => {
        setSaving({ busy: true });
        try {
          const saved = await save(body);
          setDraft(draftOf(saved));
          setDirty(false);
          setSaving({ busy: false, saved: true });
        } catch (err) {
          setSaving({ busy: false, error: toApiError(err) });
        }
      }}
    />
  );
}

export interface SaveState {
  busy: boolean;
  saved?: boolean;
  error?: ApiError;
}

/**
 * The playlist as a form: its names, one interval for all, the dashboards
 * in order (each with its seconds, earlier / later / remove buttons that
 * keep the focus on the moved item), a dashboard to add, save, and the way
 * to start it on the wall. Every control has a label; all works from the keyboard.
 */
export function PlaylistForm({
  draft,
  isNew,
  boards,
  saving,
  onChange,
  onSave,
}: {
  draft: PlaylistDraft;
  isNew: boolean;
  boards: readonly DashboardSummary[];
  saving: SaveState;
  onChange: (next: PlaylistDraft) => void;
  onSave: (body: Playlist) => void | Promise<void>;
}) {
  const { t, lang } = useI18n();
  const id = useId();
  const [adding, setAdding] = useState('');
  const [interval, setIntervalText] = useState(String(commonSeconds(draft) ?? DEFAULT_WALL_SECONDS));
  const [announce, setAnnounce] = useState('');
  const [tried, setTried] = useState(false);
  const focusAfter = useRef<string | null>(null);
  const list = useRef<HTMLOListElement>(null);
  useEffect(() => {
    const sel = focusAfter.current;
    if (!sel) return;
    focusAfter.current = null;
    list.current?.querySelector<HTMLElement>(sel)?.focus();
  });

  const titleOf = (code: string) => {
    const b = boards.find((x) => x.code === code);
    return b ? b.title[lang] : t('playlist.missingBoard', { code });
  };
  const move = (index: number, delta: number) => {
    const item = draft.items[index];
    const next = moveItem(draft, index, delta);
    if (!item || next === draft) return;
    // Keep the focus on the same button of the moved item; at either end, on the other one.
    const to = index + delta;
    const dir = (delta < 0 && to === 0) || (delta > 0 && to === next.items.length - 1) ? (delta < 0 ? 'down' : 'up') : delta < 0 ? 'up' : 'down';
    focusAfter.current = `[data-key="${item.key}"] [data-move="${dir}"]`;
    setAnnounce(t('playlist.moved', { title: titleOf(item.dashboard), n: to + 1, total: next.items.length }));
    onChange(next);
  };
  const problems = draftProblems(draft);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTried(true);
    if (problems.length === 0) void onSave(savePayload(draft));
  };
  const seconds = Number(interval);

  return (
    <div className="screen playlist-editor" data-testid="playlist-editor">
      <header className="screen-header board-head">
        <div>
          <p className="muted small">
            <Link to={PLAYLISTS_URL}>{t('playlist.back')}</Link>
          </p>
          <h1>
            {t('playlist.editor.title')}: {draft.title[lang] || draft.code}
          </h1>
          <p className="muted">
            {draft.code}
            {isNew ? ` · ${t('playlist.editor.new', { code: draft.code })}` : ''}
          </p>
        </div>
        <div className="board-actions">
          <Link to={wallUrl(draft.code)} className="button" data-testid="start-playlist" aria-label={t('playlist.startNamed', { title: draft.title[lang] || draft.code })}>
            {t('playlist.start')}
          </Link>
        </div>
      </header>
      <form className="panel playlist-form" onSubmit={submit} aria-label={t('playlist.editor.title')} noValidate>
        <div className="playlist-row">
          <label className="field">
            <span>{t('playlist.titleVi')}</span>
            <input name="title-vi" value={draft.title.vi} onChange={(e) => onChange({ ...draft, title: { ...draft.title, vi: e.target.value } })} required />
          </label>
          <label className="field">
            <span>{t('playlist.titleEn')}</span>
            <input name="title-en" value={draft.title.en} onChange={(e) => onChange({ ...draft, title: { ...draft.title, en: e.target.value } })} required />
          </label>
        </div>
        <div className="playlist-row">
          <label className="field">
            <span>{t('playlist.interval', { min: MIN_WALL_SECONDS, max: MAX_WALL_SECONDS })}</span>
            <input name="interval" type="number" inputMode="numeric" min={MIN_WALL_SECONDS} max={MAX_WALL_SECONDS} step={1} value={interval} onChange={(e) => setIntervalText(e.target.value)} />
          </label>
          <button type="button" className="button" onClick={() => onChange(setAllSeconds(draft, seconds))} disabled={!Number.isInteger(seconds) || seconds < MIN_WALL_SECONDS || seconds > MAX_WALL_SECONDS || draft.items.length === 0}>
            {t('playlist.applyAll')}
          </button>
        </div>

        <fieldset className="field">
          <legend>{t('playlist.items')}</legend>
          {draft.items.length === 0 ? <p className="muted">{t('playlist.empty')}</p> : null}
          <ol className="playlist-items" ref={list} data-testid="playlist-items">
            {draft.items.map((item, index) => {
              const title = titleOf(item.dashboard);
              return (
                <li key={item.key} className="panel playlist-item" data-key={item.key} data-dashboard={item.dashboard}>
                  <span className="playlist-item-title">
                    {index + 1}. {title} <span className="muted small">({item.dashboard})</span>
                  </span>
                  <label className="field">
                    <span className="visually-hidden">{t('playlist.seconds', { title })}</span>
                    <input
                      type="number"
                      inputMode="numeric"
                      min={MIN_WALL_SECONDS}
                      max={MAX_WALL_SECONDS}
                      step={1}
                      value={Number.isNaN(item.seconds) ? '' : item.seconds}
                      onChange={(e) => onChange(setSeconds(draft, index, e.target.value === '' ? Number.NaN : Number(e.target.value)))}
                    />
                  </label>
                  <button type="button" className="button small" data-move="up" onClick={() => move(index, -1)} disabled={index === 0} aria-label={t('playlist.up', { title })}>
                    ↑ {t('playlist.upShort')}
                  </button>
                  <button type="button" className="button small" data-move="down" onClick={() => move(index, 1)} disabled={index === draft.items.length - 1} aria-label={t('playlist.down', { title })}>
                    ↓ {t('playlist.downShort')}
                  </button>
                  <button
                    type="button"
                    className="button small"
                    onClick={() => {
                      focusAfter.current = '[data-move]:not([disabled])';
                      onChange(removeItem(draft, index));
                    }}
                    aria-label={t('playlist.remove', { title })}
                  >
                    {t('playlist.removeShort')}
                  </button>
                </li>
              );
            })}
          </ol>
          <p className="visually-hidden" role="status" aria-live="polite">
            {announce}
          </p>
        </fieldset>

        <div className="playlist-row">
          <label className="field">
            <span>{t('playlist.add')}</span>
            <select name="add-dashboard" value={adding} onChange={(e) => setAdding(e.target.value)}>
              <option value="">{t('playlist.choose')}</option>
              {boards.map((b) => (
                <option key={b.code} value={b.code}>
                  {b.title[lang]} ({b.code})
                </option>
              ))}
            </select>
          </label>
          <button
            type="button"
            className="button"
            disabled={!adding}
            onClick={() => {
              onChange(addItem(draft, adding, commonSeconds(draft) ?? (Number.isInteger(seconds) && seconds >= MIN_WALL_SECONDS ? seconds : DEFAULT_WALL_SECONDS)));
              setAdding('');
            }}
          >
            {t('playlist.addButton')}
          </button>
        </div>

        {tried && problems.length > 0 ? (
          <ul className="field-error" role="alert" id={`${id}-problems`}>
            {problems.map((p) => (
              <li key={p}>{p === 'badSeconds' ? t('playlist.badSeconds', { min: MIN_WALL_SECONDS, max: MAX_WALL_SECONDS }) : t(p === 'badTitle' ? 'playlist.badTitle' : 'playlist.empty')}</li>
            ))}
          </ul>
        ) : null}
        <div className="playlist-row">
          <button type="submit" className="button primary" disabled={saving.busy} data-testid="save-playlist">
            {saving.busy ? t('playlist.saving') : t('playlist.save')}
          </button>
          <span role="status" aria-live="polite">
            {saving.saved ? t('playlist.saved') : null}
          </span>
        </div>
        {saving.error ? <Refusal error={saving.error} /> : null}
      </form>
    </div>
  );
}
