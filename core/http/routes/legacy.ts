import { shout } from '../../use-cases/legacy.js';
import { readBody } from '../body.js';
import { json } from '../response.js';
import { LegacyInput, type RouteHandlers } from '../specs.js';

export function legacyHandlers() {
  return {
    async legacyShout({ request }) {
      return json(200, shout(readBody(request, LegacyInput).data));
    },
  } satisfies RouteHandlers;
}
