import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { cruise, type ICruiseResult, type IViolation } from 'dependency-cruiser';
import { describe, expect, it } from 'vitest';

const rules = createRequire(import.meta.url)('../../.dependency-cruiser.cjs');
const root = resolve(import.meta.dirname, '../..');

async function cruiseCore(baseDir: string): Promise<{ violations: IViolation[]; modules: number }> {
  const result = await cruise(['core'], { ruleSet: { forbidden: rules.forbidden }, ...rules.options, baseDir, validate: true }, undefined, {
    tsConfig: undefined,
  });
  const { summary } = result.output as ICruiseResult;
  return { violations: summary.violations, modules: summary.totalCruised };
}

describe('architecture rules', () => {
  it('keeps core/ free of runtime frameworks, and @aws-sdk inside core/adapters', async () => {
    const { violations, modules } = await cruiseCore(root);
    expect(modules).toBeGreaterThan(20);
    expect(violations.map((violation) => `${violation.rule.name}: ${violation.from} -> ${violation.to}`)).toEqual([]);
  }, 60_000);

  it('fails for a core module that imports express and the AWS SDK', async () => {
    const { violations } = await cruiseCore(resolve(import.meta.dirname, 'fixtures/leaky'));
    expect(violations.map((violation) => violation.rule.name).sort()).toEqual(['aws-sdk-only-in-adapters', 'core-is-runtime-neutral']);
  }, 60_000);
});
