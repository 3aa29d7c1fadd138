import { ALERT_SEVERITIES, MESSAGE_CHANNELS, MESSAGE_TOPICS, type MessageChannel, type MessageTopic, type RolePreferences } from '@watchfloor/core';
import { useI18n } from '../../lib/i18n/i18n';

const toggled = <T,>(list: readonly T[], item: T, on: boolean, order: readonly T[]): T[] => order.filter((x) => (x === item ? on : list.includes(x)));

/**
 * What is chosen of messages, for one person or for a role's defaults:
 * channels, the least severity of alerts, topics told, quiet hours. The
 * same fields serve one's own preferences and an administrator's role
 * defaults; `name` prefixes the inputs' names so both can stand on a page.
 */
export function MessageChoices({ value, onChange, disabled = false, name = '' }: { value: RolePreferences; onChange: (v: RolePreferences) => void; disabled?: boolean; name?: string }) {
  const { t } = useI18n();
  return (
    <fieldset disabled={disabled} style={{ display: 'grid', gap: '0.75rem', border: 0, padding: 0, margin: 0, minWidth: 0 }}>
      <fieldset>
        <legend>{t('msgPrefs.channels')}</legend>
        {MESSAGE_CHANNELS.map((c: MessageChannel) => (
          <label key={c} style={{ display: 'block' }}>
            <input type="checkbox" name={`${name}channel-${c}`} checked={value.channels.includes(c)} onChange={(e) => onChange({ ...value, channels: toggled(value.channels, c, e.target.checked, MESSAGE_CHANNELS) })} /> {t(`msgPrefs.channel.${c}`)}
          </label>
        ))}
      </fieldset>
      <fieldset>
        <legend>{t('msgPrefs.topics')}</legend>
        {MESSAGE_TOPICS.map((topic: MessageTopic) => (
          <label key={topic} style={{ display: 'block' }}>
            <input type="checkbox" name={`${name}topic-${topic}`} checked={value.topics.includes(topic)} onChange={(e) => onChange({ ...value, topics: toggled(value.topics, topic, e.target.checked, MESSAGE_TOPICS) })} /> {t(`msgPrefs.topic.${topic}`)}
          </label>
        ))}
      </fieldset>
      <label className="field">
        <span>{t('msgPrefs.minSeverity')}</span>
        <select name={`${name}minSeverity`} value={value.minSeverity} onChange={(e) => onChange({ ...value, minSeverity: e.target.value as RolePreferences['minSeverity'] })}>
          {ALERT_SEVERITIES.map((s) => (
            <option key={s} value={s}>
              {t(`msgPrefs.severity.${s}`)}
            </option>
          ))}
        </select>
      </label>
      <fieldset>
        <legend>{t('msgPrefs.quiet')}</legend>
        <p className="muted small">{t('msgPrefs.quietHint')}</p>
        <label className="field">
          <span>{t('msgPrefs.quietFrom')}</span>
          <input type="time" name={`${name}quietFrom`} value={value.quietHours?.from ?? ''} onChange={(e) => onChange({ ...value, quietHours: e.target.value ? { from: e.target.value, to: value.quietHours?.to ?? '06:00' } : null })} />
        </label>
        <label className="field">
          <span>{t('msgPrefs.quietTo')}</span>
          <input type="time" name={`${name}quietTo`} value={value.quietHours?.to ?? ''} onChange={(e) => onChange({ ...value, quietHours: e.target.value ? { from: value.quietHours?.from ?? '22:00', to: e.target.value } : null })} />
        </label>
      </fieldset>
    </fieldset>
  );
}
