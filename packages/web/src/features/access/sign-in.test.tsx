import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../lib/api';
import { ErrorPanel, accessOf } from '../../lib/error-panel';
import { I18nProvider } from '../../lib/i18n/i18n';
import { translate, type Language } from '../../lib/i18n/translate';
import { safeNext, signInUrl } from '../../lib/sign-in-url';
import { formatWait, newPasswordProblem, oidcStartUrl, SignInForm, signInMessage } from './sign-in-screen';

function render(node: React.ReactNode, lang: Language = 'vi'): string {
  return renderToStaticMarkup(<I18nProvider initial={lang}>{node}</I18nProvider>);
}

const tr = (lang: Language) => (key: Parameters<typeof translate>[1], params?: Record<string, string | number>) => translate(lang, key, params);
const refused = (code: string, status: number, details?: unknown) => new ApiError(code, `${code} from the server`, status, details);
const noop = async () => undefined;

describe('where signing in leads', () => {
  it('keeps a path of this site, with its query', () => {
    expect(safeNext('/desk/cases?status=new')).toBe('/desk/cases?status=new');
    expect(safeNext('/cases/PA-2026-000001')).toBe('/cases/PA-2026-000001');
    expect(safeNext('/p/86/i/PS_ON_TIME_RATE?period=2026-Q3#chart')).toBe('/p/86/i/PS_ON_TIME_RATE?period=2026-Q3#chart');
  });

  it.each([
    '//evil.example',
    '//evil.example/desk/cases',
    '/\\evil.example',
    '\\\\evil.example',
    'https://evil.example/',
    'http:evil.example',
    'javascript:alert(1)',
    '/\t/evil.example',
    'desk/cases',
    '/sign-in?next=/desk/cases',
    '',
    null,
    undefined,
  ])('refuses %j and goes home instead', (next) => {
    expect(safeNext(next)).toBe('/');
  });

  it('builds the sign-in address with the current path, never with another site', () => {
    expect(signInUrl('/desk/cases?status=new')).toBe('/sign-in?next=%2Fdesk%2Fcases%3Fstatus%3Dnew');
    expect(signInUrl('//evil.example')).toBe('/sign-in');
    expect(signInUrl()).toBe('/sign-in');
  });

  it('passes `next` on to OpenID Connect, checked the same way', () => {
    expect(oidcStartUrl('/api/auth/oidc/start', '/desk/alerts')).toBe('/api/auth/oidc/start?next=%2Fdesk%2Falerts');
    expect(oidcStartUrl('/api/auth/oidc/start?x=1', '//evil.example')).toBe('/api/auth/oidc/start?x=1&next=%2F');
  });
});

describe('a refused sign-in', () => {
  it('tells wrong credentials, a disabled account and throttling apart, in Vietnamese and English', () => {
    const vi = tr('vi');
    const en = tr('en');
    expect(signInMessage(refused('invalid_credentials', 401), vi)).toBe(
      'Tên đăng nhập hoặc mật khẩu không đúng. Nếu chắc chắn đã nhập đúng, có thể tài khoản đã bị khóa: hãy liên hệ quản trị viên.',
    );
    expect(signInMessage(refused('invalid_credentials', 401), en)).toMatch(/^Wrong login or password\./);
    expect(signInMessage(refused('account_disabled', 403), vi)).toBe('Tài khoản này đã bị khóa. Hãy liên hệ quản trị viên.');
    expect(signInMessage(refused('account_disabled', 403), en)).toBe('This account is disabled. Contact an administrator.');
    expect(signInMessage(refused('too_many_attempts', 429, { retryAfterSeconds: 840 }), vi)).toBe('Đăng nhập sai quá nhiều lần. Hãy thử lại sau 14 phút.');
    expect(signInMessage(refused('too_many_attempts', 429, { retryAfterSeconds: 45 }), en)).toBe('Too many failed sign-ins. Try again in 45 s.');
    expect(signInMessage(refused('too_many_attempts', 429), en)).toBe('Too many failed sign-ins. Try again in a few minutes.');
    expect(signInMessage(refused('network', 0), vi)).toMatch(/^Không kết nối được/);
    expect(signInMessage(refused('internal_error', 500), en)).toBe('Could not sign in. Try again in a few minutes.');
  });

  it('rounds a wait up to whole minutes past one minute', () => {
    expect(formatWait(61, tr('en'))).toBe('2 min');
    expect(formatWait(60, tr('vi'))).toBe('1 phút');
    expect(formatWait(0.2, tr('en'))).toBe('1 s');
  });

  it('shows the message as an alert tied to the form, the fields labelled and kept for password managers', () => {
    const html = render(<SignInForm providers={{ password: true, oidc: null, demo: false, demoAccounts: null }} next="/desk/cases" onSignIn={noop} initialError={refused('too_many_attempts', 429, { retryAfterSeconds: 300 })} />);
    expect(html).toContain('<h1');
    expect(html).toMatch(/<label class="field"><span>Tên đăng nhập<\/span><input autoComplete="username"[^>]*name="login"/);
    expect(html).toMatch(/<label class="field"><span>Mật khẩu<\/span><input type="password" autoComplete="current-password"[^>]*name="password"/);
    expect(html).toMatch(/role="alert" data-code="too_many_attempts">Đăng nhập sai quá nhiều lần. Hãy thử lại sau 5 phút.</);
    const describedBy = /aria-describedby="([^"]+)"/.exec(html)?.[1];
    expect(describedBy).toBeTruthy();
    expect(html).toContain(`id="${describedBy}"`);
    expect(html).not.toContain('sign-in-oidc');
  });

  it('tells where the demo accounts’ password is, when the server has them, and never a password', () => {
    const providers = { password: true, oidc: null, demo: true, demoAccounts: { file: '/srv/watchfloor/var/demo-accounts.json', logins: ['demo.leader', 'demo.operator'] } };
    const vi = render(<SignInForm providers={providers} next="/" onSignIn={noop} />, 'vi');
    expect(vi).toContain('demo.leader, demo.operator');
    expect(vi).toContain('/srv/watchfloor/var/demo-accounts.json');
    const none = render(<SignInForm providers={{ ...providers, demo: false, demoAccounts: null }} next="/" onSignIn={noop} />, 'en');
    expect(none).not.toContain('sign-in-demo');
  });

  it('tells the anonymous only that this is a demo and where to look, naming no login and no path', () => {
    // What the server answers anyone but an administrator: that demo accounts exist, nothing more.
    const providers = { password: true, oidc: null, demo: true, demoAccounts: null };
    const vi = render(<SignInForm providers={providers} next="/" onSignIn={noop} />, 'vi');
    expect(vi).toContain('data-testid="sign-in-demo"');
    expect(vi).toContain('Đây là bản demo: các tài khoản demo và mật khẩu của chúng nằm trong thư mục dữ liệu của máy chủ.');
    const en = render(<SignInForm providers={providers} next="/" onSignIn={noop} />, 'en');
    expect(en).toContain('This is a demo: the demo accounts and their password are in the data folder of the server.');
    for (const html of [vi, en]) {
      expect(html).not.toMatch(/demo\.(leader|operator)/);
      expect(html).not.toContain('.json');
    }
  });

  it('offers OpenID Connect only when the server says so, carrying next', () => {
    const html = render(<SignInForm providers={{ password: true, oidc: { label: 'VNeID', startUrl: '/api/auth/oidc/start' }, demo: false, demoAccounts: null }} next="/desk/data?source=x" onSignIn={noop} />, 'en');
    expect(html).toContain('href="/api/auth/oidc/start?next=%2Fdesk%2Fdata%3Fsource%3Dx"');
    expect(html).toContain('Sign in with OpenID Connect: VNeID');
    expect(html).not.toContain('role="alert"');
  });

  it('checks a new password before sending it', () => {
    expect(newPasswordProblem('short', 'short', tr('en'))).toBe('The new password must have at least 12 characters.');
    expect(newPasswordProblem('a long enough password', 'a long enough passw0rd', tr('vi'))).toBe('Hai lần nhập mật khẩu mới không khớp.');
    expect(newPasswordProblem('a long enough password', 'a long enough password', tr('vi'))).toBeNull();
  });
});

describe('the error panel on a refusal', () => {
  it('asks to sign in on 401, with a link back to where the reader was', () => {
    expect(accessOf({ code: 'authentication_required', status: 401 })).toBe('signIn');
    expect(accessOf({ code: 'invalid_session' })).toBe('signIn');
    expect(accessOf({ code: 'forbidden', status: 403 })).toBe('forbidden');
    expect(accessOf({ code: 'csrf_failed', status: 403 })).toBeNull();
    expect(accessOf({ code: 'unknown_case', status: 404 })).toBeNull();
    // Rendered outside a browser the location is "/": the link then needs no next.
    const vi = render(<ErrorPanel error={refused('authentication_required', 401)} />);
    expect(vi).toContain('Cần đăng nhập để xem nội dung này.');
    expect(vi).toMatch(/<a class="button primary" data-testid="error-sign-in" href="\/sign-in">Đăng nhập<\/a>/);
    const en = render(<ErrorPanel error={refused('invalid_session', 401)} />, 'en');
    expect(en).toContain('Your session has ended. Sign in again.');
    expect(en).toContain('>Sign in</a>');
  });

  it('says the right is missing on 403, with a way back and no sign-in link', () => {
    const en = render(<ErrorPanel error={refused('forbidden', 403)} backTo="/desk/cases" />, 'en');
    expect(en).toContain('You do not have the right to see this.');
    expect(en).toContain('Back to the previous page');
    expect(en).toContain('href="/desk/cases"');
    expect(en).not.toContain('error-sign-in');
    expect(render(<ErrorPanel error={refused('forbidden', 403)} />)).toContain('Bạn không có quyền xem nội dung này.');
  });
});
