import type { OverviewResponse } from '@watchfloor/core';
import { useI18n } from '../../lib/i18n/i18n';
import { isMessageKey } from '../../lib/i18n/translate';
import { IndicatorTile } from './indicator-tile';
import { groupByDomain } from './tile-model';

/** The overview's indicator tiles, one section per domain. */
export function IndicatorTiles({ overview, hrefOf }: { overview: OverviewResponse; hrefOf: (indicator: string) => string }) {
  const { t } = useI18n();
  const { groups, notApplicable, notCollectedHere } = groupByDomain(overview.indicators);
  const now = new Date();
  return (
    <div className="domains">
      {groups.length === 0 ? <p className="muted">{t('tile.none')}</p> : null}
      {groups.map((g) => {
        const key = `domain.${g.domain}`;
        return (
          <section key={g.domain} className="domain" aria-labelledby={`domain-${g.domain}`}>
            <h2 id={`domain-${g.domain}`} className="domain-title">
              {isMessageKey(key) ? t(key) : g.domain}
            </h2>
            <ul className="tiles">
              {g.items.map((item) => (
                <li key={item.code}>
                  <IndicatorTile item={item} href={hrefOf(item.code)} now={now} period={overview.period.key} place={overview.place.code} names={overview.indicators} />
                </li>
              ))}
            </ul>
          </section>
        );
      })}
      {notApplicable > 0 ? <p className="muted not-applicable">{t('tile.notApplicable', { n: notApplicable })}</p> : null}
      {notCollectedHere > 0 ? <p className="muted not-applicable">{t('tile.notCollectedHere', { n: notCollectedHere })}</p> : null}
    </div>
  );
}
