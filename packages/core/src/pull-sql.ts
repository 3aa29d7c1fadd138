import { z } from 'zod';

/**
 * How a SQL pull reads another agency's database: a SELECT, paged by an
 * ordered cursor column so each pull reads only what is new. The
 * connection (a URL, or host, user, password, database) comes from the
 * source's encrypted credentials, never from here.
 */
export const sqlPullConfigSchema = z
  .object({
    kind: z.literal('sql'),
    engine: z.enum(['postgres', 'mysql']).describe('PostgreSQL, or MySQL / MariaDB'),
    query: z.string().min(1).max(20_000).describe('A SELECT whose columns are named as observation fields (indicator, place, period, value, organisation, status, note; English or Vietnamese, any case), e.g. select ma_xa as place …; run in a read-only transaction'),
    cursorColumn: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,62}$/, 'must be a column name').describe('An ordered column of the query (an id, a timestamp, a date) to read from; rows where it is null are not read, rows sharing a value are read together'),
    initialCursor: z.string().max(200).nullable().default(null).describe('Where the first pull starts; null: from the beginning'),
    pageSize: z.number().int().min(1).max(50_000).default(5000).describe('Rows per query (a keyset page)'),
    timeoutMs: z.number().int().min(100).max(600_000).default(30_000).describe('Connect and statement timeout, in milliseconds'),
  })
  .strict();
export type SqlPullConfig = z.infer<typeof sqlPullConfigSchema>;
