import { periodKeySchema, type IngestResult, type ManualForm, type Source } from '@watchfloor/core';
import { useState, type FormEvent } from 'react';
import { toApiError, type ApiError } from '../../lib/api';
import { formatInstant, formatNumber } from '../../lib/i18n/format';
import { useI18n } from '../../lib/i18n/i18n';
import { Loading } from '../../lib/loading';
import { useRequest } from '../../lib/use-request';
import { todayInVietnam } from '../time/time-travel';
import { deskApi } from './desk-api';
import { Refused } from './desk-nav';
import { isPlaceCode } from './desk-routes';
import { parseFigure } from './operator';
import { IngestSummary } from './file-upload';

/** The month before today's in Vietnam: what an agency usually reports. */
export function previousMonth(today: string): string {
  const [y = 2026, m = 1] = today.split('-').map(Number);
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

/** What is wrong with a typed figure before it is sent: not a number, or outside the indicator's valid range. */
export function figureProblem(text: string, lang: 'vi' | 'en', range: { min: number | null; max: number | null } | null): 'notNumber' | 'belowMin' | 'aboveMax' | null {
  if (text.trim() === '') return null;
  const v = parseFigure(text, lang);
  if (v === null) return 'notNumber';
  if (range?.min != null && v < range.min) return 'belowMin';
  if (range?.max != null && v > range.max) return 'aboveMax';
  return null;
}

/** The manual entry form: choose the period and place, type the figures, see what was accepted and what was refused, and why. */
export function ManualEntryForm({ source, onEntered }: { source: Source; onEntered: () => void }) {
  const { t } = useI18n();
  const [period, setPeriod] = useState(() => previousMonth(todayInVietnam()));
  const [place, setPlace] = useState('');
  const [asked, setAsked] = useState<{ period: string; place?: string | undefined } | null>(null);
  const [problem, setProblem] = useState<'period' | 'place' | null>(null);
  const form = useRequest(asked ? deskApi.form(source.code, asked) : null);

  const open = (e: FormEvent) => {
    e.preventDefault();
    if (!periodKeySchema.safeParse(period.trim()).success) return setProblem('period');
    if (place.trim() && !isPlaceCode(place.trim())) return setProblem('place');
    setProblem(null);
    setAsked({ period: period.trim(), place: place.trim() || undefined });
  };
  return (
    <section className="panel" aria-labelledby="manual-title" data-testid="manual-entry">
      <h2 id="manual-title">{t('desk.manual.title')}</h2>
      <form className="desk-inline-form" onSubmit={open}>
        <label className="field">
          <span>{t('desk.manual.period')}</span>
          <input name="period" value={period} onChange={(e) => setPeriod(e.target.value)} aria-invalid={problem === 'period' || undefined} aria-describedby="manual-period-hint" />
          <span id="manual-period-hint" className={problem === 'period' ? 'field-error' : 'small muted'}>
            {t('desk.manual.periodHint')}
          </span>
        </label>
        <label className="field">
          <span>{t('desk.manual.place')}</span>
          <input name="place" inputMode="numeric" value={place} onChange={(e) => setPlace(e.target.value)} placeholder={t('desk.manual.placeDefault')} aria-invalid={problem === 'place' || undefined} />
          {problem === 'place' ? <span className="field-error">{t('desk.case.badPlace')}</span> : null}
        </label>
        <button type="submit" className="button">
          {t('desk.manual.open')}
        </button>
      </form>
      {form.error ? <Refused error={form.error} /> : form.loading ? <Loading /> : form.data ? <Figures key={`${form.data.period}|${form.data.place.code}`} form={form.data} onEntered={() => { form.retry(); onEntered(); }} /> : null}
    </section>
  );
}

function Figures({ form, onEntered }: { form: ManualForm; onEntered: () => void }) {
  const { t, lang } = useI18n();
  const [values, setValues] = useState<Record<string, string>>(() =>
    Object.fromEntries(form.fields.map((f) => [f.indicator, f.stored ? formatNumber(f.stored.value, lang, 6).replace(/\u00a0/g, ' ') : ''])),
  );
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ sent: string[]; answer: IngestResult } | null>(null);
  const [refused, setRefused] = useState<ApiError | null>(null);
  const fields = form.fields.filter((f) => f.applicable);
  const problems = fields.map((f) => figureProblem(values[f.indicator] ?? '', lang, f.validRange));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (problems.some((p) => p === 'notNumber')) return;
    const figures = fields.flatMap((f) => {
      const v = parseFigure(values[f.indicator] ?? '', lang);
      return v === null ? [] : [{ indicator: f.indicator, value: v }];
    });
    if (figures.length === 0) return;
    setBusy(true);
    setRefused(null);
    try {
      const answer = await deskApi.enter(form.source.code, {
        period: form.period,
        place: form.place.code,
        ...(form.organisation ? { organisation: form.organisation } : {}),
        figures,
      });
      setResult({ sent: figures.map((f) => f.indicator), answer });
      onEntered();
    } catch (err) {
      setRefused(toApiError(err));
    } finally {
      setBusy(false);
    }
  };

  if (fields.length === 0) return <p className="muted">{t('desk.manual.noFields')}</p>;
  return (
    <form onSubmit={(e) => void submit(e)} className="manual-figures" aria-label={t('desk.manual.figuresOf', { place: form.place.name, period: form.period })}>
      <p className="small muted">{t('desk.manual.figuresOf', { place: form.place.name, period: form.period })}</p>
      <table className="data-table">
        <thead>
          <tr>
            <th scope="col">{t('desk.manual.indicator')}</th>
            <th scope="col">{t('desk.manual.value')}</th>
            <th scope="col">{t('desk.manual.stored')}</th>
          </tr>
        </thead>
        <tbody>
          {fields.map((f, i) => {
            const id = `figure-${f.indicator}`;
            const p = problems[i];
            const range = f.validRange && (f.validRange.min !== null || f.validRange.max !== null) ? t('desk.manual.range', { min: f.validRange.min ?? '…', max: f.validRange.max ?? '…' }) : '';
            return (
              <tr key={f.indicator}>
                <th scope="row">
                  <label htmlFor={id}>{f.names[lang]}</label>
                  <div className="small muted">
                    {f.indicator} · {f.unit}
                    {range ? ` · ${range}` : ''}
                  </div>
                </th>
                <td>
                  <input
                    id={id}
                    inputMode="decimal"
                    value={values[f.indicator] ?? ''}
                    onChange={(e) => setValues({ ...values, [f.indicator]: e.target.value })}
                    aria-invalid={p ? true : undefined}
                    aria-describedby={p ? `${id}-problem` : undefined}
                  />{' '}
                  <span aria-hidden="true">{f.unit}</span>
                  {p ? (
                    <div id={`${id}-problem`} className="field-error">
                      {t(`desk.manual.${p}`)}
                    </div>
                  ) : null}
                </td>
                <td className="small">
                  {f.stored ? t('desk.manual.storedValue', { value: formatNumber(f.stored.value, lang), at: formatInstant(f.stored.recordedAt, lang), by: f.stored.enteredBy ?? f.stored.source }) : t('desk.manual.nothingStored')}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <div className="desk-inline-form">
        <button type="submit" className="button primary" disabled={busy}>
          {busy ? t('desk.saving') : t('desk.manual.submit')}
        </button>
      </div>
      <Refused error={refused} />
      {result ? (
        <div role="status" data-testid="manual-result">
          <IngestSummary result={result.answer} />
          {result.answer.rejectedRows.length > 0 ? (
            <ul className="manual-rejected">
              {result.answer.rejectedRows.map((r) => (
                <li key={r.index}>
                  <strong>{result.sent[r.index] ?? `#${r.line ?? r.index + 1}`}</strong>: <code>{r.reason}</code> {r.message}
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
    </form>
  );
}
