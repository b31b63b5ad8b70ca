import { describe } from 'vitest';
import { client } from './client.js';
import { attachmentsConformance } from './attachments.conformance.js';
import { badInputConformance } from './bad-input.conformance.js';
import { opsConformance } from './ops.conformance.js';
import { tasksConformance } from './tasks.conformance.js';

/**
 * The black-box HTTP contract of DESIGN.md, parameterised by a base URL. Every target runs it;
 * any difference between targets is a failing test.
 */
export function describeApiConformance(name: string, target: 'container' | 'lambda', baseUrl: () => string) {
  const call = client(baseUrl);
  describe(`API conformance: ${name}`, () => {
    describe('operations and legacy routes', () => opsConformance(call, target));
    describe('tasks', () => tasksConformance(call));
    describe('attachments', () => attachmentsConformance(call));
    describe('bad input', () => badInputConformance(call));
  });
}
