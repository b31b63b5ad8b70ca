import { shout } from '../../use-cases/legacy.js';
import { readBody } from '../body.js';
import { json } from '../respond.js';
import { LegacyInput } from '../specs.js';
import type { RouteHandlers } from '../types.js';

export function legacyHandlers() {
  return {
    async legacyShout({ request }) {
      return json(200, shout(readBody(request, LegacyInput).data));
    },
  } satisfies RouteHandlers;
}
