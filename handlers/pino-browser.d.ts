// pino's browser build (pino/browser.js) takes pino's options; its package declares types for the Node build only.
declare module 'pino/browser.js' {
  import type { Logger, LoggerOptions } from 'pino';

  export default function pino(options?: LoggerOptions): Logger;
}
