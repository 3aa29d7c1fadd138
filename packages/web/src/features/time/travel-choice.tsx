import { formatDate } from '../../lib/i18n/format';
import { useI18n } from '../../lib/i18n/i18n';
import { Link } from '../../lib/router';
import type { TravelChoice } from './use-time-travel';

/**
 * The units to choose among when the unit on screen did not exist on the
 * date chosen and its area went to several (Thành phố Trà Vinh today → its
 * four wards): the reader picks one, or stays on the date viewed.
 */
export function TravelChoicePanel({ choice, onDismiss }: { choice: TravelChoice; onDismiss: () => void }) {
  const { t, lang } = useI18n();
  const date = formatDate(choice.at, lang);
  return (
    <section className="panel travel-choice" role="dialog" aria-labelledby="travel-choice-title" data-testid="travel-choice">
      <h2 id="travel-choice-title">{t('time.choice.title', { name: choice.place.name, date })}</h2>
      {choice.abolished ? (
        <p>{t(choice.abolished.level === 'district' ? 'lineage.abolished.district' : 'lineage.abolished.level', { date: formatDate(choice.abolished.effectiveDate, lang) })}.</p>
      ) : null}
      <p>{t('time.choice.pick', { n: choice.options.length })}</p>
      <ul className="travel-options">
        {choice.options.map((o) => (
          <li key={o.place.code}>
            <Link to={o.href} className="button">
              {o.place.name}
            </Link>
            {o.from.length > 0 ? <span className="muted small"> {t('lineage.abolished.from', { names: o.from.map((f) => f.name).join(', ') })}</span> : null}
          </li>
        ))}
      </ul>
      <button type="button" className="button small" onClick={onDismiss}>
        {t('time.choice.stay')}
      </button>
    </section>
  );
}
