import type { IndicatorDefinition, OverviewItem } from '@watchfloor/core';
import { formatNumber } from '../../lib/i18n/format';
import { useI18n } from '../../lib/i18n/i18n';

/** What the indicator is: unit, frequency, which way is good, thresholds, formula, and the agency that owes it. */
export function DefinitionPanel({ def, item }: { def: IndicatorDefinition; item: OverviewItem }) {
  const { t, lang } = useI18n();
  const th = def.thresholds;
  const n = (v: number) => formatNumber(v, lang);
  const cmp = def.direction === 'lower_is_better' ? '≤' : '≥';
  return (
    <section className="panel definition" aria-labelledby="definition-title">
      <h2 id="definition-title">{t('indicator.definition')}</h2>
      <dl className="facts">
        <dt>{t('indicator.unit')}</dt>
        <dd>{def.unit || '—'}</dd>
        <dt>{t('indicator.frequency')}</dt>
        <dd>{t(`frequency.${def.frequency}`)}</dd>
        <dt>{t('indicator.direction')}</dt>
        <dd>{t(`direction.${def.direction}`)}</dd>
        {th ? (
          <>
            <dt>{t('indicator.thresholds')}</dt>
            <dd>
              {'low' in th ? (
                `${n(th.low)} – ${n(th.high)}`
              ) : (
                <>
                  <span className="status-dot status-green" aria-hidden="true" /> {cmp} {n(th.green)} · <span className="status-dot status-amber" aria-hidden="true" /> {cmp} {n(th.amber)}
                </>
              )}
            </dd>
          </>
        ) : null}
        {def.kind === 'derived' ? (
          <>
            <dt>{t('indicator.formula')}</dt>
            <dd>
              <code>{def.formula}</code>
            </dd>
          </>
        ) : null}
        {item.owner ? (
          <>
            <dt>{t('indicator.owner')}</dt>
            <dd>{item.owner.name ?? item.owner.code}</dd>
          </>
        ) : null}
      </dl>
    </section>
  );
}
