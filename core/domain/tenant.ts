/**
 * A tenant is a verified token's subject. It becomes part of table keys (`T#<tenant>`) and of
 * object keys (`tenants/<tenant>/…`), so it is one bounded run of characters that separate
 * nothing: no `/`, `\`, `#`, whitespace or control characters, and never only dots (`.` and `..`
 * are path segments to every URL parser).
 */
const TENANT = /^[A-Za-z0-9._@:|+-]{1,128}$/;
const OUTSIDE_TENANT_CHARACTERS = /[^A-Za-z0-9._@:|+-]/gu;

export const TENANT_RULE = '1-128 letters, digits or ._@:|+- characters, not only dots';

export function isTenant(subject: unknown): subject is string {
  return typeof subject === 'string' && TENANT.test(subject) && !/^\.+$/.test(subject);
}

const utf8 = new TextEncoder();
const percentEncode = (text: string) => [...utf8.encode(text)].map((byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`).join('');

/**
 * The tenant as one object-key segment. Every tenant isTenant accepts is its own segment, so keys
 * written before this escaping stay valid; anything else is percent-encoded (`%` too, so no two
 * tenants share a segment), and a run of dots is encoded whole.
 */
export function tenantSegment(tenant: string): string {
  if (!tenant) throw new Error('An object key needs a tenant.');
  if (/^\.+$/.test(tenant)) return percentEncode(tenant);
  return tenant.replace(OUTSIDE_TENANT_CHARACTERS, percentEncode);
}
