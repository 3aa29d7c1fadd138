import { addDays, type Lineage, type LineageEdge, type PlaceSummary, type Successor } from '@watchfloor/core';
import { api } from '../../lib/api';
import { formatDate } from '../../lib/i18n/format';
import { useI18n } from '../../lib/i18n/i18n';
import type { Language } from '../../lib/i18n/translate';
import { Link } from '../../lib/router';
import { useRequest } from '../../lib/use-request';
import { placeUrl } from '../../app/routes';

/**
 * What the unit was formed from and what it became, with the legal act; for
 * a district, that its level ended on 1 July 2025 and which units of the
 * new map its communes went into. Each unit links to its own screen on a
 * date it existed.
 */
export function LineagePanel({ code, at }: { code: string; at: string }) {
  const lineage = useRequest(api.lineage(code, at));
  return lineage.data ? <LineageView lineage={lineage.data} /> : null;
}

type Translate = ReturnType<typeof useI18n>['t'];

/**
 * The span of the unit itself, never of the unit on the other side of the
 * edge: an old unit "until 30/06/2025", a new one "from 01/07/2025". (The
 * code of an old unit may live on in the new unit: Phường 3 and Phường Trà
 * Vinh are both 29242, the old and the new Vĩnh Long both 86; so a code is
 * always read with the dates of the unit named beside it.)
 */
export function spanOf(place: Pick<PlaceSummary, 'validFrom' | 'validTo'>, t: Translate, lang: Language): string {
  const from = place.validFrom ? formatDate(place.validFrom, lang) : null;
  const to = place.validTo ? formatDate(place.validTo, lang) : null;
  if (from && to) return t('lineage.between', { from, to });
  if (to) return t('lineage.until', { date: to });
  if (from) return t('lineage.since', { date: from });
  return '';
}

/** The lineage panel of one answer. */
export function LineageView({ lineage }: { lineage: Lineage }) {
  const { t, lang } = useI18n();
  const { place, from, to, abolished } = lineage;
  if (from.length === 0 && to.length === 0 && !abolished) return null;
  const act = [...from, ...to].find((e) => e.legalRef)?.legalRef;
  return (
    <section className="panel lineage" aria-labelledby="lineage-title" data-testid="lineage">
      <h2 id="lineage-title">{t('lineage.title')}</h2>
      {abolished ? <AbolishedPart place={place} abolished={abolished} /> : null}
      {byDate(from).map(([date, edges]) => (
        <EdgeList key={`from-${date}`} title={t('lineage.fromOn', { date: formatDate(date, lang) })} edges={edges} side="from" self={place} />
      ))}
      {byDate(to).map(([date, edges]) => (
        <EdgeList key={`to-${date}`} title={t('lineage.toOn', { date: formatDate(date, lang) })} edges={edges} side="to" self={place} />
      ))}
      {act ? <p className="muted small">{act}</p> : null}
    </section>
  );
}

/** Edges grouped by the day they took effect, in order. */
function byDate(edges: readonly LineageEdge[]): [string, LineageEdge[]][] {
  const groups = new Map<string, LineageEdge[]>();
  for (const e of edges) groups.set(e.effectiveDate, [...(groups.get(e.effectiveDate) ?? []), e]);
  return [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
}

/** The screen of a unit: today while it exists, else its last day. */
function hrefOf(place: PlaceSummary): string {
  return placeUrl(place.code, { at: place.validTo ?? undefined });
}

function EdgeList({ title, edges, side, self }: { title: string; edges: readonly LineageEdge[]; side: 'from' | 'to'; self: PlaceSummary }) {
  const { t, lang } = useI18n();
  return (
    <div className="edges">
      <h3>{title}</h3>
      <ul>
        {edges.map((e) => {
          // A from-edge links to the old unit on its last day; a to-edge to the new unit today, or on its last day.
          const href = side === 'from' ? placeUrl(e.place.code, { at: addDays(e.effectiveDate, -1) }) : hrefOf(e.place);
          const notes = [
            `${t('lineage.code', { code: e.place.code })} ${spanOf(e.place, t, lang)}`.trim(),
            e.part === 'partial' ? t('lineage.partial') : null,
            e.place.code === self.code ? t(side === 'from' ? 'lineage.codeLivesOn' : 'lineage.codeTakenOver') : null,
          ].filter((n): n is string => n !== null);
          return (
            <li key={`${e.place.code}-${e.place.validFrom ?? ''}-${e.place.validTo ?? ''}`}>
              <Link to={href}>{e.place.name}</Link>
              <span className="muted"> · {notes.join(', ')}</span>
            </li>
          );
        })}
      </ul>
    </div>
  );
}

/** The district level ended: what became of this district's communes. */
function AbolishedPart({ place, abolished }: { place: PlaceSummary; abolished: NonNullable<Lineage['abolished']> }) {
  const { t, lang } = useI18n();
  return (
    <div className="edges abolished" data-testid="lineage-abolished">
      <h3>{t(abolished.level === 'district' ? 'lineage.abolished.district' : 'lineage.abolished.level', { date: formatDate(abolished.effectiveDate, lang) })}</h3>
      <p>{t(abolished.successors.length > 0 ? 'lineage.abolished.into' : 'lineage.abolished.none', { name: place.name })}</p>
      {abolished.successors.length > 0 ? (
        <ul data-testid="successors">
          {abolished.successors.map((s) => (
            <li key={s.place.code}>
              <Link to={hrefOf(s.place)}>{s.place.name}</Link>
              <span className="muted">
                {' · '}
                {`${t('lineage.code', { code: s.place.code })} ${spanOf(s.place, t, lang)}`.trim()}
                {s.from.length > 0 ? ` — ${fromText(s, place, t)}` : ''}
              </span>
            </li>
          ))}
        </ul>
      ) : null}
      <p className="muted small">{abolished.legalRef}</p>
    </div>
  );
}

function fromText(s: Successor, place: PlaceSummary, t: Translate): string {
  const names = s.from.map((f) => f.name).join(', ');
  return s.others > 0 ? t('lineage.abolished.fromWithOthers', { names, n: s.others, name: place.name }) : t('lineage.abolished.from', { names });
}
