import { route } from '../contract';
import { messagePreferencesAnswerSchema, messagePreferencesSchema, ownMessagesAnswerSchema } from '../messages';

/**
 * The HTTP contract of the messages that reach people: each signed-in
 * person reads and sets their own preferences (channels, addresses, the
 * least severity, quiet hours). See ../contract.ts; who may call each route
 * is in the server's access table.
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
  summary: 'Sets one’s own message preferences: channels, e-mail, phone, Zalo id, least severity, quiet hours (Vietnam time)',
  description: 'A channel chosen needs its address: e-mail an address, the gateway a phone number or a Zalo id.',
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
