import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CompareReport } from '../../compare/report/report.js';
import { runContainer } from '../../container/main.js';
import { startOffline } from '../../scripts/offline.js';
import type { RunningService } from '../../scripts/local-stack.js';
import { devIssuer } from '../support/auth.js';
import { freshStack } from '../support/stack.js';

const run = promisify(execFile);
const work = mkdtempSync(join(tmpdir(), 'duet-compare-targets-'));
const stack = await freshStack();
const issuer = devIssuer();
let container: Awaited<ReturnType<typeof runContainer>> | undefined;
let lambda: RunningService | undefined;
let report: CompareReport;
let stdout: string;

// `--target` as against deployed stages, here against the container `npm start` runs and the
// functions `npm run dev:lambda` runs: the same code path, one token for both.
beforeAll(async () => {
  const env = { ...stack.env, ...issuer.env, LOG_LEVEL: 'silent' };
  container = await runContainer({ ...env, HOST: '127.0.0.1', PORT: '0', METRICS_PORT: '0' });
  lambda = await startOffline({ stage: 'local', env });
  const token = await issuer.token('compare-targets');
  ({ stdout } = await run(
    process.execPath,
    ['--import', 'tsx', 'compare/cli.ts', '--target', `eks=${container.url}`, '--target', `lambda=${lambda.endpoint}`, '--token', token, '--duration', '3', '--rate', '10', '--out', join(work, 'report')],
    { timeout: 300_000, maxBuffer: 16 * 1024 * 1024 },
  ));
  report = JSON.parse(readFileSync(join(work, 'report', 'report.json'), 'utf8')) as CompareReport;
}, 420_000);
afterAll(async () => {
  await Promise.all([container?.shutdown(), lambda?.stop()]);
  stack.close();
  rmSync(work, { recursive: true, force: true });
});

describe('npm run compare --target against running targets', () => {
  it('drives every named target with the token, end to end, and says it measured deployed targets', () => {
    expect(stdout.split('\n')[0]).toMatch(/^compare: 2 target\(s\) × 3 s at 10 requests\/s/);
    expect(report.inputs.mode).toBe('deployed');
    expect(report.targets.map((target) => target.name)).toEqual(['eks', 'lambda']);
    for (const target of report.targets) {
      expect(target.local, target.name).toBe(false);
      expect(target.refusal, target.name).toBeUndefined();
      expect(target.load.completed, target.name).toBeGreaterThanOrEqual(25);
      expect(target.load.errors, target.name).toBe(0);
      expect(target.overall.latencyMs.p99, target.name).toBeGreaterThan(0);
      expect(target.overall.appMeanMs, target.name).toBeGreaterThan(0);
    }
    expect(report.notes.join(' ')).toContain('end to end');
  });

  it('writes the HTML report beside the JSON, with the verdict', () => {
    const html = readFileSync(join(work, 'report', 'report.html'), 'utf8');
    expect(html).toContain(report.verdict);
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href="https?:/);
  });
});
