/** The HTTP contract of live: see ../contract.ts. */
import { z } from 'zod';
import { fileAnswer, route } from '../contract';
import { LIVE_EVENT_TYPES } from '../live';

/** Open anonymous streams per address when not configured (WATCHFLOOR_LIVE_ANONYMOUS_PER_ADDRESS). */
export const ANONYMOUS_STREAMS_PER_ADDRESS = 500;

export const events = route({
  method: 'GET',
  path: '/api/live',
  tags: ['system'],
  summary: 'Live updates: a text/event-stream of what changed (figures, cases), to refresh what is on screen',
  description:
    `A Server-Sent Events stream (text/event-stream), not JSON. Each event is \`id: <id>\` and \`data: <JSON>\` with \`type\` one of ${LIVE_EVENT_TYPES.join(', ')}; ` +
    'events name what changed (codes, ids), never the data: re-read it through the API. A comment line comes every 15 s; `retry:` sets the reconnect delay. ' +
    'Reconnect with the `Last-Event-ID` header (or `lastEventId`) to receive the events missed; when they are gone, a `resync` event says to refresh everything. ' +
    'With several instances on one PostgreSQL database, a change made through any of them arrives on every stream. ' +
    'A signed-in stream ends when its session ends or its user (or the maker of its token) is disabled; roles changed apply at once. ' +
    `Anonymous streams are limited per address (WATCHFLOOR_LIVE_ANONYMOUS_PER_ADDRESS, default ${ANONYMOUS_STREAMS_PER_ADDRESS}): 429 \`rate_limited\` beyond.`,
  query: z.object({
    lastEventId: z.string().max(80).optional().describe('Resume after this event id (for clients that cannot set the Last-Event-ID header)'),
  }),
  response: fileAnswer('text/event-stream'),
  errors: [400, 429],
});
