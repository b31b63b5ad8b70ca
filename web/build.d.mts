import type { WebAssets } from '../core/http/routes/web.js';

export declare const ASSETS_FILE: string;
export declare function buildWeb(): Promise<WebAssets>;
export declare function writeWebAssets(): Promise<WebAssets>;
