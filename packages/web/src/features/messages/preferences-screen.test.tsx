import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { MessagePreferencesAnswer, RolePreferencesAnswer } from '@watchfloor/core';
import { I18nProvider } from '../../lib/i18n/i18n';
import { MessagePreferencesForm } from './preferences-screen';
import { RoleDefaultsForm } from './role-defaults';

const OPERATOR: MessagePreferencesAnswer = {
  preferences: { channels: ['email', 'gateway'], email: 'op@vinhlong.test', phone: null, zaloId: '1234567890', minSeverity: 'warning', topics: ['alert', 'due_soon'], quietHours: { from: '22:00', to: '06:00' }, language: 'vi', followRole: false },
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
    expect(html).toContain('Nhận thông báo');
    // The topics chosen, the others not.
    expect(html).toMatch(/name="topic-alert" checked=""/);
    expect(html).toMatch(/name="topic-due_soon" checked=""/);
    expect(html).toMatch(/name="topic-late_source"(?! checked)/);
    expect(html).toContain('Nguồn dữ liệu chậm gửi');
    expect(html).toMatch(/<option value="vi" selected="">Tiếng Việt<\/option>/);
    expect(html).toMatch(/name="channel-email" checked=""/);
    expect(html).toMatch(/name="channel-gateway" checked=""/);
    expect(html).toContain('value="op@vinhlong.test"');
    expect(html).toContain('value="1234567890"');
    expect(html).toMatch(/<option value="warning" selected="">Cảnh báo<\/option>/);
    expect(html).toContain('value="22:00"');
    expect(html).toContain('value="06:00"');
    expect(html).toContain('tin khẩn cấp vẫn được gửi ngay');
    expect(html).not.toContain('đang dùng mặc định của vai trò');
  });

  it('says when the role’s defaults apply and when the roles receive no alerts, in English too', () => {
    const html = render({ preferences: { channels: ['email'], email: null, phone: null, zaloId: null, minSeverity: 'critical', topics: ['report_published'], quietHours: null, language: 'en', followRole: true }, defaults: true, receivesAlerts: false }, 'en');
    expect(html).toContain('Notifications');
    // Following the role: its choices stand greyed out; the addresses stay one's own.
    expect(html).toMatch(/name="followRole" checked=""/);
    expect(html).toMatch(/<fieldset disabled=""/);
    expect(html).toMatch(/name="topic-report_published" checked=""/);
    expect(html).toMatch(/<option value="en" selected="">English<\/option>/);
    expect(html).toContain('your role’s defaults apply');
    expect(html).toContain('Your roles do not receive alerts');
    expect(html).toMatch(/<option value="critical" selected="">Critical<\/option>/);
    expect(html).toMatch(/name="channel-gateway"(?! checked)/);
  });
});

describe('an administrator’s defaults by role', () => {
  const answer: RolePreferencesAnswer = { role: 'agency_officer', stored: false, updatedAt: null, preferences: { channels: ['email'], minSeverity: 'critical', topics: ['case_assigned', 'due_soon', 'late_source'], quietHours: null } };
  const renderRole = (lang: 'vi' | 'en') =>
    renderToStaticMarkup(
      <I18nProvider initial={lang}>
        <RoleDefaultsForm role="agency_officer" onRole={() => undefined} answer={answer} onSave={() => Promise.resolve(answer)} />
      </I18nProvider>,
    );
  it('shows the role chosen with its topics and says when the built-in defaults hold, in Vietnamese and English', () => {
    const vi = renderRole('vi');
    expect(vi).toContain('Mặc định theo vai trò');
    expect(vi).toMatch(/<option value="agency_officer" selected="">Cán bộ cơ quan<\/option>/);
    expect(vi).toMatch(/name="role-topic-case_assigned" checked=""/);
    expect(vi).toMatch(/name="role-topic-alert"(?! checked)/);
    expect(vi).toContain('đang dùng mặc định sẵn có');
    expect(renderRole('en')).toContain('Defaults by role');
  });
});
