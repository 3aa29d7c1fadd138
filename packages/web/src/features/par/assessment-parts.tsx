import type { ParEvidence, ParLeafAssessment } from '@watchfloor/core';
import { useState, type FormEvent } from 'react';
import { toApiError, type ApiError } from '../../lib/api';
import { errorMessageKey } from '../../lib/error-panel';
import { formatInstant, formatNumber } from '../../lib/i18n/format';
import { useI18n } from '../../lib/i18n/i18n';
import type { MessageKey } from '../../lib/i18n/translate';
import { nameIn, parsePoints, pointsProblem, refusedLeaves } from './assessment-model';
import { parDeskApi } from './par-api';

/**
 * The pieces of a unit's assessment screen: refusals in the reader's
 * language, the small forms of one leaf (points with a reason, a text),
 * and its evidence files.
 */

/** Points for the reader: "1,5" in Vietnamese, "1.5" in English, up to two decimals. */
export function formatPoints(points: number, lang: 'vi' | 'en'): string {
  return formatNumber(points, lang, 2);
}

/** A file's size: "820 B", "12 KB", "3,4 MB". */
export function formatSize(bytes: number, lang: 'vi' | 'en'): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${formatNumber(bytes / 1024, lang, 0)} KB`;
  return `${formatNumber(bytes / (1024 * 1024), lang, 1)} MB`;
}

/** A refusal by the server, in the reader's language, naming the leaves it is about when it names any. */
export function ParRefused({
  error,
  leaves = [],
  words = {},
}: {
  error: Pick<ApiError, 'code' | 'message' | 'details'> | null;
  leaves?: readonly ParLeafAssessment[];
  /** Words of the step refused, for a code that means more there than it says alone. */
  words?: Partial<Record<string, MessageKey>>;
}) {
  const { t, lang } = useI18n();
  if (!error) return null;
  const named = refusedLeaves(error.details, leaves);
  const byCode = new Map(leaves.map((l) => [l.code, l]));
  return (
    <div className="desk-refused par-refused" role="alert" data-code={error.code}>
      <p>
        {t('parAssess.refused')} {t(words[error.code] ?? errorMessageKey(error.code))} <span className="muted small">({error.code})</span>
      </p>
      {named.length > 0 ? (
        <>
          <p className="small">{t('parAssess.refusedLeaves')}</p>
          <ul className="par-refused-leaves">
            {named.map((code) => (
              <li key={code}>
                <a href={`#leaf-${code}`}>
                  {code} · {nameIn(byCode.get(code) ?? { name: code, nameEn: null }, lang)}
                </a>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </div>
  );
}

type Busy = 'idle' | 'busy' | 'saved';

/** A form with points (optional when `allowEmpty`) and a text: the unit's own points and explanation, the appraisers' adjustment, the council's decision. */
export function PointsForm({
  id,
  max,
  initialPoints,
  initialText,
  pointsLabel,
  textLabel,
  allowEmpty,
  onSave,
}: {
  id: string;
  max: number;
  initialPoints: number | null;
  initialText: string | null;
  pointsLabel: MessageKey;
  textLabel: MessageKey;
  allowEmpty: boolean;
  onSave: (points: number | null, text: string) => Promise<unknown>;
}) {
  const { t, lang } = useI18n();
  const [points, setPoints] = useState(initialPoints === null ? '' : formatPoints(initialPoints, lang));
  const [text, setText] = useState(initialText ?? '');
  const [state, setState] = useState<Busy>('idle');
  const [error, setError] = useState<ApiError | null>(null);
  const value = parsePoints(points);
  const problem = pointsProblem(value, points, max);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (problem || (!allowEmpty && value === null)) return;
    setState('busy');
    setError(null);
    try {
      await onSave(value, text);
      setState('saved');
    } catch (err) {
      setError(toApiError(err));
      setState('idle');
    }
  };
  return (
    <form className="par-form" onSubmit={(e) => void submit(e)} data-testid={id}>
      <label className="field par-points-field">
        <span>{t(pointsLabel, { max: formatPoints(max, lang) })}</span>
        <input
          name="points"
          inputMode="decimal"
          autoComplete="off"
          value={points}
          onChange={(e) => {
            setPoints(e.target.value);
            setState('idle');
          }}
          aria-invalid={problem ? true : undefined}
          aria-describedby={problem ? `${id}-problem` : undefined}
        />
        {problem ? (
          <span id={`${id}-problem`} className="field-error">
            {t(problem === 'notNumber' ? 'parAssess.notNumber' : 'parAssess.outOfRange', { max: formatPoints(max, lang) })}
          </span>
        ) : null}
      </label>
      <TextField label={t(textLabel)} text={text} onChange={(v) => (setText(v), setState('idle'))} />
      <SaveRow state={state} disabled={problem !== null || (!allowEmpty && value === null)} />
      <ParRefused error={error} />
    </form>
  );
}

/** The text of a criterion's form (an explanation, a reason, a dispute, an answer): up to 4,000 characters, as the API takes. */
function TextField({ label, text, onChange }: { label: string; text: string; onChange: (text: string) => void }) {
  return (
    <label className="field par-text-field">
      <span>{label}</span>
      <textarea name="text" rows={2} maxLength={4000} value={text} onChange={(e) => onChange(e.target.value)} />
    </label>
  );
}

/** A form with a text only: the unit's dispute of computed points, its answer to the appraisal. */
export function TextForm({ id, initial, label, onSave }: { id: string; initial: string | null; label: MessageKey; onSave: (text: string) => Promise<unknown> }) {
  const { t } = useI18n();
  const [text, setText] = useState(initial ?? '');
  const [state, setState] = useState<Busy>('idle');
  const [error, setError] = useState<ApiError | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setState('busy');
    setError(null);
    try {
      await onSave(text);
      setState('saved');
    } catch (err) {
      setError(toApiError(err));
      setState('idle');
    }
  };
  return (
    <form className="par-form" onSubmit={(e) => void submit(e)} data-testid={id}>
      <TextField label={t(label)} text={text} onChange={(v) => (setText(v), setState('idle'))} />
      <SaveRow state={state} disabled={false} />
      <ParRefused error={error} />
    </form>
  );
}

function SaveRow({ state, disabled }: { state: Busy; disabled: boolean }) {
  const { t } = useI18n();
  return (
    <div className="par-save">
      <button type="submit" className="button primary small" disabled={disabled || state === 'busy'}>
        {t(state === 'busy' ? 'parAssess.saving' : 'parAssess.save')}
      </button>
      <span role="status" className="small muted">
        {state === 'saved' ? t('parAssess.saved') : ''}
      </span>
    </div>
  );
}

/** A leaf's evidence files, each a download; while the unit may assess, remove one or attach another. */
export function EvidenceList({
  leaf,
  target,
  editable,
  onChanged,
}: {
  leaf: ParLeafAssessment;
  target: { id: number; unit: string };
  editable: boolean;
  onChanged: () => void;
}) {
  const { t, lang } = useI18n();
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const [file, setFile] = useState<File | null>(null);
  const [inputKey, setInputKey] = useState(0);

  const remove = async (e: ParEvidence) => {
    setBusy(true);
    setError(null);
    try {
      await parDeskApi.removeEvidence(e.id);
      onChanged();
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setBusy(false);
    }
  };
  const upload = async (ev: FormEvent) => {
    ev.preventDefault();
    if (!file) return;
    setBusy(true);
    setError(null);
    try {
      await parDeskApi.uploadEvidence({ ...target, criterion: leaf.code }, file);
      setFile(null);
      setInputKey((k) => k + 1);
      onChanged();
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="par-evidence" data-testid={`evidence-${leaf.code}`}>
      <h5>{t('parAssess.evidence')}</h5>
      {leaf.evidence.length === 0 ? (
        <p className="small muted">{t('parAssess.noEvidence')}</p>
      ) : (
        <ul className="par-evidence-list">
          {leaf.evidence.map((e) => (
            <li key={e.id}>
              <a href={parDeskApi.evidenceUrl(e.id)} download={e.fileName}>
                {e.fileName}
              </a>{' '}
              <span className="small muted">{t('parAssess.evidenceMeta', { size: formatSize(e.size, lang), at: formatInstant(e.uploadedAt, lang) })}</span>
              {editable ? (
                <button type="button" className="button small" disabled={busy} onClick={() => void remove(e)} aria-label={t('parAssess.removeLabel', { name: e.fileName })}>
                  {t('parAssess.remove')}
                </button>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      {editable ? (
        <form className="par-upload" onSubmit={(e) => void upload(e)}>
          <label className="field">
            <span>{t('parAssess.uploadFile')}</span>
            <input key={inputKey} type="file" name="file" accept=".pdf,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
          </label>
          <button type="submit" className="button small" disabled={!file || busy}>
            {t(busy ? 'parAssess.uploading' : 'parAssess.upload')}
          </button>
        </form>
      ) : null}
      <ParRefused error={error} />
    </div>
  );
}
