// The type of web/dist/assets.json, for type checks that run before it is built.
declare module '*/dist/assets.json' {
  const assets: { html: string; files: Record<string, { type: string; body: string }> };
  export default assets;
}
