import { describe, expect, expectTypeOf, it } from 'vitest';
import { ROUTE_SPECS, type RouteHandlers, type TenantOf } from '../../core/http/specs.js';
import type { RouteContext } from '../../core/http/types.js';

// Checked by the type check (npm test runs tsc first): a handler of a scoped operation gets a
// `string` tenant and a public one `null`, derived from the route table, so no handler tests for it.
describe('the tenant a handler receives', () => {
  it('is a string for operations with scopes and null for public ones, as the table says', () => {
    expectTypeOf<TenantOf<'getStats'>>().toEqualTypeOf<string>();
    expectTypeOf<TenantOf<'deleteAttachment'>>().toEqualTypeOf<string>();
    expectTypeOf<TenantOf<'getHealth'>>().toEqualTypeOf<null>();
    expectTypeOf<TenantOf<'legacyShout'>>().toEqualTypeOf<null>();
    expectTypeOf<Parameters<NonNullable<RouteHandlers['createTask']>>[0]>().toEqualTypeOf<RouteContext<string>>();

    // The table agrees at run time: the same operations are the scoped ones.
    const scoped = ROUTE_SPECS.filter((spec) => 'scopes' in spec).map((spec) => spec.operationId);
    expect(scoped).toEqual(expect.arrayContaining(['getStats', 'deleteAttachment', 'createTask']));
    expect(scoped).not.toContain('getHealth');
    expect(scoped).not.toContain('legacyShout');
  });
});
