import { useSyncExternalStore } from 'react';
import { identityApi, type AuthProviders, type Grant, type Me, type User } from '@watchfloor/core';
import { ApiError, clearAnswers, setSessionCredentials } from './api';
import { call } from './client';

/**
 * Who is using the app: read once from GET /api/auth/me when the page
 * loads, then changed by signing in, out or changing the password. The
 * session cookie is httpOnly; what the page keeps is the user and the
 * session's CSRF token, which lib/api.ts sends on every state change.
 */
export interface SessionUser {
  login: string;
  displayName: string;
  roles: Grant[];
  mustChangePassword: boolean;
}

export type SessionState = { status: 'loading' } | { status: 'anonymous' } | { status: 'user'; user: SessionUser };

/** How one may sign in: the password form always; OpenID Connect when the server is configured for it. */
export type Providers = AuthProviders;

let state: SessionState = { status: 'loading' };
let csrf: string | null = null;
let loading: Promise<SessionState> | null = null;
const listeners = new Set<() => void>();

function set(next: SessionState, token: string | null): void {
  state = next;
  csrf = token;
  setSessionCredentials(token, ended);
  for (const l of listeners) l();
}

/** The server said the session is over (expired, signed out elsewhere, disabled): the page is anonymous from now on. */
function ended(): void {
  if (state.status === 'user') set({ status: 'anonymous' }, null);
}

function fromMe(me: Me): SessionState {
  return me.kind === 'user' && me.user ? { status: 'user', user: me.user } : { status: 'anonymous' };
}

function fromUser(u: Pick<User, 'login' | 'displayName' | 'roles' | 'mustChangePassword'>): SessionState {
  return { status: 'user', user: { login: u.login, displayName: u.displayName, roles: u.roles, mustChangePassword: u.mustChangePassword } };
}

/** Reads who is signed in, once per page; an ended session (401) or an unreachable server leaves the page anonymous. */
export function loadSession(): Promise<SessionState> {
  loading ??= call(identityApi.me, {}).then(
    // A sign-in or sign-out while this was on its way wins.
    (me) => {
      if (state.status === 'loading') set(fromMe(me), me.kind === 'user' ? me.csrfToken : null);
      return state;
    },
    () => {
      if (state.status === 'loading') set({ status: 'anonymous' }, null);
      return state;
    },
  );
  return loading;
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  void loadSession();
  return () => listeners.delete(listener);
}

/** The session, loading it on first use; screens re-render when it changes. */
export function useSession(): SessionState {
  return useSyncExternalStore(
    subscribe,
    () => state,
    () => state,
  );
}

/** Signs in with a login and password; refused with `invalid_credentials`, `too_many_attempts` (details.retryAfterSeconds) … */
export async function signIn(login: string, password: string): Promise<SessionUser> {
  const answer = await call(identityApi.signIn, { body: { login, password } });
  clearAnswers();
  const next = fromUser(answer.user);
  set(next, answer.csrfToken);
  loading = Promise.resolve(next);
  return answer.user;
}

/** Signs out: the session ends on the server and the page is anonymous, even when the server cannot be reached. */
export async function signOut(): Promise<void> {
  try {
    await call(identityApi.signOut, {});
  } finally {
    clearAnswers();
    set({ status: 'anonymous' }, null);
    loading = Promise.resolve(state);
  }
}

/** Changes one's own password (required after a reset); the session goes on, the others end. */
export async function changePassword(currentPassword: string, newPassword: string): Promise<void> {
  const user = await call(identityApi.changePassword, { body: { currentPassword, newPassword } });
  set(fromUser(user), csrf);
}

/** The server's sign-in methods; a server without the route (404) offers the password only. */
export async function loadProviders(): Promise<Providers> {
  try {
    return await call(identityApi.providers, {});
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return { password: true, oidc: null, demo: false, demoAccounts: null };
    throw err;
  }
}
