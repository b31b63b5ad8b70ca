import { monotonicFactory } from 'ulid';
import type { Clock } from '../ports/clock.js';
import type { Ids } from '../ports/ids.js';

export const systemClock: Clock = { now: () => new Date() };

export function createUlidIds(): Ids {
  const next = monotonicFactory();
  return { next: () => next() };
}
