import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  AppError,
  ALERT_RECEIVING_ROLES,
  effectivePreferences,
  messagesApi,
  type AlertSeverity,
  type Identity,
  type MessageChannel,
  type MessagePreferences,
  type MessagePreferencesAnswer,
  type MessageStatus,
  type MessageTopic,
  type Role,
  type RolePreferences,
  type RolePreferencesAnswer,
} from '@watchfloor/core';
import { IdentityRepository, MessagesRepository } from '@watchfloor/db';
import type { AppContext } from '../../context';
import { serve } from '../../http/serve';
import { AuditLog, auditWho } from '../audit/service';
import { preferencesOf, roleDefaultsOf } from './sender';

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

/** A channel chosen needs its address. */
function checkAddresses(p: MessagePreferences): void {
  if (p.channels.includes('email') && !p.email) throw new AppError('invalid_body', 'Messages by e-mail need an e-mail address', { field: 'email' });
  if (p.channels.includes('gateway') && !p.phone && !p.zaloId) throw new AppError('invalid_body', 'Messages by SMS or Zalo need a phone number or a Zalo id', { field: 'phone' });
}

/**
 * One's own messages with their delivery state; one's own message
 * preferences: read them (or one's roles' defaults), set them; a role's
 * defaults, read and set by an administrator. Each change in the audit log.
 */
export function messageRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  const audit = new AuditLog(ctx);
  const repo = () => new MessagesRepository(ctx.store.db);
  const roleAnswer = async (role: Role): Promise<RolePreferencesAnswer> => {
    const stored = await repo().rolePreferences();
    return { role, preferences: roleDefaultsOf(stored)(role), stored: stored.has(role), updatedAt: stored.get(role)?.updatedAt ?? null };
  };
  return async (app) => {
    serve(app, messagesApi.preferences, async (req) => {
      const person = await personOf(ctx, req.identity);
      const stored = await repo().preference(person.id);
      const preferences = preferencesOf(stored, person.roles, roleDefaultsOf(await repo().rolePreferences()));
      return answerOf(preferences, stored === undefined || stored.followRole, person.roles);
    });

    serve(app, messagesApi.ownMessages, async (req) => {
      const person = await personOf(ctx, req.identity);
      const rows = await repo().ofUser(person.id, 100);
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
      const defaults = roleDefaultsOf(await repo().rolePreferences());
      const own = { ...req.body, channels: [...new Set(req.body.channels)], topics: [...new Set(req.body.topics)] };
      const preferences = effectivePreferences(own, person.roles, defaults);
      checkAddresses(preferences);
      const before = await repo().preference(person.id);
      await repo().setPreference(
        {
          userId: person.id,
          channels: own.channels,
          email: own.email,
          phone: own.phone,
          zaloId: own.zaloId,
          minSeverity: own.minSeverity,
          quietFrom: own.quietHours?.from ?? null,
          quietTo: own.quietHours?.to ?? null,
          topics: own.topics,
          language: own.language,
          followRole: own.followRole,
        },
        ctx.clock.now().toISOString(),
      );
      await audit.record(auditWho(req), { action: 'message_preference.set', entityKind: 'message_preference', entityKey: String(person.id), before: before ? preferencesOf(before, person.roles, defaults) : null, after: own });
      return answerOf(preferences, own.followRole, person.roles);
    });

    serve(app, messagesApi.rolePreferences, async (req) => roleAnswer(req.params.role));

    serve(app, messagesApi.setRolePreferences, async (req) => {
      const { role } = req.params;
      const before = await roleAnswer(role);
      const p: RolePreferences = { ...req.body, channels: [...new Set(req.body.channels)], topics: [...new Set(req.body.topics)] };
      await repo().setRolePreference({ role, channels: p.channels, minSeverity: p.minSeverity, topics: p.topics, quietFrom: p.quietHours?.from ?? null, quietTo: p.quietHours?.to ?? null }, ctx.clock.now().toISOString());
      await audit.record(auditWho(req), { action: 'message_role_preference.set', entityKind: 'message_role_preference', entityKey: role, before: before.stored ? before.preferences : null, after: p });
      return roleAnswer(role);
    });
  };
}
