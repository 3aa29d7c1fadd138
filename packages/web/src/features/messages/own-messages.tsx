import { messagesApi, type OwnMessage } from '@watchfloor/core';
import { fresh } from '../../lib/client';
import { ErrorPanel } from '../../lib/error-panel';
import { formatInstant } from '../../lib/i18n/format';
import { useI18n } from '../../lib/i18n/i18n';
import { Loading } from '../../lib/loading';
import { useRequest } from '../../lib/use-request';

/** One's own latest messages, as sent or still waiting: fetched, then listed. */
export function OwnMessagesSection() {
  const state = useRequest(fresh(messagesApi.ownMessages));
  if (state.error) return <ErrorPanel error={state.error} onRetry={state.retry} />;
  if (!state.data) return <Loading />;
  return <OwnMessagesList messages={state.data.messages} />;
}

/**
 * The messages one was sent, the latest first: what each said, by which
 * channel to which address, and where its delivery stands (sent when,
 * held until quiet hours end, to be tried again, or failed with why).
 * A list rather than a table, so it reads on a phone.
 */
export function OwnMessagesList({ messages }: { messages: readonly OwnMessage[] }) {
  const { t, lang } = useI18n();
  const when = (m: OwnMessage): string => {
    if (m.status === 'sent' && m.sentAt) return t('ownMsgs.sentAt', { at: formatInstant(m.sentAt, lang) });
    if (m.status === 'held' && m.nextAttemptAt) return t('ownMsgs.heldUntil', { at: formatInstant(m.nextAttemptAt, lang) });
    if (m.status === 'queued' && m.attempts > 0 && m.nextAttemptAt) return t('ownMsgs.retryAt', { at: formatInstant(m.nextAttemptAt, lang) });
    return formatInstant(m.createdAt, lang);
  };
  return (
    <section aria-labelledby="own-messages-title" data-testid="own-messages">
      <h2 id="own-messages-title">{t('ownMsgs.title')}</h2>
      {messages.length === 0 ? (
        <p className="muted">{t('ownMsgs.none')}</p>
      ) : (
        <ul className="own-messages" style={{ listStyle: 'none', padding: 0, display: 'grid', gap: '0.5rem' }}>
          {messages.map((m) => (
            <li key={m.id} data-status={m.status} style={{ overflowWrap: 'anywhere' }}>
              <strong>{m.subject}</strong>
              <div className="small">
                <span className={`badge status-${m.status}`}>{t(`ownMsgs.status.${m.status}`)}</span> · {t(`msgPrefs.channel.${m.channel}`)} → {m.address} · {when(m)}
              </div>
              {m.status === 'failed' && m.lastError ? <div className="small muted">{t('ownMsgs.error', { error: m.lastError })}</div> : null}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
