import type { ParAssessment, ParLeafAssessment } from '@watchfloor/core';
import { useState, type FormEvent } from 'react';
import { parCycleDeskUrl } from '../../app/routes';
import { toApiError, type ApiError } from '../../lib/api';
import { ErrorPanel } from '../../lib/error-panel';
import { formatDate, formatInstant, formatPercent } from '../../lib/i18n/format';
import { useI18n } from '../../lib/i18n/i18n';
import { Loading } from '../../lib/loading';
import { Link } from '../../lib/router';
import { useRequest } from '../../lib/use-request';
import { assessmentSteps, assessmentTree, isScoredByFigures, leafActions, leafStages, nameIn, signedPoints, type AssessmentStep, type Can, type LeafStage, type TreeField } from './assessment-model';
import { EvidenceList, formatPoints, ParRefused, PointsForm, TextForm } from './assessment-parts';
import { parDeskApi } from './par-api';
import './assessment-screen.css';

/**
 * One unit's PAR Index assessment in a cycle: the framework's tree of the
 * unit (fields → criteria → scored leaves), each leaf with its maximum,
 * method, guidance, its points at every step and the words and files
 * behind them, the totals per field and in all with the index and band.
 * What may be done is what the server's `can` allows, nothing more.
 */
export function AssessmentScreen({ id, unit }: { id: number; unit: string }) {
  const { t, lang } = useI18n();
  const req = useRequest(parDeskApi.assessment(id, unit), { keepPrevious: true });
  const a = req.data;
  // The names of the fields and criteria come from the framework; without it the tree shows their codes.
  const framework = useRequest(a ? parDeskApi.framework(a.frameworkCode) : null);

  if (req.error && !a) return <ErrorPanel error={req.error} onRetry={req.retry} backTo={parCycleDeskUrl(id)} />;
  if (!a) return <Loading />;
  const tree = assessmentTree(a, framework.data?.framework ?? null);
  const target = { id, unit };
  const steps = assessmentSteps(a.can);
  const nothing = steps.length === 0 && !a.can.assess && !a.can.adjust;
  return (
    <div className="screen desk par-assessment" data-testid="par-assessment" data-status={a.unit.status}>
      <p className="desk-back">
        <Link to={parCycleDeskUrl(id)}>← {t('parAssess.backToDesk')}</Link>
      </p>
      <header className="screen-header">
        <div>
          <p className="subtitle">{t('parAssess.title', { year: a.year })}</p>
          <h1>{nameIn(a.unit, lang)}</h1>
          <p className="par-status-line">
            <span className={`badge par-status par-status-${a.unit.status}`} data-testid="par-status">
              {t(`parStatus.${a.unit.status}`)}
            </span>
            {a.unit.daysLate > 0 ? <span className="badge badge-late">{t('parAssess.daysLate', { n: a.unit.daysLate })}</span> : null}
            {a.unit.responseDue && (a.unit.status === 'appraised' || a.unit.status === 'answered') ? <span className="small muted"> {t('parAssess.responseDue', { date: formatDate(a.unit.responseDue, lang) })}</span> : null}
          </p>
        </div>
        <Totals a={a} />
      </header>
      {framework.data?.framework.example ? <p className="note">{t('parAssess.example')}</p> : null}
      {req.error ? <ParRefused error={req.error} /> : null}
      {nothing ? <p className="note">{t('parAssess.nothingToDo')}</p> : null}
      {steps.length > 0 ? <StepsPanel a={a} steps={steps} onDone={req.retry} /> : null}
      <FieldTotals tree={tree} />
      {tree.map((field) => (
        <section key={field.code} className="panel par-field" aria-labelledby={`field-${field.code}`} data-field={field.code}>
          <div className="panel-head">
            <h2 id={`field-${field.code}`}>
              <span className="par-code">{field.code}</span> {nameIn(field, lang)}
            </h2>
            <span className="par-field-total">{t('parAssess.fieldTotal', { points: formatPoints(field.points, lang), max: formatPoints(field.max, lang) })}</span>
          </div>
          {field.criteria.map((c) =>
            c.scoredItself ? (
              c.leaves.map((leaf) => <LeafCard key={leaf.code} leaf={leaf} can={a.can} target={target} onChanged={req.retry} heading="h3" />)
            ) : (
              <section key={c.code} className="par-criterion" aria-labelledby={`criterion-${c.code}`}>
                <h3 id={`criterion-${c.code}`}>
                  <span className="par-code">{c.code}</span> {nameIn(c, lang)}
                </h3>
                {c.leaves.map((leaf) => (
                  <LeafCard key={leaf.code} leaf={leaf} can={a.can} target={target} onChanged={req.retry} heading="h4" />
                ))}
              </section>
            ),
          )}
        </section>
      ))}
      <History a={a} />
    </div>
  );
}

function Totals({ a }: { a: ParAssessment }) {
  const { t, lang } = useI18n();
  return (
    <dl className="par-totals" data-testid="par-totals">
      <div>
        <dt>{t('parAssess.total')}</dt>
        <dd data-testid="par-total">{t('parAssess.totalOf', { points: formatPoints(a.total, lang), max: formatPoints(a.max, lang) })}</dd>
      </div>
      <div>
        <dt>{t('parAssess.indexLabel')}</dt>
        <dd>{formatPercent(a.index, lang)}</dd>
      </div>
      <div>
        <dt>{t('parAssess.bandLabel')}</dt>
        <dd data-testid="par-band">{a.band ? nameIn(a.band, lang) : t('parAssess.noBand')}</dd>
      </div>
    </dl>
  );
}

function FieldTotals({ tree }: { tree: TreeField[] }) {
  const { t, lang } = useI18n();
  return (
    <section className="panel" aria-labelledby="par-fields-title">
      <h2 id="par-fields-title">{t('parAssess.fieldsTitle')}</h2>
      <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="par-fields-title">
        <table className="data-table" data-testid="par-field-totals">
          <thead>
            <tr>
              <th scope="col">{t('parAssess.field')}</th>
              <th scope="col" className="num">
                {t('parAssess.points')}
              </th>
              <th scope="col" className="num">
                {t('parAssess.max')}
              </th>
            </tr>
          </thead>
          <tbody>
            {tree.map((f) => (
              <tr key={f.code}>
                <th scope="row">
                  <a href={`#field-${f.code}`}>
                    {f.code}. {nameIn(f, lang)}
                  </a>
                </th>
                <td className="num">{formatPoints(f.points, lang)}</td>
                <td className="num">{formatPoints(f.max, lang)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** The steps of the whole assessment the caller may take now: submit, send back, answer, decide; a refusal names the leaves it is about. */
function StepsPanel({ a, steps, onDone }: { a: ParAssessment; steps: AssessmentStep[]; onDone: () => void }) {
  const { t } = useI18n();
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState<AssessmentStep | null>(null);
  const [done, setDone] = useState<AssessmentStep | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const run = async (step: AssessmentStep, e: FormEvent) => {
    e.preventDefault();
    setBusy(step);
    setError(null);
    try {
      const id = a.cycleId;
      const unit = a.unit.code;
      if (step === 'submit') await parDeskApi.submit(id, unit, note);
      else if (step === 'return') await parDeskApi.returnAppraisal(id, unit, note);
      else if (step === 'answer') await parDeskApi.finishAnswer(id, unit, note);
      else await parDeskApi.finalise(id, unit, note);
      setDone(step);
      setNote('');
      onDone();
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setBusy(null);
    }
  };
  return (
    <section className="panel par-steps" aria-labelledby="par-steps-title" data-testid="par-steps">
      <h2 id="par-steps-title">{t('parAssess.steps')}</h2>
      <label className="field">
        <span>{t('parAssess.stepNote')}</span>
        <textarea name="stepNote" rows={2} maxLength={4000} value={note} onChange={(e) => setNote(e.target.value)} />
      </label>
      {steps.map((step) => (
        <form key={step} className="par-step" onSubmit={(e) => void run(step, e)}>
          <button type="submit" className="button primary" disabled={busy !== null} data-step={step}>
            {busy === step ? t('parAssess.working') : t(`parAssess.step.${step}`)}
          </button>
          <span className="small muted">{t(`parAssess.step.${step}Hint`)}</span>
        </form>
      ))}
      <p role="status" className="small">
        {done ? t('parAssess.done', { step: t(`parAssess.step.${done}`) }) : ''}
      </p>
      <ParRefused error={error} leaves={a.leaves} words={{ par_points_not_assessed: 'parAssess.unscored' }} />
    </section>
  );
}

/** One scored leaf (exported for its tests): its maximum, method and guidance, its points at each step, its evidence and what may be done to it now. */
export function LeafCard({ leaf, can, target, onChanged, heading }: { leaf: ParLeafAssessment; can: Can; target: { id: number; unit: string }; onChanged: () => void; heading: 'h3' | 'h4' }) {
  const { t, lang } = useI18n();
  const actions = leafActions(leaf, can);
  const Heading = heading;
  const l = { ...target, criterion: leaf.code };
  return (
    <article className="par-leaf" id={`leaf-${leaf.code}`} data-testid={`leaf-${leaf.code}`} data-method={leaf.method} data-points={leaf.points} aria-labelledby={`leaf-title-${leaf.code}`}>
      <Heading id={`leaf-title-${leaf.code}`} className="par-leaf-title">
        <span className="par-code">{leaf.code}</span> {nameIn(leaf, lang)}
      </Heading>
      <p className="par-leaf-meta small">
        <span className={`badge par-method par-method-${leaf.method}`}>{t(`parMethod.${leaf.method}`)}</span>{' '}
        {t(leaf.method === 'deduction' ? 'parAssess.deductionMax' : 'parAssess.maxPoints', { max: formatPoints(leaf.maxPoints, lang) })}
        {leaf.evidenceRequired ? <span className="badge par-required">{t('parAssess.evidenceRequired')}</span> : null}
      </p>
      {leaf.guidance ? (
        <details className="par-guidance">
          <summary>{t('parAssess.guidance')}</summary>
          <p className="small">{leaf.guidance}</p>
        </details>
      ) : null}
      <dl className="par-stages">
        {leafStages(leaf).map((s) => (
          <Stage key={s.kind} stage={s} leaf={leaf} />
        ))}
        <div className="par-stage par-now">
          <dt>{t('parAssess.now')}</dt>
          <dd data-testid={`points-${leaf.code}`}>
            <strong>{formatPoints(signedPoints(leaf.points, leaf.method), lang)}</strong> / {formatPoints(leaf.maxPoints, lang)}
          </dd>
        </div>
      </dl>
      <EvidenceList leaf={leaf} target={target} editable={actions.evidence} onChanged={onChanged} />
      {actions.self ? (
        <PointsForm
          id={`self-${leaf.code}`}
          max={leaf.maxPoints}
          initialPoints={leaf.self}
          initialText={leaf.note}
          pointsLabel={leaf.method === 'deduction' ? 'parAssess.deductionPoints' : 'parAssess.selfPoints'}
          textLabel="parAssess.selfNote"
          allowEmpty
          onSave={async (points, text) => {
            await parDeskApi.assess(l, points, text);
            onChanged();
          }}
        />
      ) : null}
      {actions.dispute ? (
        <>
          <p className="small muted">{t('parAssess.noTyping')}</p>
          <TextForm
            id={`dispute-${leaf.code}`}
            initial={leaf.dispute}
            label="parAssess.disputeReason"
            onSave={async (text) => {
              await parDeskApi.dispute(l, text);
              onChanged();
            }}
          />
        </>
      ) : null}
      {actions.adjust ? (
        <PointsForm
          id={`adjust-${leaf.code}`}
          max={leaf.maxPoints}
          initialPoints={leaf.appraised}
          initialText={leaf.appraisalReason}
          pointsLabel="parAssess.adjustPoints"
          textLabel="parAssess.adjustReason"
          allowEmpty
          onSave={async (points, text) => {
            await parDeskApi.appraise(l, points, text);
            onChanged();
          }}
        />
      ) : null}
      {actions.answer ? (
        <TextForm
          id={`answer-${leaf.code}`}
          initial={leaf.response}
          label="parAssess.answerText"
          onSave={async (text) => {
            await parDeskApi.answer(l, text);
            onChanged();
          }}
        />
      ) : null}
      {actions.decide ? (
        <PointsForm
          id={`decide-${leaf.code}`}
          max={leaf.maxPoints}
          initialPoints={leaf.final}
          initialText={leaf.finalReason}
          pointsLabel="parAssess.decidePoints"
          textLabel="parAssess.decideReason"
          allowEmpty
          onSave={async (points, text) => {
            await parDeskApi.decide(l, points, text);
            onChanged();
          }}
        />
      ) : null}
    </article>
  );
}

function Stage({ stage, leaf }: { stage: LeafStage; leaf: ParLeafAssessment }) {
  const { t, lang } = useI18n();
  const pts = (p: number | null) => (p === null ? <span className="muted">{t('parAssess.notYet')}</span> : formatPoints(signedPoints(p, leaf.method), lang));
  return (
    <div className={`par-stage par-stage-${stage.kind}`} data-stage={stage.kind}>
      <dt>{t(`parAssess.stage.${stage.kind}`)}</dt>
      <dd>
        {stage.kind === 'self' ? (
          <>
            {pts(stage.points)}
            {stage.note ? <Words label={t('parAssess.note')} text={stage.note} /> : null}
          </>
        ) : stage.kind === 'computed' ? (
          <>
            {pts(stage.points)}
            {isScoredByFigures(leaf.method) && leaf.basis ? <Basis leaf={leaf} /> : null}
          </>
        ) : stage.kind === 'appraised' || stage.kind === 'final' ? (
          <>
            {pts(stage.points)}
            {stage.reason ? <Words label={t('parAssess.reason')} text={stage.reason} /> : null}
          </>
        ) : (
          <Words label={null} text={stage.text} />
        )}
      </dd>
    </div>
  );
}

function Words({ label, text }: { label: string | null; text: string }) {
  return (
    <p className="par-words small">
      {label ? <span className="muted">{label}: </span> : null}
      {text}
    </p>
  );
}

/** The figure computed points rest on: its value, the indicator, the year, its sources. */
function Basis({ leaf }: { leaf: ParLeafAssessment }) {
  const { t, lang } = useI18n();
  const b = leaf.basis;
  if (!b) return null;
  const indicator = b.indicatorName ? `${b.indicatorName} · ${b.indicator}` : b.indicator;
  const value = b.value === null ? null : `${formatPoints(b.value, lang)}${b.unit ? ` ${b.unit}` : ''}`;
  return (
    <div className="par-basis small" data-testid={`basis-${leaf.code}`}>
      <p>{value === null ? t('parAssess.basisNone', { indicator, period: b.period }) : t('parAssess.basis', { value, indicator, period: b.period })}</p>
      {b.note ? <p className="muted">{b.note}</p> : null}
      {b.sources.length > 0 ? <p className="muted">{t('parAssess.basisSources', { sources: b.sources.join(', ') })}</p> : null}
      <p className="muted">{t('parAssess.basisAt', { at: formatInstant(b.computedAt, lang) })}</p>
    </div>
  );
}

function History({ a }: { a: ParAssessment }) {
  const { t, lang } = useI18n();
  if (a.steps.length === 0) return null;
  return (
    <section className="panel" aria-labelledby="par-history-title">
      <h2 id="par-history-title">{t('parAssess.history')}</h2>
      <ol className="par-history small">
        {a.steps.map((s, i) => (
          <li key={i}>{t('parAssess.historyItem', { status: t(`parStatus.${s.status}`), at: formatInstant(s.at, lang), by: s.by ?? t('parAssess.byNobody') })}</li>
        ))}
      </ol>
    </section>
  );
}
