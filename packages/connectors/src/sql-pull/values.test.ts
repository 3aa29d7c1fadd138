import { describe, expect, it } from 'vitest';
import { AppError } from '@watchfloor/core';
import { sqlError } from './errors';
import { connectionParts } from './index';
import { mysqlTimestamp } from './mysql';
import { wrap } from './session';
import { checkCursor, cursorText, isoTimestamp } from './values';

const codeOf = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    if (e instanceof AppError) return e.code;
    throw e;
  }
  return 'none';
};

describe('SQL pull values', () => {
  it('writes timestamps as ISO UTC with the server precision, dates as days', () => {
    expect(isoTimestamp('2026-11-28 03:00:00.123456+00')).toBe('2026-11-28T03:00:00.123456Z');
    expect(isoTimestamp('2026-11-28 03:00:00')).toBe('2026-11-28T03:00:00Z');
    expect(isoTimestamp('infinity')).toBe('infinity');
    expect(cursorText(new Date('2026-11-28T03:00:00Z'), 'date')).toBe('2026-11-28');
    expect(cursorText(42, 'integer')).toBe('42');
    expect(cursorText(null, 'integer')).toBeNull();
    expect(mysqlTimestamp('2026-11-28T03:00:00.000007Z')).toBe('2026-11-28 03:00:00.000007');
    expect(mysqlTimestamp('2026-11-28T10:00:00+07:00')).toBe('2026-11-28 03:00:00.000');
  });

  it('checks a cursor against the kind of its column', () => {
    expect(codeOf(() => checkCursor('12', { name: 'id', kind: 'integer' }))).toBe('none');
    expect(codeOf(() => checkCursor('1.5', { name: 'id', kind: 'integer' }))).toBe('invalid_pull_config');
    expect(codeOf(() => checkCursor('2026-11-28T03:00:00.123456Z', { name: 'at', kind: 'timestamp' }))).toBe('none');
    expect(codeOf(() => checkCursor('28/11/2026', { name: 'day', kind: 'date' }))).toBe('invalid_pull_config');
    expect(codeOf(() => checkCursor("anything ' goes", { name: 'code', kind: 'text' }))).toBe('none');
  });

  it('wraps the query so a trailing semicolon or comment cannot break it', () => {
    expect(wrap('select 1 as id -- note;\n;  ')).toBe('select * from (\nselect 1 as id -- note\n) wf_pull');
  });

  it('reads the connection from a url or its parts, and refuses a url of the other engine', () => {
    expect(connectionParts('postgres', { url: 'postgresql://u:p@h:5432/d' })).toEqual({ url: 'postgresql://u:p@h:5432/d' });
    expect(connectionParts('mysql', { host: 'db', port: '3307', username: 'u', password: 'p', dbname: 'd' })).toEqual({ host: 'db', port: 3307, user: 'u', password: 'p', database: 'd' });
    expect(codeOf(() => connectionParts('mysql', { url: 'postgres://h/d' }))).toBe('invalid_pull_config');
    expect(codeOf(() => connectionParts('postgres', null))).toBe('invalid_pull_config');
    expect(codeOf(() => connectionParts('postgres', { host: 'h', port: 'x' }))).toBe('invalid_pull_config');
  });

  it('classifies driver errors and never repeats the password', () => {
    const where = 'the PostgreSQL server';
    expect(sqlError({ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 10.0.0.1:5432' }, where, []).code).toBe('source_unreachable');
    expect(sqlError({ code: '28P01', message: 'password authentication failed for user "ioc"' }, where, []).code).toBe('source_unreachable');
    expect(sqlError({ code: '57014', message: 'canceling statement due to statement timeout' }, where, []).code).toBe('source_timeout');
    expect(sqlError(new Error('Connection terminated due to connection timeout'), where, []).code).toBe('source_timeout');
    // A column that happens to be called "timeout" is the query's problem, not a slow server.
    expect(sqlError({ code: '42703', message: 'column "timeout" does not exist' }, where, []).code).toBe('invalid_pull_config');
    expect(sqlError({ code: 'ER_NO_SUCH_TABLE', sqlState: '42S02', message: "Table 'test.x' doesn't exist" }, where, []).code).toBe('invalid_pull_config');
    expect(sqlError({ errno: 1969, sqlState: '70100', message: 'Query execution was interrupted (max_statement_time exceeded)' }, where, []).code).toBe('source_timeout');
    const e = sqlError({ code: 'XX000', message: 'odd failure near s3cr3t-pw' }, where, ['s3cr3t-pw']);
    expect([e.code, e.message.includes('s3cr3t')]).toEqual(['source_bad_answer', false]);
  });
});
