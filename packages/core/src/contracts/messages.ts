import { z } from 'zod';
import { roleSchema } from '../access';
import { route } from '../contract';
import { messagePreferencesAnswerSchema, messagePreferencesSchema, ownMessagesAnswerSchema, rolePreferencesAnswerSchema, rolePreferencesSchema } from '../messages';

/**
 * The HTTP contract of the messages that reach people: each signed-in
 * person reads and sets their own preferences (channels, addresses, the
 * least severity, topics, quiet hours, language) and reads their own
 * messages; an administrator sets a role's defaults. See ../contract.ts;
 * who may call each route is in the server's access table.
 */

const TAGS = ['messages'];

export const preferences = route({
  method: 'GET',
  path: '/api/me/message-preferences',
  tags: TAGS,
  summary: 'One’s own message preferences, or one’s role’s defaults when none are set',
  response: messagePreferencesAnswerSchema,
  errors: [401, 403],
});

export const setPreferences = route({
  method: 'PUT',
  path: '/api/me/message-preferences',
  tags: TAGS,
  summary: 'Sets one’s own message preferences: channels, e-mail, phone, Zalo id, least severity, topics, quiet hours (Vietnam time), language',
  description:
    'A channel chosen needs its address: e-mail an address, the gateway a phone number or a Zalo id. With `followRole`, only the addresses and the language are kept: ' +
    'channels, least severity, topics and quiet hours follow one’s roles’ defaults (and the channels those give need their addresses).',
  body: messagePreferencesSchema,
  response: messagePreferencesAnswerSchema,
  errors: [400, 401, 403],
});

export const ownMessages = route({
  method: 'GET',
  path: '/api/me/messages',
  tags: TAGS,
  summary: 'One’s own latest messages (at most 100) with their delivery state: queued, held for quiet hours, sent or failed',
  response: ownMessagesAnswerSchema,
  errors: [401, 403],
});

const roleParams = z.object({ role: roleSchema });

export const rolePreferences = route({
  method: 'GET',
  path: '/api/messages/role-preferences/:role',
  tags: TAGS,
  summary: 'A role’s message defaults: what holds for everyone of the role who has not set their own',
  description: '`stored` is false while no administrator has set them: the built-in defaults (by e-mail; the topics the role acts on) are answered.',
  params: roleParams,
  response: rolePreferencesAnswerSchema,
  errors: [400, 401, 403],
});

export const setRolePreferences = route({
  method: 'PUT',
  path: '/api/messages/role-preferences/:role',
  tags: TAGS,
  summary: 'Sets a role’s message defaults: channels, least severity, topics, quiet hours (Vietnam time)',
  description: 'They hold from the sender’s next tick for everyone of the role who has not set their own preferences, or follows their roles’.',
  params: roleParams,
  body: rolePreferencesSchema,
  response: rolePreferencesAnswerSchema,
  errors: [400, 401, 403],
});
