import { describe, expect, it } from 'vitest';
import { jsonNestsDeeperThan, MAX_JSON_DEPTH } from '../../../src-main/api/http/jsonDepth';
import { isApiPath, parseRequestTarget } from '../../../src-main/api/http/requestTarget';

describe('parseRequestTarget: one reading of a request target, or a refusal', () => {
  it('reads an ordinary path and its query', () => {
    const t = parseRequestTarget('/api/events?token=abc&x=1');
    expect(t).toMatchObject({ ok: true, path: '/api/events' });
    expect(t.ok && t.query.getAll('token')).toEqual(['abc']);
    expect(parseRequestTarget('/')).toMatchObject({ ok: true, path: '/' });
    expect(parseRequestTarget('/assets/')).toMatchObject({ ok: true, path: '/assets/' });
  });

  it('decodes what must be encoded (spaces, UTF-8) once', () => {
    expect(parseRequestTarget('/a%20b/%C3%A9')).toMatchObject({ ok: true, path: '/a b/é' });
  });

  it.each([
    ['http://127.0.0.1:1/api/ops/x', 'BAD_REQUEST_TARGET'],
    ['*', 'BAD_REQUEST_TARGET'],
    ['api/ops/x', 'BAD_REQUEST_TARGET'],
    ['/api/ops/x#frag', 'BAD_REQUEST_TARGET'],
    ['/a%zz', 'BAD_REQUEST_TARGET'],
    ['/a%4', 'BAD_REQUEST_TARGET'],
    ['/a%C3', 'BAD_REQUEST_TARGET'],
    ['/a\u0000b', 'BAD_REQUEST_TARGET'],
    ['/a%00b', 'FORBIDDEN_PATH'],
    ['/%61pi/ops/x', 'FORBIDDEN_PATH'],
    ['/%2561pi', 'FORBIDDEN_PATH'],
    ['/%2fapi', 'FORBIDDEN_PATH'],
    ['/%2e%2e/etc', 'FORBIDDEN_PATH'],
    ['/a%5cb', 'FORBIDDEN_PATH'],
    ['/a\\b', 'FORBIDDEN_PATH'],
    ['//api/ops/x', 'FORBIDDEN_PATH'],
    ['/api//ops/x', 'FORBIDDEN_PATH'],
    ['/./api', 'FORBIDDEN_PATH'],
    ['/api/..', 'FORBIDDEN_PATH'],
    ['/x/../api/ops/x', 'FORBIDDEN_PATH'],
  ])('refuses %j (%s)', (raw, code) => {
    expect(parseRequestTarget(raw)).toMatchObject({ ok: false, code });
  });

  it('cuts a long path in its message', () => {
    const t = parseRequestTarget(`/${'a'.repeat(5000)}//x`);
    expect(t.ok).toBe(false);
    expect(!t.ok && t.message.length).toBeLessThan(300);
  });

  it('counts /api and everything below it as the API, in any letter case', () => {
    expect(['/api', '/api/', '/API/ops/x', '/Api/events'].map(isApiPath)).toEqual([true, true, true, true]);
    expect(['/', '/apix', '/assets/api/x', '/index.html'].map(isApiPath)).toEqual([false, false, false, false]);
  });
});

describe('jsonNestsDeeperThan: depth counted without recursion', () => {
  const nested = (n: number): string => '['.repeat(n) + ']'.repeat(n);
  it('allows the limit and refuses one level more', () => {
    expect(jsonNestsDeeperThan(nested(MAX_JSON_DEPTH), MAX_JSON_DEPTH)).toBe(false);
    expect(jsonNestsDeeperThan(nested(MAX_JSON_DEPTH + 1), MAX_JSON_DEPTH)).toBe(true);
    expect(jsonNestsDeeperThan(nested(1_000_000), MAX_JSON_DEPTH)).toBe(true);
  });
  it('ignores brackets inside strings, escaped quotes included', () => {
    expect(jsonNestsDeeperThan(JSON.stringify({ a: '['.repeat(1000), b: '"[[[' }), 2)).toBe(false);
    expect(jsonNestsDeeperThan('{"a":{"b":{"c":1}}}', 2)).toBe(true);
  });
});
