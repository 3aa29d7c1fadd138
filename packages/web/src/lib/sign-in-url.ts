/**
 * Where a `next` parameter may send the reader after signing in: a path of
 * this site only (`/desk/cases?status=new`), never another origin
 * (`//evil.example`, `https://…`, `/\\evil.example`) nor the sign-in screen itself.
 */
export function safeNext(next: string | null | undefined): string {
  // Browsers read a backslash as a slash and drop tabs and newlines: `/\\evil.example` and `/\t/evil.example` are other sites.
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.includes('\\') || [...next].some((ch) => ch.charCodeAt(0) < 0x20)) return '/';
  let url: URL;
  try {
    url = new URL(next, 'http://watchfloor.invalid');
  } catch {
    return '/';
  }
  if (url.origin !== 'http://watchfloor.invalid' || url.pathname === '/sign-in' || url.pathname === '/sign-in/') return '/';
  return `${url.pathname}${url.search}${url.hash}`;
}

/** The sign-in screen, coming back to `next` (the current path) afterwards. */
export function signInUrl(next?: string): string {
  const back = next === undefined ? '/' : safeNext(next);
  return back === '/' ? '/sign-in' : `/sign-in?next=${encodeURIComponent(back)}`;
}
