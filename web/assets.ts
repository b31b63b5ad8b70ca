import built from './dist/assets.json' with { type: 'json' };
import type { WebAssets } from '../core/http/routes/web.js';

/**
 * The built UI (`npm run build:web`, also run on install, by `npm start`, `npm run dev:lambda`
 * and the tests' setup). Imported, so every bundle that serves the UI carries it inline.
 */
export const webAssets: WebAssets = built;
