import type { Grant, ParCycle, ParLate } from '@watchfloor/core';
import { PAR_ASSESSMENT_STATUSES } from '@watchfloor/core';
import { useState, type FormEvent } from 'react';
import { parAssessmentUrl, parCycleDeskUrl, parResultsUrl, PAR_DESKS_URL } from '../../app/routes';
import { toApiError, type ApiError } from '../../lib/api';
import { ErrorPanel } from '../../lib/error-panel';
import { formatDate, formatInstant } from '../../lib/i18n/format';
import { useI18n } from '../../lib/i18n/i18n';
import { Loading } from '../../lib/loading';
import { Link, navigate } from '../../lib/router';
import { useSession } from '../../lib/session';
import { useRequest } from '../../lib/use-request';
import { nameIn } from './assessment-model';
import { ParRefused } from './assessment-parts';
import { lateFirst, managesPar, openableFrameworks, openCycleProblem, type OpenCycleInput } from './cycle-desk-model';
import { parDeskApi } from './par-api';
import './assessment-screen.css';

/**
 * The PAR Index cycle desk, for the appraisers and the units' officers:
 * a cycle's deadlines, each unit it shows (the caller's scope) at its step
 * with the days it is late and a link to its assessment, and the late list
 * as the data desk lists late sources. Appraisers (par.manage) also open
 * cycles, score computed points again and publish.
 */

function useGrants(): readonly Grant[] | null {
  const session = useSession();
  return session.status === 'user' ? session.user.roles : null;
}

/** /par/desk: the cycles, newest first, each to its desk; opening one for the appraisers. */
export function ParDesks() {
  const { t, lang } = useI18n();
  const cycles = useRequest(parDeskApi.cycles());
  const manages = managesPar(useGrants());
  if (cycles.error) return <ErrorPanel error={cycles.error} onRetry={cycles.retry} />;
  return (
    <div className="screen desk par-desk" data-testid="par-desks">
      <header className="screen-header">
        <div>
          <h1>{t('parDesk.title')}</h1>
          <p className="subtitle">{t('parDesk.intro')}</p>
        </div>
      </header>
      <section className="panel" aria-labelledby="par-cycles-title">
        <h2 id="par-cycles-title">{t('parDesk.cycles')}</h2>
        {!cycles.data ? (
          <Loading />
        ) : cycles.data.cycles.length === 0 ? (
          <p className="muted">{t('parDesk.noCycles')}</p>
        ) : (
          <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="par-cycles-title">
            <table className="data-table" data-testid="par-cycles">
              <thead>
                <tr>
                  <th scope="col">{t('parDesk.cycle')}</th>
                  <th scope="col">{t('parDesk.selfDue')}</th>
                  <th scope="col">{t('parDesk.status')}</th>
                  <th scope="col">{t('parDesk.results')}</th>
                </tr>
              </thead>
              <tbody>
                {cycles.data.cycles.map((c) => (
                  <tr key={c.id}>
                    <th scope="row">
                      <Link to={parCycleDeskUrl(c.id)}>
                        {c.year} · {nameIn(c, lang)}
                      </Link>
                      <div className="small muted">
                        {c.frameworkCode}
                        {c.example ? ` · ${t('parDesk.exampleMark')}` : ''}
                      </div>
                    </th>
                    <td>{formatDate(c.deadlines.selfAssessmentDue, lang)}</td>
                    <td>{c.publishedAt ? t('parDesk.publishedOn', { at: formatInstant(c.publishedAt, lang) }) : t('parDesk.open')}</td>
                    <td>
                      <Link to={parResultsUrl(c.id)}>{t('parDesk.results')}</Link>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      {manages ? <OpenCycleForm /> : null}
    </div>
  );
}

/** /par/:id/desk: one cycle's deadlines, units and late list. */
export function CycleDesk({ id }: { id: number }) {
  const { t, lang } = useI18n();
  const cycle = useRequest(parDeskApi.cycle(id), { keepPrevious: true });
  const late = useRequest(parDeskApi.late(id), { keepPrevious: true });
  const manages = managesPar(useGrants());
  if (cycle.error && !cycle.data) return <ErrorPanel error={cycle.error} onRetry={cycle.retry} backTo={PAR_DESKS_URL} />;
  const c = cycle.data;
  if (!c) return <Loading />;
  const reload = () => {
    cycle.retry();
    late.retry();
  };
  return (
    <div className="screen desk par-desk" data-testid="par-cycle-desk">
      <p className="desk-back">
        <Link to={PAR_DESKS_URL}>← {t('parDesk.backToCycles')}</Link>
      </p>
      <header className="screen-header">
        <div>
          <h1>{t('parDesk.cycleTitle', { year: c.year })}</h1>
          <p className="subtitle">
            {nameIn(c, lang)} · {c.frameworkCode}
            {c.example ? ` · ${t('parDesk.exampleMark')}` : ''}
          </p>
        </div>
        <Link to={parResultsUrl(c.id)} className="button">
          {t('parDesk.results')}
        </Link>
      </header>
      <Deadlines cycle={c} />
      {manages ? <ManageCycle cycle={c} onChanged={reload} /> : null}
      <section className="panel" aria-labelledby="par-units-title">
        <h2 id="par-units-title">{t('parDesk.unitsTitle')}</h2>
        {c.units.length === 0 ? (
          <p className="muted">{t('parDesk.noUnits')}</p>
        ) : (
          <div className="table-scroll desk-scroll" tabIndex={0} role="region" aria-labelledby="par-units-title">
            <table className="data-table" data-testid="par-units">
              <thead>
                <tr>
                  <th scope="col">{t('parDesk.unit')}</th>
                  <th scope="col">{t('parDesk.status')}</th>
                  <th scope="col">{t('parDesk.submittedAt')}</th>
                  <th scope="col" className="num">
                    {t('parDesk.daysLate')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {c.units.map((u) => (
                  <tr key={u.code} data-unit={u.code}>
                    <th scope="row">
                      <Link to={parAssessmentUrl(c.id, u.code)} aria-label={`${t('parDesk.openAssessment')}: ${nameIn(u, lang)}`}>
                        {nameIn(u, lang)}
                      </Link>
                      <div className="small muted">
                        {u.code} · {t(`parDesk.kind.${u.kind}`)}
                      </div>
                    </th>
                    <td>
                      <span className={`badge par-status par-status-${u.status}`}>{t(`parStatus.${u.status}`)}</span>
                    </td>
                    <td>{u.submittedAt ? formatInstant(u.submittedAt, lang) : '—'}</td>
                    <td className="num">{u.daysLate > 0 ? <span className="badge badge-late">{t('parDesk.lateDays', { n: u.daysLate })}</span> : t('parDesk.onTime')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <section className="panel" aria-labelledby="par-late-title" data-testid="par-late">
        <h2 id="par-late-title">{t('parDesk.lateTitle')}</h2>
        {late.error ? <ParRefused error={late.error} /> : !late.data ? <Loading /> : <LateTable cycle={c.id} late={late.data.late} />}
      </section>
    </div>
  );
}

function Deadlines({ cycle }: { cycle: ParCycle }) {
  const { t, lang } = useI18n();
  const counts = PAR_ASSESSMENT_STATUSES.filter((s) => (cycle.counts[s] ?? 0) > 0);
  return (
    <section className="panel" aria-labelledby="par-deadlines-title">
      <h2 id="par-deadlines-title">{t('parDesk.deadlines')}</h2>
      <dl className="par-deadlines" data-testid="par-deadlines">
        <div>
          <dt>{t('parDesk.selfDue')}</dt>
          <dd>{formatDate(cycle.deadlines.selfAssessmentDue, lang)}</dd>
        </div>
        <div>
          <dt>{t('parDesk.appraisalDue')}</dt>
          <dd>{formatDate(cycle.deadlines.appraisalDue, lang)}</dd>
        </div>
        <div>
          <dt>{t('parDesk.responseDays')}</dt>
          <dd>{t('parDesk.responseDaysValue', { n: cycle.deadlines.responseDays })}</dd>
        </div>
        <div>
          <dt>{t('parDesk.status')}</dt>
          <dd>{cycle.publishedAt ? t('parDesk.publishedOn', { at: formatInstant(cycle.publishedAt, lang) }) : t('parDesk.open')}</dd>
        </div>
      </dl>
      {counts.length > 0 ? (
        <p className="small">
          {t('parDesk.counts')}:{' '}
          {counts.map((s, i) => (
            <span key={s}>
              {i > 0 ? ' · ' : ''}
              {t(`parStatus.${s}`)}: <strong>{cycle.counts[s]}</strong>
            </span>
          ))}
        </p>
      ) : null}
    </section>
  );
}

function LateTable({ cycle, late }: { cycle: number; late: readonly ParLate[] }) {
  const { t, lang } = useI18n();
  if (late.length === 0) return <p className="muted">{t('parDesk.noLate')}</p>;
  return (
    <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="par-late-title">
      <table className="data-table" data-testid="par-late-table">
        <thead>
          <tr>
            <th scope="col">{t('parDesk.unit')}</th>
            <th scope="col">{t('parDesk.step')}</th>
            <th scope="col">{t('parDesk.due')}</th>
            <th scope="col" className="num">
              {t('parDesk.daysLate')}
            </th>
            <th scope="col">{t('parDesk.doneAt')}</th>
          </tr>
        </thead>
        <tbody>
          {lateFirst(late).map((l) => (
            <tr key={`${l.code}|${l.step}`} data-unit={l.code} data-step={l.step}>
              <th scope="row">
                <Link to={parAssessmentUrl(cycle, l.code)}>{nameIn(l, lang)}</Link>
                <div className="small muted">{t(`parStatus.${l.status}`)}</div>
              </th>
              <td>{t(`parDesk.step.${l.step}`)}</td>
              <td>{formatDate(l.due, lang)}</td>
              <td className="num">
                <span className="badge badge-late">{t('parDesk.lateDays', { n: l.daysLate })}</span>
              </td>
              <td>{l.doneAt ? formatInstant(l.doneAt, lang) : <span className="muted">{t('parDesk.notDone')}</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Scoring computed points again and publishing, for the appraisers. */
function ManageCycle({ cycle, onChanged }: { cycle: ParCycle; onChanged: () => void }) {
  const { t } = useI18n();
  const [busy, setBusy] = useState<'refresh' | 'publish' | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const run = async (what: 'refresh' | 'publish') => {
    setBusy(what);
    setError(null);
    setDone(null);
    try {
      if (what === 'refresh') await parDeskApi.refresh(cycle.id);
      else await parDeskApi.publish(cycle.id);
      setDone(what === 'refresh' ? t('parDesk.refreshed') : t('parDesk.published'));
      onChanged();
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setBusy(null);
    }
  };
  if (cycle.publishedAt) return null;
  return (
    <section className="panel" aria-label={t('parDesk.refresh')} data-testid="par-manage">
      <div className="par-manage">
        <button type="button" className="button" disabled={busy !== null} onClick={() => void run('refresh')}>
          {t('parDesk.refresh')}
        </button>
        <span className="small muted">{t('parDesk.refreshHint')}</span>
      </div>
      <div className="par-manage">
        <button type="button" className="button" disabled={busy !== null} onClick={() => void run('publish')}>
          {t('parDesk.publish')}
        </button>
        <span className="small muted">{t('parDesk.publishHint')}</span>
      </div>
      <p role="status" className="small">
        {done ?? ''}
      </p>
      <ParRefused error={error} />
    </section>
  );
}

/**
 * Opening a cycle on a framework with its deadlines, for holders of
 * par.manage (the caller shows it only to them). After opening, goes to the
 * new cycle's desk unless `onOpened` says otherwise.
 */
export function OpenCycleForm({ onOpened }: { onOpened?: ((cycle: ParCycle) => void) | undefined }) {
  const { t, lang } = useI18n();
  const frameworks = useRequest(parDeskApi.frameworks());
  const [form, setForm] = useState<OpenCycleInput>({ frameworkCode: '', selfAssessmentDue: '', appraisalDue: '', responseDays: '7' });
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const problem = openCycleProblem(form);
  const openable = openableFrameworks(frameworks.data?.frameworks ?? []);
  const set = (k: keyof OpenCycleInput) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [k]: e.target.value }));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setTried(true);
    if (problem) return;
    setBusy(true);
    setError(null);
    try {
      const cycle = await parDeskApi.openCycle(form.frameworkCode, { selfAssessmentDue: form.selfAssessmentDue, appraisalDue: form.appraisalDue, responseDays: Number(form.responseDays) });
      if (onOpened) onOpened(cycle);
      else navigate(parCycleDeskUrl(cycle.id));
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="panel" aria-labelledby="par-open-title" data-testid="par-open-cycle">
      <h2 id="par-open-title">{t('parDesk.openTitle')}</h2>
      <p className="small muted">{t('parDesk.openIntro')}</p>
      {frameworks.error ? (
        <ParRefused error={frameworks.error} />
      ) : !frameworks.data ? (
        <Loading />
      ) : openable.length === 0 ? (
        <p className="note">{t('parDesk.openNoFramework')}</p>
      ) : (
        // The form's own checks speak the reader's language; the browser's would stop the submission in its own.
        <form className="par-open-form" noValidate onSubmit={(e) => void submit(e)}>
          <label className="field">
            <span>{t('parDesk.openFramework')}</span>
            <select name="framework" value={form.frameworkCode} onChange={set('frameworkCode')}>
              <option value="">{t('parDesk.openChoose')}</option>
              {openable.map((f) => (
                <option key={f.code} value={f.code}>
                  {t('parDesk.frameworkOption', { name: nameIn(f, lang), code: f.code, year: f.year })}
                  {f.example ? ` · ${t('parDesk.exampleMark')}` : ''}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span>{t('parDesk.selfDue')}</span>
            <input type="date" name="selfAssessmentDue" value={form.selfAssessmentDue} onChange={set('selfAssessmentDue')} />
          </label>
          <label className="field">
            <span>{t('parDesk.appraisalDue')}</span>
            <input type="date" name="appraisalDue" value={form.appraisalDue} min={form.selfAssessmentDue || undefined} onChange={set('appraisalDue')} />
          </label>
          <label className="field">
            <span>{t('parDesk.responseDays')}</span>
            <input type="number" name="responseDays" min={1} max={60} step={1} value={form.responseDays} onChange={set('responseDays')} />
          </label>
          <button type="submit" className="button primary" disabled={busy}>
            {t(busy ? 'parDesk.opening' : 'parDesk.openSubmit')}
          </button>
          {tried && problem ? (
            <p className="field-error" role="alert">
              {t(problem === 'missing' ? 'parDesk.openMissing' : problem === 'badDates' ? 'parDesk.openBadDates' : 'parDesk.openBadDays')}
            </p>
          ) : null}
          <ParRefused error={error} />
        </form>
      )}
    </section>
  );
}
