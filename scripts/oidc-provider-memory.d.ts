// oidc-provider's own in-memory adapter (the one it uses when given none, with a warning).
declare module 'oidc-provider/lib/adapters/memory_adapter.js' {
  import type { Adapter } from 'oidc-provider';
  export function createMemoryAdapter(clockTolerance: number): new (model: string) => Adapter;
}
