import type { OverviewItem } from '@watchfloor/core';
import { labelOf } from '../period/period-label';
import { formatAgo, formatGrowth, formatPercent, formatValue, formatValueParts } from '../../lib/i18n/format';
import { useI18n } from '../../lib/i18n/i18n';
import { Link } from '../../lib/router';
import { CoverageMark, isIncomplete } from './coverage-mark';
import { ProvisionalMark } from './provisional-mark';
import { FormerUnits, formerValues, isNotDefined, isWeightedEstimate, weightedText, type IndicatorNames } from './regrouping-mark';
import { Sparkline } from './sparkline';
import { growthTone, statusClass } from './tile-model';

/**
 * One indicator on the overview: value and unit, status colour (grey for no
 * data), a late mark with its reason, plan and year-to-date against plan,
 * the same period last year, a sparkline and who sent it when. A figure
 * built from too few of the units below says so ("Chưa đủ: 3/124 xã") and
 * is neither coloured nor compared (the server answers no status, growth or
 * percent of plan for it); so does its year to date, on its own line, and a
 * provisional (sơ bộ) one is marked as the figure is. A score not defined
 * for the unit in the period (the unit did not exist then, and the score
 * does not regroup) says so, with each former unit's own value, and is
 * never "no data" nor late; a weighted mean of the former units after a
 * merger is marked as an estimate, with its weight and how many units.
 * `place` is the code of the unit viewed (to tell the old unit of the same
 * code apart), `names` the overview's indicators (to name a weight).
 */
export function IndicatorTile({ item, href, now, period, place, names }: { item: OverviewItem; href: string; now: Date; period: string; place?: string; names?: IndicatorNames }) {
  const { t, lang } = useI18n();
  const format = (v: number) => formatValue(v, item.unit, lang);
  const notDefined = isNotDefined(item);
  const weighted = isWeightedEstimate(item) ? weightedText(item.regrouping, names, place, format, t, lang) : null;
  const name = item.names[lang];
  const status = statusClass(item.status.colour);
  const tone = growthTone(item.samePeriodLastYear?.growth ?? null, item.direction);
  const titleId = `tile-${item.code}`;
  // Who answers for the figure: the accountable agency, else the source that delivered it.
  const by = item.freshness.organisation?.name ?? item.freshness.source?.name ?? null;
  // Before its series starts a figure is not missing, nor owed: it was not collected yet.
  const notYet = item.status.reason === 'not_collected_yet' && !notDefined;
  const ytd = item.ytd;
  // A year to date from too few of the units below is shown with its coverage, never against the year plan or its pace.
  const ytdIncomplete = ytd !== null && isIncomplete(ytd);
  const expected = ytdIncomplete ? null : (ytd?.expected ?? null);
  return (
    <article className={`tile status-${status}${isIncomplete(item) ? ' incomplete' : ''}${notDefined ? ' not-defined' : ''}`} aria-labelledby={titleId} data-testid={`tile-${item.code}`}>
      <header className="tile-head">
        <span className={`status-dot status-${status}`} role="img" aria-label={`${t('tile.status')}: ${item.status.text[lang]}`} title={item.status.text[lang]} />
        <h3 id={titleId} className="tile-name">
          <Link to={href} className="stretched" title={t('tile.open', { name })}>
            {name}
          </Link>
        </h3>
      </header>
      <div className="tile-main">
        {notDefined ? (
          <p className="tile-value not-defined" data-mark="not-defined">
            {t('regroup.notDefined')}
          </p>
        ) : (
          <p className={`tile-value${item.value === null ? ' no-data' : ''}`}>
            {item.value === null ? t(notYet ? 'tile.notCollectedYet' : 'tile.noData') : <ValueWithUnit value={item.value} unit={item.unit} />}
          </p>
        )}
        <Sparkline values={item.trend.map((p) => p.value)} label={t('tile.trend', { n: item.trend.length })} />
      </div>
      {notDefined ? (
        <p className="tile-former">
          <FormerUnits units={formerValues(item.regrouping, place, format, t, lang)} lead />
        </p>
      ) : null}
      {weighted ? (
        <p className="tile-estimate" title={weighted.title} data-mark="weighted-estimate">
          <span className="badge badge-estimated">{t('tile.estimated')}</span> {weighted.short}
        </p>
      ) : null}
      <dl className="tile-facts">
        {item.target !== null ? (
          <div>
            <dt>{t('tile.plan')}</dt>
            <dd>
              {formatValue(item.target, item.unit, lang)}
              {item.percentOfPlan !== null ? <span className="muted"> · {t('tile.ofPlan', { percent: formatPercent(item.percentOfPlan, lang) })}</span> : null}
            </dd>
          </div>
        ) : null}
        {ytd && ytd.value !== null && ytd.period !== period ? (
          <div>
            <dt>{labelOf(ytd.period, lang)}</dt>
            <dd>
              {formatValue(ytd.value, item.unit, lang)}
              {ytd.percentOfYearPlan !== null && !ytdIncomplete ? <span className="muted"> · {t('tile.ofYearPlan', { percent: formatPercent(ytd.percentOfYearPlan, lang) })}</span> : null}
              {expected ? (
                <span className="muted">
                  ; {t(expected.basis === 'seasonal' ? 'tile.expectedSeasonal' : 'tile.expected', { percent: formatPercent(expected.percent, lang), months: expected.months })}
                </span>
              ) : null}
              <CoverageMark figure={ytd} small mark="ytd-incomplete" />
              <ProvisionalMark figure={ytd} small mark="ytd-provisional" />
            </dd>
          </div>
        ) : null}
        {item.samePeriodLastYear?.growth != null ? (
          <div>
            <dt className="visually-hidden">{t('tile.vsLastYear')}</dt>
            <dd className={`growth tone-${tone}`}>
              <span aria-hidden="true">{item.samePeriodLastYear.growth > 0 ? '▲' : item.samePeriodLastYear.growth < 0 ? '▼' : '●'} </span>
              {formatGrowth(item.samePeriodLastYear.growth, lang)} <span className="muted">{t('tile.vsLastYear')}</span>
            </dd>
          </div>
        ) : null}
      </dl>
      {item.status.stale && item.status.staleness && !notDefined ? (
        <p className="tile-stale">
          <span className="badge badge-late">{t('tile.stale')}</span> {item.status.staleness.text[lang]}
        </p>
      ) : null}
      <footer className="tile-foot">
        <span className="freshness">
          {notDefined
            ? t('regroup.why')
            : notYet && !item.updatedAt
            ? item.status.text[lang]
            : item.updatedAt
            ? by
              ? t('tile.updatedBy', { ago: formatAgo(item.updatedAt, now, lang), by })
              : t('tile.updated', { ago: formatAgo(item.updatedAt, now, lang) })
            : t('tile.neverUpdated')}
          {item.owner?.name && !notYet && !notDefined && !(item.updatedAt && by) ? <> · {item.owner.name}</> : null}
        </span>
        <span className="marks">
          <CoverageMark figure={item} />
          <ProvisionalMark figure={item} />
          {item.estimated && !weighted ? (
            <span className="badge" title={t('tile.estimatedTitle')}>
              {t('tile.estimated')}
            </span>
          ) : null}
          {item.regrouped ? (
            <span className="badge badge-regrouped" title={t('tile.regroupedTitle')}>
              {t('tile.regrouped')}
            </span>
          ) : null}
        </span>
      </footer>
    </article>
  );
}

function ValueWithUnit({ value, unit }: { value: number; unit: string }) {
  const { lang } = useI18n();
  const parts = formatValueParts(value, unit, lang);
  return (
    <>
      {parts.number}
      {parts.unit ? <span className="unit">{parts.unit}</span> : null}
    </>
  );
}
