import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  AppError,
  ALERT_RECEIVING_ROLES,
  messagesApi,
  type AlertSeverity,
  type Identity,
  type MessageChannel,
  type MessagePreferences,
  type MessagePreferencesAnswer,
  type MessageStatus,
  type MessageTopic,
  type Role,
} from '@watchfloor/core';
import { IdentityRepository, MessagesRepository } from '@watchfloor/db';
import type { AppContext } from '../../context';
import { serve } from '../../http/serve';
import { AuditLog, auditWho } from '../audit/service';
import { preferencesOf } from './sender';

/** The person a request is from: a signed-in user, or a token made for one; anyone else has no preferences. */
async function personOf(ctx: AppContext, identity: Identity): Promise<{ id: number; roles: Role[] }> {
  const login = identity.kind === 'user' ? identity.login : identity.kind === 'token' ? identity.login : null;
  const [user] = login ? await new IdentityRepository(ctx.store.db).users({ login }) : [];
  if (!user) throw new AppError('forbidden', 'Message preferences belong to a person: sign in as a user');
  return { id: user.id, roles: user.roles.map((g) => g.role as Role) };
}

const answerOf = (preferences: MessagePreferences, defaults: boolean, roles: readonly Role[]): MessagePreferencesAnswer => ({
  preferences,
  defaults,
  receivesAlerts: roles.some((r) => ALERT_RECEIVING_ROLES.includes(r)),
});

/** One's own messages with their delivery state; one's own message preferences: read them (or one's roles' defaults), set them, each change in the audit log. */
export function messageRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  const audit = new AuditLog(ctx);
  return async (app) => {
    serve(app, messagesApi.preferences, async (req) => {
      const person = await personOf(ctx, req.identity);
      const stored = await new MessagesRepository(ctx.store.db).preference(person.id);
      return answerOf(preferencesOf(stored, person.roles), stored === undefined, person.roles);
    });

    serve(app, messagesApi.ownMessages, async (req) => {
      const person = await personOf(ctx, req.identity);
      const rows = await new MessagesRepository(ctx.store.db).ofUser(person.id, 100);
      return {
        messages: rows.map((m) => ({
          id: m.id,
          channel: m.channel as MessageChannel,
          address: m.address,
          topic: m.topic as MessageTopic,
          severity: m.severity as AlertSeverity,
          subject: m.subject,
          status: m.status as MessageStatus,
          attempts: m.attempts,
          createdAt: m.created_at,
          sentAt: m.sent_at,
          nextAttemptAt: m.next_attempt_at,
          lastError: m.last_error,
        })),
      };
    });

    serve(app, messagesApi.setPreferences, async (req) => {
      const person = await personOf(ctx, req.identity);
      const p = req.body;
      if (p.channels.includes('email') && !p.email) throw new AppError('invalid_body', 'Messages by e-mail need an e-mail address', { field: 'email' });
      if (p.channels.includes('gateway') && !p.phone && !p.zaloId) throw new AppError('invalid_body', 'Messages by SMS or Zalo need a phone number or a Zalo id', { field: 'phone' });
      const repo = new MessagesRepository(ctx.store.db);
      const before = await repo.preference(person.id);
      const channels = [...new Set(p.channels)];
      await repo.setPreference(
        { userId: person.id, channels, email: p.email, phone: p.phone, zaloId: p.zaloId, minSeverity: p.minSeverity, quietFrom: p.quietHours?.from ?? null, quietTo: p.quietHours?.to ?? null },
        ctx.clock.now().toISOString(),
      );
      const preferences = { ...p, channels };
      await audit.record(auditWho(req), { action: 'message_preference.set', entityKind: 'message_preference', entityKey: String(person.id), before: before ? preferencesOf(before, person.roles) : null, after: preferences });
      return answerOf(preferences, false, person.roles);
    });
  };
}
