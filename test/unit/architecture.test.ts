import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { cruise, type ICruiseResult, type IViolation } from 'dependency-cruiser';
import { describe, expect, it } from 'vitest';

const rules = createRequire(import.meta.url)('../../.dependency-cruiser.cjs');
const root = resolve(import.meta.dirname, '../..');
/** Every folder of code the rules speak about (docs/design.md, "Layout"). */
const FOLDERS = ['core', 'wiring', 'container', 'handlers', 'scripts', 'bench', 'compare', 'cdktf', 'web', 'release'];

async function cruiseTree(baseDir: string, folders: string[]): Promise<{ violations: IViolation[]; modules: number }> {
  const result = await cruise(folders, { ruleSet: { forbidden: rules.forbidden }, ...rules.options, baseDir, validate: true }, undefined, {
    tsConfig: undefined,
  });
  const { summary } = result.output as ICruiseResult;
  return { violations: summary.violations, modules: summary.totalCruised };
}

const describeViolation = (violation: IViolation) => `${violation.rule.name}: ${violation.from} -> ${violation.to}`;

describe('architecture rules', () => {
  it('holds for the whole tree: layers, runtimes and wiring apart, no import circle', async () => {
    const { violations, modules } = await cruiseTree(root, FOLDERS);
    expect(modules).toBeGreaterThan(150);
    expect(violations.map(describeViolation)).toEqual([]);
  }, 120_000);

  it('fails, rule by rule, for a tree that breaks each of them (test/unit/fixtures/leaky)', async () => {
    const { violations } = await cruiseTree(resolve(import.meta.dirname, 'fixtures/leaky'), ['core', 'wiring', 'container', 'handlers', 'cdktf']);
    const broken = new Set(violations.map((violation) => violation.rule.name));
    // Every rule must be proven able to fail: a new rule needs a fixture that breaks it.
    expect([...broken].sort()).toEqual(rules.forbidden.map((rule: { name: string }) => rule.name).sort());
    expect(violations.map(describeViolation)).toEqual(
      expect.arrayContaining([
        'handlers-import-container-only-in-the-lambdalith: handlers/entry.ts -> container/server.ts',
        'lambdalith-wraps-only-the-express-app: handlers/lambdalith.ts -> container/server.ts',
        expect.stringMatching(/^no-circular: core\/http\/(route|respond)\.ts -> core\/http\/(route|respond)\.ts$/),
      ]),
    );
    // The lambdalith's own edge to the Express app is the one allowed import into container/.
    expect(violations.map(describeViolation)).not.toContain('lambdalith-wraps-only-the-express-app: handlers/lambdalith.ts -> container/app.ts');
  }, 60_000);
});
