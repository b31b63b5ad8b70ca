import { describe, expect, it } from 'vitest';
import { helmetHeaders, securityHeaders } from '../../wiring/security-headers.js';

describe('securityHeaders', () => {
  const policy = helmetHeaders();
  const own = { 'content-type': 'application/json', 'cache-control': 'no-store', 'x-frame-options': 'SAMEORIGIN' };

  it('lets the response win and fills in the rest, as a record (Lambda)', () => {
    const merged = securityHeaders().merge(own);
    expect(merged).toEqual({ ...policy, ...own });
    expect(merged['x-frame-options']).toBe('SAMEORIGIN');
    expect(merged['strict-transport-security']).toBe(policy['strict-transport-security']);
  });

  it('lets the response win and fills in the rest, as a name/value list (the container)', () => {
    const list: string[] = [];
    securityHeaders().appendMissing(own, list);
    const appended = Object.fromEntries(list.flatMap((value, i) => (i % 2 === 0 ? [[value, list[i + 1]]] : [])));
    expect(appended).not.toHaveProperty('x-frame-options');
    expect(list.length / 2).toBe(Object.keys(policy).length - 1);
    expect({ ...appended, ...own }).toEqual(securityHeaders().merge(own));
  });
});
