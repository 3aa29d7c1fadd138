import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { MessagePreferencesAnswer } from '@watchfloor/core';
import { I18nProvider } from '../../lib/i18n/i18n';
import { MessagePreferencesForm } from './preferences-screen';

const OPERATOR: MessagePreferencesAnswer = {
  preferences: { channels: ['email', 'gateway'], email: 'op@vinhlong.test', phone: null, zaloId: '1234567890', minSeverity: 'warning', quietHours: { from: '22:00', to: '06:00' } },
  defaults: false,
  receivesAlerts: true,
};

function render(answer: MessagePreferencesAnswer, lang: 'vi' | 'en' = 'vi'): string {
  return renderToStaticMarkup(
    <I18nProvider initial={lang}>
      <MessagePreferencesForm answer={answer} onSave={() => Promise.resolve(answer)} />
    </I18nProvider>,
  );
}

describe('one’s own notification preferences', () => {
  it('shows the channels, addresses, least severity and quiet hours chosen, in Vietnamese', () => {
    const html = render(OPERATOR);
    expect(html).toContain('Nhận thông báo cảnh báo');
    expect(html).toMatch(/name="channel-email" checked=""/);
    expect(html).toMatch(/name="channel-gateway" checked=""/);
    expect(html).toContain('value="op@vinhlong.test"');
    expect(html).toContain('value="1234567890"');
    expect(html).toMatch(/<option value="warning" selected="">Cảnh báo<\/option>/);
    expect(html).toContain('value="22:00"');
    expect(html).toContain('value="06:00"');
    expect(html).toContain('tin khẩn cấp vẫn được gửi ngay');
    expect(html).not.toContain('mặc định của vai trò');
  });

  it('says when the role’s defaults apply and when the roles receive no alerts, in English too', () => {
    const html = render({ preferences: { channels: ['email'], email: null, phone: null, zaloId: null, minSeverity: 'critical', quietHours: null }, defaults: true, receivesAlerts: false }, 'en');
    expect(html).toContain('Alert notifications');
    expect(html).toContain('your role’s defaults apply');
    expect(html).toContain('Your roles do not receive alerts');
    expect(html).toMatch(/<option value="critical" selected="">Critical<\/option>/);
    expect(html).toMatch(/name="channel-gateway"(?! checked)/);
  });
});
