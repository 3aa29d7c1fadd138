import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { OwnMessage } from '@watchfloor/core';
import { I18nProvider } from '../../lib/i18n/i18n';
import { OwnMessagesList } from './own-messages';

const base = { topic: 'due_soon', severity: 'warning', attempts: 1, lastError: null, sentAt: null, nextAttemptAt: null } as const;
const MESSAGES: OwnMessage[] = [
  { ...base, id: 3, channel: 'email', address: 'cb.stc@vinhlong.test', subject: '[Quá hạn] Nhiệm vụ 1 – 71/TB-UBND', status: 'sent', createdAt: '2026-11-28T17:00:00.000Z', sentAt: '2026-11-28T17:00:00.000Z' },
  { ...base, id: 2, channel: 'email', address: 'cb.stc@vinhlong.test', subject: '[Cảnh báo] Cảnh báo #4', status: 'held', attempts: 0, createdAt: '2026-11-28T16:00:00.000Z', nextAttemptAt: '2026-11-28T23:00:00.000Z' },
  { ...base, id: 1, channel: 'gateway', address: '999', subject: '[Cảnh báo] Cảnh báo #2', status: 'failed', attempts: 5, createdAt: '2026-11-28T03:00:00.000Z', lastError: 'HTTP 500' },
];

const render = (messages: OwnMessage[], lang: 'vi' | 'en' = 'vi') =>
  renderToStaticMarkup(
    <I18nProvider initial={lang}>
      <OwnMessagesList messages={messages} />
    </I18nProvider>,
  );

describe('one’s own messages', () => {
  it('lists each message with its channel, address and delivery state in Vietnam time, in Vietnamese', () => {
    const html = render(MESSAGES);
    expect(html).toContain('Thông báo đã gửi cho bạn');
    expect(html.indexOf('[Quá hạn] Nhiệm vụ 1')).toBeLessThan(html.indexOf('Cảnh báo #4'));
    // 17:00Z is midnight of 29/11 in Vietnam; quiet hours end at 06:00 on 29/11 (23:00Z).
    expect(html).toContain('Đã gửi</span> · Thư điện tử → cb.stc@vinhlong.test · gửi lúc 00:00 29/11/26');
    expect(html).toContain('Tạm giữ (giờ yên lặng)</span> · Thư điện tử → cb.stc@vinhlong.test · sẽ gửi lúc 06:00 29/11/26');
    expect(html).toContain('Gửi không được');
    expect(html).toContain('Zalo / SMS → 999');
    expect(html).toContain('Lỗi: HTTP 500');
  });

  it('says when none was sent, in English too', () => {
    expect(render([], 'en')).toContain('No notification has been sent to you yet.');
    expect(render(MESSAGES, 'en')).toContain('Could not be sent');
  });
});
