import { createUlidIds, systemClock } from '../core/adapters/system.js';
import type { Clock } from '../core/ports/clock.js';
import type { Ids } from '../core/ports/ids.js';

/**
 * The process's clock and id source, composed once: every composition root (container/main.ts,
 * handlers/) and every store built in wiring/ take them from here, so one process has one
 * monotonic ULID factory.
 */
export const system: { clock: Clock; ids: Ids } = { clock: systemClock, ids: createUlidIds() };
