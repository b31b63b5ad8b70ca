import { join } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { root } from '../support/npm-script.js';

// eslint.config.js, as `npm test` runs it: live on the tree, and finding the bugs it is there for.
describe('the linter', () => {
  const eslint = new ESLint({ cwd: root });
  const probe = join(root, 'scripts', 'smoke.ts');
  const rules = async (code: string) => (await eslint.lintText(code, { filePath: probe }))[0]!.messages.map((message) => message.ruleId);

  it('finds dropped and misused promises and impossible code', async () => {
    const found = await rules(
      [
        'const later = async () => 1;',
        'later();',
        "process.once('SIGTERM', async () => { await later(); });",
        'export function check(x: number) {',
        '  if (x === NaN) return x !== x;',
        '  return typeof x === "nmber";',
        '}',
      ].join('\n'),
    );
    expect(found.sort()).toEqual(['@typescript-eslint/no-floating-promises', '@typescript-eslint/no-misused-promises', 'no-self-compare', 'use-isnan', 'valid-typeof']);
  }, 120_000);

  it('leaves style alone', async () => {
    expect(await rules("export const a = 1\nexport let   b = \"x\";;\nexport var c = a == 1 ? b : 'y'\n")).toEqual([]);
  }, 120_000);
});
