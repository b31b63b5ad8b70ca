/** The caller's tenant: operations with scopes always have one (core/http/handler.ts authenticates them). */
export function owner(tenant: string | null): string {
  if (tenant === null) throw new Error('a tenant-scoped operation ran without an authenticated caller');
  return tenant;
}
