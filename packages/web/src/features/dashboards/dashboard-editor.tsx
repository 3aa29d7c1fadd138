import { PANEL_KINDS, RELATIVE_PERIOD_KINDS, type Dashboard, type IndicatorDefinition, type Panel, type PanelKind } from '@watchfloor/core';
import { useEffect, useId, useState, type KeyboardEvent } from 'react';
import { toApiError, type ApiError } from '../../lib/api';
import { useI18n } from '../../lib/i18n/i18n';
import { Loading } from '../../lib/loading';
import { Link, navigate } from '../../lib/router';
import { useRequest } from '../../lib/use-request';
import { dashboardEditUrl, dashboardUrl } from '../../app/routes';
import { homePlace, todayInVietnam } from '../time/time-travel';
import { boardApi } from './board-api';
import { ImportBoard, Refusal } from './dashboards-list';
import { IndicatorPicker } from './indicator-picker';
import { addPanel, blankBoard, movePanel, namesIndicator, readingOrder, removePanel, resizePanel, updatePanel } from './panel-model';
import { BoardGrid } from './panels';
import { BoardError } from './board-error';

/**
 * The no-code editor at /d/:code/edit: add panels from a list, pick their
 * indicators from the catalogue by search, bind them to a place and a
 * period, move and resize them with buttons or the arrow keys, preview,
 * save (the server checks every indicator), export and import JSON.
 */
export function DashboardEditor({ code, today }: { code: string; today: string }) {
  const stored = useRequest(boardApi.dashboard(code));
  const catalogue = useRequest(boardApi.indicators());
  const isNew = stored.error?.code === 'unknown_dashboard';
  if (stored.error && !isNew) return <BoardError error={stored.error} onRetry={stored.retry} to="boards" />;
  if (catalogue.error) return <BoardError error={catalogue.error} onRetry={catalogue.retry} to="boards" />;
  if ((!stored.data && !isNew) || !catalogue.data) return <Loading />;
  return <Editor key={code} initial={stored.data ?? blankBoard(code)} isNew={isNew} defs={catalogue.data.indicators} today={today} />;
}

function Editor({ initial, isNew, defs, today }: { initial: Dashboard; isNew: boolean; defs: IndicatorDefinition[]; today: string }) {
  const { t, lang } = useI18n();
  const [board, setBoard] = useState(initial);
  const [dirty, setDirty] = useState(isNew);
  const [saving, setSaving] = useState<{ busy: boolean; saved?: boolean; error?: ApiError }>({ busy: false });
  const change = (next: Dashboard) => {
    setBoard(next);
    setDirty(true);
    setSaving({ busy: false });
  };
  const save = async () => {
    setSaving({ busy: true });
    try {
      const saved = await boardApi.save(board);
      setBoard(saved);
      setDirty(false);
      setSaving({ busy: false, saved: true });
    } catch (err) {
      setSaving({ busy: false, error: toApiError(err) });
    }
  };
  // Leaving with unsaved changes asks first.
  useEffect(() => {
    if (!dirty) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);

  return (
    <div className="screen board-editor" data-testid="dashboard-editor">
      <header className="screen-header board-head">
        <div>
          <p className="muted small">
            <Link to="/d">{t('nav.dashboards')}</Link>
          </p>
          <h1>
            {t('editor.title')}: {board.title[lang]}
          </h1>
          <p className="muted">
            {board.code}
            {isNew && dirty ? ` · ${t('editor.newBoard')}` : dirty ? ` · ${t('editor.unsaved')}` : ''}
          </p>
        </div>
        <div className="board-actions">
          <button type="button" className="button primary" onClick={() => void save()} disabled={saving.busy} data-testid="save-board">
            {saving.busy ? t('editor.saving') : t('editor.save')}
          </button>
          {!isNew || !dirty ? (
            <>
              <Link to={dashboardUrl(board.code)} className="button">
                {t('editor.view')}
              </Link>
              <a className="button" href={boardApi.exportUrl(board.code)} download>
                {t('board.export')}
              </a>
            </>
          ) : null}
        </div>
      </header>
      <div role="status" aria-live="polite" className="save-status">
        {saving.saved ? t('editor.saved') : null}
      </div>
      {saving.error ? <Refusal error={saving.error} /> : null}

      <div className="editor-layout">
        <div className="editor-side">
          <div className="panel board-form">
            <TextField label={t('editor.titleVi')} value={board.title.vi} onChange={(vi) => change({ ...board, title: { ...board.title, vi } })} required />
            <TextField label={t('editor.titleEn')} value={board.title.en} onChange={(en) => change({ ...board, title: { ...board.title, en } })} required />
            <label className="check-field">
              <input type="checkbox" checked={board.published === true} onChange={(e) => change({ ...board, published: e.target.checked })} />
              <span>{t('editor.published')}</span>
            </label>
            <p className="muted small">{t('editor.publishedHint')}</p>
          </div>
          <AddPanel defs={defs} onAdd={(kind, indicator) => change(addPanel(board, kind, indicator))} />
          <section aria-labelledby="editor-panels">
            <h2 id="editor-panels">{t('editor.panels')}</h2>
            {board.panels.length === 0 ? <p className="muted">{t('editor.noPanels')}</p> : null}
            {readingOrder(board.panels).map((p) => (
              <PanelEditor key={p.id} panel={p} defs={defs} board={board} onChange={change} />
            ))}
          </section>
          <ImportBoard onImported={(code) => navigate(dashboardEditUrl(code), { replace: code === board.code })} />
        </div>
        <section className="editor-preview" aria-labelledby="editor-preview">
          <h2 id="editor-preview">{t('editor.preview')}</h2>
          <BoardGrid board={board} view={{ viewed: homePlace(today), at: today, atParam: undefined, generation: 0, wall: false }} />
        </section>
      </div>
    </div>
  );
}

function TextField({ label, value, onChange, required }: { label: string; value: string; onChange: (v: string) => void; required?: boolean }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} value={value} required={required} onChange={(e) => onChange(e.target.value)} />
    </div>
  );
}

function AddPanel({ defs, onAdd }: { defs: IndicatorDefinition[]; onAdd: (kind: PanelKind, indicator: string) => void }) {
  const { t } = useI18n();
  const id = useId();
  const [kind, setKind] = useState<PanelKind>('tiles');
  const [indicator, setIndicator] = useState(defs[0]?.code ?? '');
  return (
    <section className="panel add-panel" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>{t('editor.add')}</h2>
      <div className="field">
        <label htmlFor={`${id}-kind`}>{t('editor.kind')}</label>
        <select id={`${id}-kind`} value={kind} onChange={(e) => setKind(PANEL_KINDS.find((k) => k === e.target.value) ?? 'tiles')} data-testid="panel-kind">
          {PANEL_KINDS.map((k) => (
            <option key={k} value={k}>
              {t(`panel.kind.${k}`)}
            </option>
          ))}
        </select>
      </div>
      {namesIndicator(kind) ? <IndicatorPicker defs={defs} value={indicator} onChange={setIndicator} label={t('editor.indicator')} /> : null}
      <button type="button" className="button primary" onClick={() => onAdd(kind, indicator)} disabled={namesIndicator(kind) && !indicator} data-testid="add-panel">
        {t('editor.add')}
      </button>
    </section>
  );
}

function PanelEditor({ panel, defs, board, onChange }: { panel: Panel; defs: IndicatorDefinition[]; board: Dashboard; onChange: (b: Dashboard) => void }) {
  const { t, lang } = useI18n();
  const id = useId();
  const set = (next: Panel) => onChange(updatePanel(board, panel.id, () => next));
  const nameOf = (code: string) => defs.find((d) => d.code === code)?.names[lang] ?? code;
  const [adding, setAdding] = useState(defs[0]?.code ?? '');
  const { x, y, w, h } = panel.layout;
  const onKey = (e: KeyboardEvent) => {
    const d = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] }[e.key];
    if (!d) return;
    e.preventDefault();
    const [dx = 0, dy = 0] = d;
    onChange(e.shiftKey ? resizePanel(board, panel.id, dx, dy) : movePanel(board, panel.id, dx, dy));
  };
  return (
    <fieldset className="panel panel-editor" data-testid={`edit-${panel.id}`}>
      <legend>
        {t(`panel.kind.${panel.kind}`)} · <code>{panel.id}</code>
      </legend>
      <TextField label={t('editor.panelTitleVi')} value={panel.title?.vi ?? ''} onChange={(vi) => set(withTitle(panel, vi, panel.title?.en ?? ''))} />
      <TextField label={t('editor.panelTitleEn')} value={panel.title?.en ?? ''} onChange={(en) => set(withTitle(panel, panel.title?.vi ?? '', en))} />

      {panel.kind === 'tiles' ? (
        <div className="field">
          <ul className="chosen-indicators">
            {panel.indicators.map((c) => (
              <li key={c}>
                {nameOf(c)} <code>{c}</code>{' '}
                <button
                  type="button"
                  className="button small"
                  aria-label={t('editor.removeIndicator', { name: nameOf(c) })}
                  disabled={panel.indicators.length === 1}
                  onClick={() => set({ ...panel, indicators: panel.indicators.filter((i) => i !== c) })}
                >
                  ✕
                </button>
              </li>
            ))}
          </ul>
          {panel.indicators.length < 12 ? (
            <>
              <IndicatorPicker defs={defs} value={adding} onChange={setAdding} label={t('editor.addIndicator')} />
              <button type="button" className="button small" disabled={!adding || panel.indicators.includes(adding)} onClick={() => set({ ...panel, indicators: [...panel.indicators, adding] })}>
                {t('editor.addIndicator')}
              </button>
            </>
          ) : null}
        </div>
      ) : panel.kind === 'feed' ? (
        <div className="field">
          <label htmlFor={`${id}-source`}>{t('editor.source')}</label>
          <select id={`${id}-source`} value={panel.source} onChange={(e) => set({ ...panel, source: e.target.value === 'alerts' ? 'alerts' : 'cases' })}>
            <option value="cases">{t('board.feed.cases')}</option>
            <option value="alerts">{t('board.feed.alerts')}</option>
          </select>
        </div>
      ) : panel.kind === 'par' ? (
        <div className="field">
          <label htmlFor={`${id}-unit-kind`}>{t('editor.parUnitKind')}</label>
          <select id={`${id}-unit-kind`} value={panel.unitKind} onChange={(e) => set({ ...panel, unitKind: e.target.value === 'commune' ? 'commune' : 'department' })}>
            <option value="department">{t('parResults.kind.department')}</option>
            <option value="commune">{t('parResults.kind.commune')}</option>
          </select>
        </div>
      ) : panel.kind === 'directives' ? null : (
        <IndicatorPicker defs={defs} value={panel.indicator} onChange={(indicator) => set({ ...panel, indicator })} label={t('editor.indicator')} />
      )}
      {panel.kind === 'ranking' || panel.kind === 'feed' || panel.kind === 'par' || panel.kind === 'directives' ? (
        <div className="field">
          <label htmlFor={`${id}-limit`}>{t('editor.limit')}</label>
          <input
            id={`${id}-limit`}
            type="number"
            min={panel.kind === 'feed' || panel.kind === 'directives' ? 1 : 3}
            max={panel.kind === 'feed' || panel.kind === 'directives' ? 50 : 200}
            value={panel.limit}
            onChange={(e) => set({ ...panel, limit: Math.max(1, Math.round(Number(e.target.value) || 1)) })}
          />
        </div>
      ) : null}

      {/* The PAR Index panel shows the latest cycle of the province, the directives panel the tasks overdue now: no place or period to choose. */}
      {panel.kind === 'par' || panel.kind === 'directives' ? null : (
        <>
          <PlaceField panel={panel} onChange={set} />
          <PeriodField panel={panel} onChange={set} />
        </>
      )}

      <div className="field layout-field">
        <p id={`${id}-pos`}>
          {t('editor.position')}: {t('editor.layoutNow', { x: x + 1, y: y + 1, w, h })}
        </p>
        <div className="layout-pad" tabIndex={0} role="group" aria-labelledby={`${id}-pos`} aria-describedby={`${id}-keys`} onKeyDown={onKey} data-testid={`layout-${panel.id}`}>
          <button type="button" className="button small" onClick={() => onChange(movePanel(board, panel.id, -1, 0))}>
            ← {t('editor.left')}
          </button>
          <button type="button" className="button small" onClick={() => onChange(movePanel(board, panel.id, 1, 0))}>
            → {t('editor.right')}
          </button>
          <button type="button" className="button small" onClick={() => onChange(movePanel(board, panel.id, 0, -1))}>
            ↑ {t('editor.up')}
          </button>
          <button type="button" className="button small" onClick={() => onChange(movePanel(board, panel.id, 0, 1))}>
            ↓ {t('editor.down')}
          </button>
          <button type="button" className="button small" onClick={() => onChange(resizePanel(board, panel.id, 1, 0))}>
            {t('editor.wider')}
          </button>
          <button type="button" className="button small" onClick={() => onChange(resizePanel(board, panel.id, -1, 0))}>
            {t('editor.narrower')}
          </button>
          <button type="button" className="button small" onClick={() => onChange(resizePanel(board, panel.id, 0, 1))}>
            {t('editor.taller')}
          </button>
          <button type="button" className="button small" onClick={() => onChange(resizePanel(board, panel.id, 0, -1))}>
            {t('editor.shorter')}
          </button>
        </div>
        <p id={`${id}-keys`} className="muted small">
          {t('editor.keys')}
        </p>
      </div>
      <button type="button" className="button danger" onClick={() => onChange(removePanel(board, panel.id))}>
        {t('editor.remove')}
      </button>
    </fieldset>
  );
}

function withTitle(panel: Panel, vi: string, en: string): Panel {
  const { title: _old, ...rest } = panel;
  // Both languages or none: the schema asks for both.
  return vi.trim() || en.trim() ? { ...rest, title: { vi: vi || en, en: en || vi } } : rest;
}

function PlaceField({ panel, onChange }: { panel: Panel; onChange: (p: Panel) => void }) {
  const { t } = useI18n();
  const id = useId();
  const own = panel.place !== 'viewed';
  return (
    <fieldset className="field">
      <legend>{t('editor.place')}</legend>
      <label>
        <input type="radio" name={`${id}-place`} checked={!own} onChange={() => onChange({ ...panel, place: 'viewed' })} /> {t('board.viewedPlace')}
      </label>
      <label>
        <input type="radio" name={`${id}-place`} checked={own} onChange={() => onChange({ ...panel, place: homePlace(todayInVietnam()) })} /> {t('editor.placeOwn')}
      </label>
      {own ? (
        <input aria-label={t('editor.placeOwn')} value={panel.place} inputMode="numeric" pattern="\d{2,5}" onChange={(e) => onChange({ ...panel, place: e.target.value.replace(/\D/g, '').slice(0, 5) })} />
      ) : null}
    </fieldset>
  );
}

function PeriodField({ panel, onChange }: { panel: Panel; onChange: (p: Panel) => void }) {
  const { t } = useI18n();
  const id = useId();
  const fixed = 'key' in panel.period;
  return (
    <div className="field">
      <label htmlFor={`${id}-kind`}>{t('editor.period')}</label>
      <select
        id={`${id}-kind`}
        value={'key' in panel.period ? 'fixed' : panel.period.kind}
        onChange={(e) => {
          const kind = RELATIVE_PERIOD_KINDS.find((k) => k === e.target.value);
          onChange({ ...panel, period: kind ? { kind } : { key: '2026-Q1' } });
        }}
      >
        {RELATIVE_PERIOD_KINDS.map((k) => (
          <option key={k} value={k}>
            {t(`period.kind.${k}`)}
          </option>
        ))}
        <option value="fixed">{t('editor.periodFixed')}</option>
      </select>
      {fixed ? <input aria-label={t('editor.periodKey')} value={'key' in panel.period ? panel.period.key : ''} onChange={(e) => onChange({ ...panel, period: { key: e.target.value.trim() } })} /> : null}
    </div>
  );
}
