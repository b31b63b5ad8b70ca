import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import express, { type Express } from 'express';
import type { Logger } from '../core/ports/logger.js';

export interface MessageClasses {
  IncomingMessage: typeof IncomingMessage;
  ServerResponse: typeof ServerResponse;
}

/** Node's own classes, as a server without the option uses them. */
export const NODE_MESSAGES: MessageClasses = { IncomingMessage, ServerResponse };

/**
 * Classes that build each request and response with Express's prototypes already in place, from
 * Node's own constructors run on `this`. Reflect.construct with another new.target would build a
 * new hidden class per object again, which is what this avoids.
 */
function buildExpressMessages(app: Express, node: MessageClasses): MessageClasses {
  function ExpressRequest(this: IncomingMessage, ...args: ConstructorParameters<typeof IncomingMessage>) {
    node.IncomingMessage.call(this, ...args);
  }
  ExpressRequest.prototype = app.request;
  function ExpressResponse(this: ServerResponse, ...args: ConstructorParameters<typeof ServerResponse>) {
    node.ServerResponse.call(this, ...args);
  }
  ExpressResponse.prototype = app.response;
  return { IncomingMessage: ExpressRequest as unknown as typeof IncomingMessage, ServerResponse: ExpressResponse as unknown as typeof ServerResponse };
}

/**
 * Checks, on objects built here and now, the implementation details expressMessages relies on;
 * returns what no longer holds, or undefined. (The third, V8 treating a setPrototypeOf to the same
 * prototype as a no-op, only costs speed when it fails, never correctness: `npm run bench` shows it.)
 */
export function expressMessagesProblem(app: Express, messages: MessageClasses, probeApp: Express = express()): string | undefined {
  let req: IncomingMessage;
  let res: ServerResponse;
  try {
    // 1. Node's message constructors are plain functions that can run on `this`.
    req = new messages.IncomingMessage(new Socket());
    res = new messages.ServerResponse(req);
  } catch (error) {
    return `Node's message constructors no longer run on another object (${(error as Error).message})`;
  }
  if (!(req instanceof IncomingMessage) || !(res instanceof ServerResponse) || typeof req.headers !== 'object' || res.req !== req) {
    return "the built objects are not Node's requests and responses";
  }
  if (Object.getPrototypeOf(req) !== app.request || Object.getPrototypeOf(res) !== app.response) return "the built objects lack Express's prototypes";
  // 2. Express sets exactly these prototypes on every request it handles (app.handle), so setting
  //    them up front changes nothing Express sees. Checked on a throwaway app with no routes.
  const plainReq = Object.assign(new IncomingMessage(new Socket()), { url: '/', method: 'GET' });
  const plainRes = new ServerResponse(plainReq);
  try {
    // app.handle is Express's own entry (untyped in @types/express); with a callback the router calls it instead of answering.
    (probeApp as unknown as { handle(req: IncomingMessage, res: ServerResponse, done: () => void): void }).handle(plainReq, plainRes, () => {});
  } catch (error) {
    return `Express's app.handle failed on a probe (${(error as Error).message})`;
  }
  if (Object.getPrototypeOf(plainReq) !== probeApp.request || Object.getPrototypeOf(plainRes) !== probeApp.response) {
    return "Express's app.handle no longer sets the prototypes to app.request and app.response";
  }
  return undefined;
}

/**
 * The classes Node should build each request and response from (http.createServer's options):
 * their prototypes are already Express's own. Express sets the prototype of every request and
 * response it handles; on a plain IncomingMessage that gives each one a new hidden class, which
 * costs more than everything else per request (bench/README.md, "Where the time goes").
 *
 * This rests on implementation details of Node and Express, so it checks them at start: when one
 * no longer holds (an upgrade), it warns and returns Node's own classes. The server then runs
 * slower, never wrong.
 */
export function expressMessages(app: Express, logger?: Pick<Logger, 'warn'>, node: MessageClasses = NODE_MESSAGES): MessageClasses {
  let messages: MessageClasses;
  try {
    messages = buildExpressMessages(app, node);
  } catch (error) {
    messages = NODE_MESSAGES;
    logger?.warn({ reason: (error as Error).message }, "expressMessages: falling back to Node's own request and response classes");
    return messages;
  }
  const problem = expressMessagesProblem(app, messages);
  if (!problem) return messages;
  logger?.warn({ reason: problem }, "expressMessages: falling back to Node's own request and response classes (slower, still correct)");
  return NODE_MESSAGES;
}
