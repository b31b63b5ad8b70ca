import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CompareReport } from '../../compare/report/report.js';

const run = promisify(execFile);
const work = mkdtempSync(join(tmpdir(), 'duet-compare-e2e-'));
const out = join(work, 'report');
/** Kept after the run (gitignored), so CI can attach the screenshot. */
const ARTIFACTS = resolve('test-artifacts');
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

let report: CompareReport;
let stdout: string;
let browser: BrowserContext | undefined;

// A short compare on the local stack, as a user runs it (its own stack, build and zips).
beforeAll(async () => {
  ({ stdout } = await run(process.execPath, ['--import', 'tsx', 'compare/cli.ts', '--duration', '3', '--rate', '10', '--out', out], {
    env: { ...process.env, DUET_COMPARE_DATA: join(work, 'data') },
    timeout: 420_000,
    maxBuffer: 16 * 1024 * 1024,
  }));
  report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as CompareReport;
}, 450_000);
afterAll(async () => {
  await browser?.close();
  rmSync(work, { recursive: true, force: true });
});

describe('npm run compare on the local stack', () => {
  it('says how long it will take before it starts, and ends with the summary table and the verdict', () => {
    expect(stdout.split('\n')[0]).toMatch(/^compare: 3 target\(s\) × 3 s at 10 requests\/s; about \d+ s in all/);
    expect(stdout).toMatch(/^target +sent\/s +p50 ms +p99 ms/m);
    expect(stdout).toContain(report.verdict);
  });

  it('measures the container, the per-route functions and the lambdalith with one workload', () => {
    expect(report.targets.map((target) => [target.name, target.kind])).toEqual([
      ['container', 'container'],
      ['lambda', 'lambda-routes'],
      ['lambdalith', 'lambdalith'],
    ]);
    // The same seed: every target was sent the same operations, as many of each (answered or not).
    const sent = (statuses: Record<string, number>) => Object.values(statuses).reduce((sum, count) => sum + count, 0);
    const mix = (target: CompareReport['targets'][number]) => Object.fromEntries(Object.entries(target.operations).map(([name, operation]) => [name, sent(operation.statuses)]));
    for (const target of report.targets) {
      expect(mix(target)).toEqual(mix(report.targets[0]!));
      expect(Object.keys(target.operations).length).toBeGreaterThanOrEqual(3);
      expect(target.overall.latencyMs.p99).toBeGreaterThan(0);
      expect(target.overall.appMeanMs).toBeGreaterThan(0);
      expect(target.logs.appBytesPerRequest).toBeGreaterThan(0);
    }
    expect(report.targets.find((target) => target.kind === 'container')!.cpuSecondsPerRequest).toBeGreaterThan(0);
    for (const lambda of report.targets.filter((target) => target.kind !== 'container')) {
      expect(lambda.logs.platformBytesPerRequest).toBeGreaterThan(0);
      expect(lambda.lambda!.memoryMb).toBeDefined();
    }
  });

  it('prices every target it drove per traffic shape, with a cost per million requests and the break-even', () => {
    expect(report.costs.shapes.map((shape) => shape.shape)).toEqual(['steady', 'business hours', 'spiky']);
    const priced = report.targets.filter((target) => !target.refusal).map((target) => target.name);
    for (const shape of report.costs.shapes) {
      expect(Object.keys(shape.at).sort()).toEqual([...priced].sort());
      for (const cost of Object.values(shape.at)) expect(cost.perMillion).toBeGreaterThan(0);
    }
    expect(report.capacity?.createTask.writeUnits).toBeGreaterThan(0);
    expect(report.verdict).toMatch(/^(At 5 M requests a month of business hours traffic|No target could be driven)/);
  });

  it('renders the report in a browser: no console errors, nothing fetched, every chart with its series', async () => {
    // Prepare
    browser = await chromium.launchPersistentContext(join(work, 'chromium'), { executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS, viewport: { width: 1280, height: 900 } });
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('console', (message) => message.type() === 'error' && problems.push(message.text()));
    page.on('pageerror', (error) => problems.push(error.message));
    const requested: string[] = [];
    page.on('request', (request) => requested.push(request.url()));

    // Act
    await page.goto(`file://${join(out, 'report.html')}`);
    const charts = await page.$$eval('svg.chart', (svgs) => svgs.map((svg) => ({ id: svg.getAttribute('data-chart'), series: [...svg.querySelectorAll('.series')].map((series) => series.getAttribute('data-series')) })));
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'compare-report.png'), fullPage: true });
    await page.screenshot({ path: join(ARTIFACTS, 'compare-report-top.png'), fullPage: true, clip: { x: 0, y: 0, width: 1280, height: 1700 } });
    for (const file of ['report.html', 'report.json']) copyFileSync(join(out, file), join(ARTIFACTS, `compare-${file}`));

    // Assess
    expect(problems).toEqual([]);
    expect(requested.filter((url) => !url.startsWith('file://'))).toEqual([]);
    expect(await page.textContent('#verdict')).toBe(report.verdict);
    const byId = Object.fromEntries(charts.map((chart) => [chart.id, chart.series]));
    for (const operation of report.inputs.workload.operations) expect(byId[`latency-${operation.name}`]?.sort()).toEqual(['container', 'lambda', 'lambdalith']);
    expect(byId['cold-start-share']?.sort()).toEqual(['lambda', 'lambdalith']);
    expect(byId['cold-start-duration']?.sort()).toEqual(['lambda', 'lambdalith']);
    const priced = report.targets.filter((target) => !target.refusal);
    for (const shape of ['steady', 'business-hours', 'spiky']) expect(byId[`cost-${shape}`]).toHaveLength(priced.length);
  });
});
