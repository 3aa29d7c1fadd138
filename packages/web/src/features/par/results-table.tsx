import type { ParResult, ParResults, ParUnitKind } from '@watchfloor/core';
import { formatNumber, formatPercent } from '../../lib/i18n/format';
import { useI18n } from '../../lib/i18n/i18n';
import { Link } from '../../lib/router';
import { parAssessmentUrl } from '../../app/routes';
import { bandColour, changeMark, fieldColumns, fieldPoints, nameIn, rankingOf, topLost } from './results-model';

/**
 * The ranking of one kind of unit: rank of how many, the unit (a link to
 * its assessment for those who may read it), points per field, the total
 * over the maximum, the index, the band, the change since last year and the
 * three criteria where it lost most. Scrolls within itself on a phone.
 */
export function ResultsTable({
  data,
  kind,
  colours,
  linkUnits,
}: {
  data: ParResults;
  kind: ParUnitKind;
  colours: ReadonlyMap<string, string>;
  /** Each unit links to its assessment (signed-in readers). */
  linkUnits: boolean;
}) {
  const { t, lang } = useI18n();
  const ranking = rankingOf(data.results, kind);
  const fields = fieldColumns(data.fields, ranking);
  const kindName = t(`parResults.kind.${kind}`);
  if (ranking.length === 0) return <p className="note">{t('parResults.empty.kind')}</p>;
  const pts = (n: number) => formatNumber(n, lang, 2);
  return (
    <div className="table-scroll par-table-scroll" tabIndex={0} role="region" aria-label={t('parResults.tableLabel', { kind: kindName })}>
      <table className="data-table par-results-table" data-testid="par-results-table" data-kind={kind}>
        <thead>
          <tr>
            <th scope="col" className="num">
              {t('parResults.rank')}
            </th>
            <th scope="col">{t('parResults.unit')}</th>
            <th scope="col" className="num">
              {t('parResults.total')}
            </th>
            <th scope="col" className="num">
              {t('parResults.index')}
            </th>
            <th scope="col">{t('parResults.band')}</th>
            <th scope="col" className="num">
              {t('parResults.change')}
            </th>
            <th scope="col">{t('parResults.lost')}</th>
            {fields.map((f) => (
              <th key={f.code} scope="col" className="num par-field" title={nameIn(f, lang)}>
                <span className="par-field-name">{nameIn(f, lang)}</span>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {ranking.map((r) => (
            <ResultRow key={r.code} r={r} cycle={data.cycle.id} fields={fields.map((f) => f.code)} colours={colours} linkUnits={linkUnits} pts={pts} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function ResultRow({
  r,
  cycle,
  fields,
  colours,
  linkUnits,
  pts,
}: {
  r: ParResult;
  cycle: number;
  fields: string[];
  colours: ReadonlyMap<string, string>;
  linkUnits: boolean;
  pts: (n: number) => string;
}) {
  const { t, lang } = useI18n();
  const name = nameIn(r, lang);
  const lost = topLost(r.lost, lang);
  return (
    <tr data-unit={r.code} data-rank={r.rank} className={r.final ? undefined : 'par-provisional'}>
      <td className="num par-rank">{t('parResults.rankOf', { rank: r.rank, of: r.of })}</td>
      <th scope="row" className="par-unit">
        {linkUnits ? (
          <Link to={parAssessmentUrl(cycle, r.code)} title={t('parResults.openUnit', { name })}>
            {name}
          </Link>
        ) : (
          name
        )}
        {r.final ? null : (
          <span className="badge badge-provisional small" title={t('parResults.provisionalTitle')}>
            {t('parResults.provisional')}
          </span>
        )}
      </th>
      <td className="num">{t('parResults.points', { points: pts(r.total), max: pts(r.max) })}</td>
      <td className="num strong par-index">{formatPercent(r.index, lang)}</td>
      <td>
        <BandChip band={r.band} colours={colours} />
      </td>
      <td className="num">
        <ChangeCell change={r.change} />
      </td>
      <td className="par-lost">
        {lost.length === 0 ? (
          <span className="muted">{t('parResults.lostNone')}</span>
        ) : (
          <ol className="par-lost-list">
            {lost.map((l) => (
              <li key={l.code} data-leaf={l.code}>
                {t('parResults.lostItem', { name: l.label, points: pts(l.lost) })}
              </li>
            ))}
          </ol>
        )}
      </td>
      {fields.map((code) => {
        const f = fieldPoints(r, code);
        return (
          <td key={code} className="num">
            {f ? t('parResults.points', { points: pts(f.points), max: pts(f.max) }) : '—'}
          </td>
        );
      })}
    </tr>
  );
}

/** A band's name on its colour (the map's), or the words for a unit below every band. */
export function BandChip({ band, colours }: { band: ParResult['band']; colours: ReadonlyMap<string, string> }) {
  const { t, lang } = useI18n();
  return (
    <span className="par-band" data-band={band?.code ?? ''}>
      <span className="swatch" style={{ background: bandColour(colours, band) }} aria-hidden="true" />
      {band ? nameIn(band, lang) : t('parResults.noBand')}
    </span>
  );
}

/** ▲ 2,5 / ▼ 1,25 / = with its meaning in words for screen readers; a dash without last year. */
export function ChangeCell({ change }: { change: number | null }) {
  const { t, lang } = useI18n();
  const mark = changeMark(change);
  if (!mark) return <span className="muted" title={t('parResults.noChange')}>—</span>;
  const value = formatNumber(mark.value, lang, 2);
  const words = mark.direction === 'up' ? t('parResults.changeUp', { value }) : mark.direction === 'down' ? t('parResults.changeDown', { value }) : t('parResults.changeSame');
  return (
    <span className={`par-change par-change-${mark.direction}`} title={words} data-change={mark.direction}>
      <span aria-hidden="true">
        {mark.arrow}
        {mark.direction === 'same' ? '' : ` ${value}`}
      </span>
      <span className="visually-hidden">{words}</span>
    </span>
  );
}
