import { boardCodeSchema } from '@watchfloor/core';
import { useId, useState, type ChangeEvent, type FormEvent } from 'react';
import { ApiError, toApiError } from '../../lib/api';
import { accessOf, ErrorPanel, errorMessageKey } from '../../lib/error-panel';
import { useI18n } from '../../lib/i18n/i18n';
import { Loading } from '../../lib/loading';
import { Link, navigate } from '../../lib/router';
import { useRequest } from '../../lib/use-request';
import { dashboardEditUrl, dashboardUrl, PLAYLISTS_URL, playlistEditUrl, wallUrl } from '../../app/routes';
import { boardApi, issuesOf } from './board-api';

/** /d: the saved dashboards (open, edit, export), a new one, an import; and the wall's playlists. /wall shows the playlists only. */
export function DashboardsList({ walls }: { walls: boolean }) {
  const { t, lang } = useI18n();
  const boards = useRequest(walls ? null : boardApi.dashboards());
  const playlists = useRequest(boardApi.playlists());
  const error = boards.error ?? playlists.error;
  if (error) return <ErrorPanel error={error} onRetry={boards.error ? boards.retry : playlists.retry} />;
  if ((!walls && !boards.data) || !playlists.data) return <Loading />;
  return (
    <div className="screen boards-list" data-testid={walls ? 'walls-list' : 'dashboards-list'}>
      {!walls && boards.data ? (
        <section aria-labelledby="boards-title">
          <h1 id="boards-title">{t('board.list.title')}</h1>
          <p className="muted">{t('board.list.intro')}</p>
          {boards.data.dashboards.length === 0 ? <p className="muted">{t('board.list.empty')}</p> : null}
          <ul className="board-cards">
            {boards.data.dashboards.map((d) => (
              <li key={d.code} className="panel board-card">
                <h2>
                  <Link to={dashboardUrl(d.code)}>{d.title[lang]}</Link>
                </h2>
                <p className="muted small">
                  {d.code} · {t('board.list.panels', { n: d.panels })}
                  {d.demo ? <span className="badge small">{t('board.list.demo')}</span> : null}
                </p>
                <p className="board-card-actions">
                  <Link to={dashboardUrl(d.code)} className="button small" aria-label={t('board.openNamed', { title: d.title[lang] })}>
                    {t('board.open')}
                  </Link>
                  <Link to={dashboardEditUrl(d.code)} className="button small" aria-label={t('board.editNamed', { title: d.title[lang] })}>
                    {t('board.edit')}
                  </Link>
                  <a className="button small" href={boardApi.exportUrl(d.code)} download>
                    {t('board.export')}
                  </a>
                </p>
              </li>
            ))}
          </ul>
          <div className="board-tools">
            <NewCodeForm heading={t('board.new')} label={t('board.newCode')} editUrl={dashboardEditUrl} />
            <ImportBoard />
          </div>
        </section>
      ) : null}
      <section aria-labelledby="walls-title">
        {walls ? <h1 id="walls-title">{t('wall.list.title')}</h1> : <h2 id="walls-title">{t('wall.list.title')}</h2>}
        <p className="muted">{t('wall.list.intro')}</p>
        <p>
          <Link to={PLAYLISTS_URL} className="button small" data-testid="manage-playlists">
            {t('playlist.list.manage')}
          </Link>
        </p>
        {playlists.data.playlists.length === 0 ? <p className="muted">{t('wall.list.empty')}</p> : null}
        <ul className="board-cards">
          {playlists.data.playlists.map((p) => (
            <li key={p.code} className="panel board-card">
              <h3>
                <Link to={wallUrl(p.code)} aria-label={t('wall.open', { title: p.title[lang] })}>
                  {p.title[lang]}
                </Link>
              </h3>
              <p className="muted small">
                {p.code} · {t('wall.list.count', { n: p.dashboards })}
                {p.demo ? <span className="badge small">{t('board.list.demo')}</span> : null}
              </p>
              <p className="board-card-actions">
                <Link to={playlistEditUrl(p.code)} className="button small" aria-label={t('playlist.editNamed', { title: p.title[lang] })}>
                  {t('playlist.edit')}
                </Link>
              </p>
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}

/**
 * A form asking for the code of a new board or playlist and opening its
 * editor: the same for both, only the words and the editor's address differ.
 */
export function NewCodeForm({ heading, label, editUrl, level = 3 }: { heading: string; label: string; editUrl: (code: string) => string; level?: 2 | 3 }) {
  const { t } = useI18n();
  const id = useId();
  const [code, setCode] = useState('');
  const [bad, setBad] = useState(false);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!boardCodeSchema.safeParse(code).success) {
      setBad(true);
      return;
    }
    navigate(editUrl(code));
  };
  const Heading = level === 2 ? 'h2' : 'h3';
  return (
    <form className="panel board-form" onSubmit={submit}>
      <Heading>{heading}</Heading>
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        value={code}
        onChange={(e) => {
          setCode(e.target.value.trim());
          setBad(false);
        }}
        aria-invalid={bad}
        aria-describedby={bad ? `${id}-error` : undefined}
        pattern="[a-z0-9][a-z0-9\-]*"
        required
      />
      {bad ? (
        <p id={`${id}-error`} className="field-error" role="alert">
          {t('board.badCode')}
        </p>
      ) : null}
      <button type="submit" className="button primary">
        {t('board.create')}
      </button>
    </form>
  );
}

/** Reads a chosen JSON file and imports it; the server checks it and names each problem. */
export function ImportBoard({ onImported }: { onImported?: (code: string) => void }) {
  const { t } = useI18n();
  const id = useId();
  const [state, setState] = useState<{ busy: boolean; done?: string; error?: ApiError }>({ busy: false });
  const choose = async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    e.target.value = '';
    if (!file) return;
    setState({ busy: true });
    let body: unknown;
    try {
      body = JSON.parse(await file.text());
    } catch {
      setState({ busy: false, error: new ApiError('invalid_body', t('board.notJson'), 0) });
      return;
    }
    try {
      const board = await boardApi.import(body);
      setState({ busy: false, done: board.code });
      if (onImported) onImported(board.code);
      else navigate(dashboardUrl(board.code));
    } catch (err) {
      setState({ busy: false, error: toApiError(err) });
    }
  };
  return (
    <div className="panel board-form">
      <h3>
        <label htmlFor={id}>{t('board.import')}</label>
      </h3>
      <input id={id} type="file" accept="application/json,.json" onChange={(e) => void choose(e)} disabled={state.busy} />
      <div role="status" aria-live="polite">
        {state.busy ? t('board.importing') : state.done ? t('board.imported', { code: state.done }) : null}
      </div>
      {state.error ? <Refusal error={state.error} /> : null}
    </div>
  );
}

/** A refused save or import: the message and each problem with its panel. */
export function Refusal({ error }: { error: ApiError }) {
  const { t } = useI18n();
  const issues = issuesOf(error);
  return (
    <div className="refusal" role="alert">
      <p>
        <strong>{t('editor.refused')}</strong> {issues.length === 0 ? (accessOf(error) || error.code === 'csrf_failed' ? t(errorMessageKey(error.code)) : error.message) : null}
      </p>
      {issues.length > 0 ? (
        <ul>
          {issues.map((i, n) => (
            <li key={n}>
              {i.panel ? <code>{i.panel}</code> : null} {i.path ? <span className="muted">({i.path})</span> : null} {i.message}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
