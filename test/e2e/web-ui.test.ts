import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runContainer } from '../../container/main.js';
import { newKey, signDevToken } from '../../scripts/dev-issuer.js';
import type { RunningService } from '../../scripts/local-stack.js';
import { startOffline } from '../../scripts/offline.js';
import { startOidcIssuer } from '../../scripts/oidc-issuer.js';
import { freshStack } from '../support/stack.js';

/**
 * The web UI in headless Chromium (Debian's), on every target: sign in at the real local OpenID
 * provider, create, filter, page, edit, lose an update to the API and resolve the 412, upload and
 * download an attachment, delete, sign out. Every screen is checked by axe-core and photographed at
 * 360 and 1280 px (test-artifacts/web/, gitignored); no console error, no failed request, and no
 * error response but the ones the journey provokes.
 */
const ARTIFACTS = resolve('test-artifacts', 'web');
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

const stack = await freshStack();
const work = mkdtempSync(join(tmpdir(), 'duet-web-e2e-'));
const key = await newKey();
let issuer: Awaited<ReturnType<typeof startOidcIssuer>>;
let browser: Browser;

beforeAll(async () => {
  issuer = await startOidcIssuer(key, work);
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  mkdirSync(ARTIFACTS, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
  await issuer?.stop();
  stack.close();
  rmSync(work, { recursive: true, force: true });
});

const env = () => ({ ...stack.env, ...issuer.env, LOG_LEVEL: 'silent' });

interface Watch {
  problems: string[];
  errorResponses: string[];
}

/** Chromium's own line for every response of status 400 or more; the journey provokes two, checked below. */
const STATUS_LINE = /^Failed to load resource: the server responded with a status of (\d{3})/;

function watch(page: Page): Watch {
  const problems: string[] = [];
  const seen: Watch = { problems, errorResponses: [] };
  const downloads = new Set<string>();
  page.on('download', (download) => downloads.add(download.url()));
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const status = STATUS_LINE.exec(message.text())?.[1];
    if (status && seen.errorResponses.some((line) => line.endsWith(` ${status}`))) return;
    problems.push(`console: ${message.text()} (${message.location().url})`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  // A link that turns into a download ends its navigation as aborted: that is the download, not a failure.
  const aborted: string[] = [];
  page.on('requestfailed', (request) => {
    if (request.failure()?.errorText === 'net::ERR_ABORTED') aborted.push(request.url());
    else problems.push(`failed: ${request.method()} ${request.url()} ${request.failure()?.errorText}`);
  });
  Object.defineProperty(seen, 'problems', { get: () => [...problems, ...aborted.filter((url) => !downloads.has(url)).map((url) => `aborted: ${url}`)] });
  page.on('response', (response) => response.status() >= 400 && seen.errorResponses.push(`${response.request().method()} ${new URL(response.url()).pathname} ${response.status()}`));
  return seen;
}

/** axe-core on the page as it is: no serious or critical violation. */
async function accessible(page: Page, screen: string) {
  await page.evaluate(AXE);
  const violations = (await page.evaluate(`axe.run(document).then((result) => result.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => violation.id + ': ' + violation.nodes.map((node) => node.target.join(' ')).join(', ')))`)) as string[];
  expect(violations, screen).toEqual([]);
}

/** Each screen checked and photographed at both widths; the page ends at desktop width. */
async function screen(page: Page, target: string, name: string) {
  for (const width of [360, 1280]) {
    await page.setViewportSize({ width, height: width === 360 ? 780 : 900 });
    await accessible(page, `${name} at ${width}px`);
    const overflow = (await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth')) as number;
    expect(overflow, `${name} at ${width}px scrolls sideways`).toBeLessThanOrEqual(0);
    await page.screenshot({ path: join(ARTIFACTS, `${target}-${name}-${width}.png`), fullPage: true });
  }
}

/** Presses Tab until the focused element is the one asked for (keyboard only); fails after 40 presses. */
async function tabTo(page: Page, label: string) {
  for (let presses = 0; presses < 40; presses++) {
    await page.keyboard.press('Tab');
    const focused = (await page.evaluate(`(() => { const el = document.activeElement; return el ? (el.getAttribute('aria-label') || el.labels?.[0]?.textContent?.trim().split('\\n')[0] || el.textContent?.trim()) : '' })()`)) as string;
    if (focused === label || focused.startsWith(label)) return;
  }
  throw new Error(`Tab never reached ${label}`);
}

/** The page's cumulative layout shift not caused by input (Chromium's layout-shift entries). */
const layoutShift = (page: Page) =>
  page.evaluate(`new Promise((resolve) => {
    let total = 0;
    new PerformanceObserver((list) => { for (const entry of list.getEntries()) if (!entry.hadRecentInput) total += entry.value; }).observe({ type: 'layout-shift', buffered: true });
    setTimeout(() => resolve(total), 300);
  })`) as Promise<number>;

async function journey(baseUrl: () => string, target: string) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const seen = watch(page);
  const user = `${target}-${Date.now().toString(36)}`;
  const token = await signDevToken(key, { sub: user, iss: issuer.issuer });
  const api = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    fetch(`${baseUrl()}${path}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers }, ...(body !== undefined && { body: JSON.stringify(body) }) });
  const item = (title: string) => page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: title, exact: true }) });
  try {
    // Sign in with any user name at the OpenID provider.
    await page.goto(`${baseUrl()}/`);
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await screen(page, target, 'sign-in');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByLabel('User name').fill(user);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Tasks' }).waitFor();
    await expect.poll(() => page.locator('.user').textContent()).toBe(user);
    expect(new URL(page.url()).search).toBe('');
    await expect.poll(() => page.locator('.stats dd').first().textContent()).toBe('0');
    // Nothing jumps while the board loads.
    expect(await layoutShift(page)).toBeLessThan(0.1);

    // Keyboard only: reach the form, add a task, open it for editing, save.
    await page.locator('body').focus();
    await tabTo(page, 'Title');
    await page.keyboard.type('Typed task');
    await page.keyboard.press('Enter');
    await item('Typed task').waitFor();
    await tabTo(page, 'Edit Typed task');
    await page.keyboard.press('Enter');
    await page.keyboard.press('End');
    await page.keyboard.type(' by keyboard');
    await page.keyboard.press('Enter');
    await item('Typed task by keyboard').waitFor();
    await tabTo(page, 'Delete Typed task by keyboard');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter');
    await expect.poll(() => item('Typed task by keyboard').count()).toBe(0);

    // Eleven tasks made through the API meanwhile (the page shows them once it loads the list again), then two through the form.
    for (let i = 1; i <= 11; i++) expect((await api('POST', '/v1/tasks', { title: `Bulk ${i}`, tags: ['bulk'] })).status).toBe(201);
    for (const [title, tags] of [['Buy milk', 'home'], ['Write report', 'work, urgent']] as const) {
      await page.getByLabel('Title').fill(title);
      await page.getByLabel('Tags').first().fill(tags);
      await page.getByRole('button', { name: 'Add task' }).click();
      await item(title).waitFor();
    }
    await expect.poll(() => page.locator('.stats dd').first().textContent()).toBe('13');
    await screen(page, target, 'board');

    // Filter by tag, then by status; then all of them, ten at a time with "Load more".
    const filters = page.getByRole('search');
    await filters.getByLabel('Tag').fill('home');
    await filters.getByRole('button', { name: 'Filter' }).click();
    await expect.poll(() => page.locator('.tasks > li').count()).toBe(1);
    await item('Buy milk').waitFor();
    await filters.getByLabel('Tag').fill('');
    await filters.getByRole('button', { name: 'Filter' }).click();
    await filters.getByLabel('Status').selectOption('done');
    await page.getByText('No tasks here yet.').waitFor();
    await filters.getByLabel('Status').selectOption('');
    await expect.poll(() => page.locator('.tasks > li').count()).toBe(10);
    await item('Buy milk').waitFor();
    await page.getByRole('button', { name: 'Load more' }).click();
    await expect.poll(() => page.locator('.tasks > li').count()).toBe(13);
    await expect.poll(() => page.getByRole('button', { name: 'Load more' }).count()).toBe(0);

    // Edit.
    await item('Buy milk').getByRole('button', { name: 'Edit Buy milk' }).click();
    await screen(page, target, 'edit');
    await item('Buy milk').getByLabel('Title').fill('Buy oat milk');
    await item('Buy milk').getByRole('button', { name: 'Save' }).click();
    await item('Buy oat milk').waitFor();

    // Lose an update to someone else's change through the API, then resolve the 412 by re-applying.
    await item('Buy oat milk').getByRole('button', { name: 'Edit Buy oat milk' }).click();
    await item('Buy oat milk').getByLabel('Title').fill('Buy soy milk');
    const id = ((await (await api('GET', '/v1/tasks?tag=home')).json()) as { items: { id: string }[] }).items[0]!.id;
    expect((await api('PATCH', `/v1/tasks/${id}`, { description: 'From the shop on the corner', status: 'in_progress' })).status).toBe(200);
    await item('Buy oat milk').getByRole('button', { name: 'Save' }).click();
    const conflict = page.getByRole('alert').filter({ hasText: 'This task changed while you were editing it' });
    await conflict.waitFor();
    expect(await conflict.locator('tr', { hasText: 'description' }).textContent()).toContain('From the shop on the corner');
    expect(await conflict.locator('tr', { hasText: 'title' }).textContent()).toContain('Buy soy milk');
    await screen(page, target, 'conflict');
    await conflict.getByRole('button', { name: 'Re-apply my changes' }).click();
    await item('Buy soy milk').waitFor();
    const saved = (await (await api('GET', `/v1/tasks/${id}`)).json()) as Record<string, unknown>;
    expect(saved).toMatchObject({ title: 'Buy soy milk', description: 'From the shop on the corner', status: 'in_progress', version: 4 });

    // Upload an attachment straight to the bucket, then download it.
    await item('Buy soy milk').getByRole('button', { name: 'Attachments of Buy soy milk' }).click();
    const files = page.getByRole('group', { name: 'Attachments of Buy soy milk' });
    await files.getByText('No attachments yet.').waitFor();
    const content = `shopping list for ${user}\n`;
    await files.getByLabel('File').setInputFiles({ name: 'list.txt', mimeType: 'text/plain', buffer: Buffer.from(content) });
    await files.getByRole('button', { name: 'Upload' }).click();
    const link = files.getByRole('link', { name: 'list.txt' });
    await link.waitFor();
    await screen(page, target, 'attachments');
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    expect(readFileSync((await download.path())!, 'utf8')).toBe(content);
    await files.getByRole('button', { name: 'Close attachments' }).click();

    // A request the API refuses shows its problem document.
    await page.getByLabel('Title').first().fill('Bad tags');
    await page.getByLabel('Tags').first().fill('no_underscores_here');
    await page.getByRole('button', { name: 'Add task' }).click();
    const problem = page.locator('.problem');
    await problem.waitFor();
    expect(await problem.textContent()).toMatch(/The request is not valid|Validation|not valid/i);
    await screen(page, target, 'problem');
    await problem.getByRole('button', { name: 'Dismiss' }).click();

    // Delete with confirmation.
    await item('Write report').getByRole('button', { name: 'Delete Write report' }).click();
    await screen(page, target, 'delete');
    await item('Write report').getByRole('button', { name: 'Yes, delete' }).click();
    await expect.poll(() => item('Write report').count()).toBe(0);
    expect(((await (await api('GET', '/v1/stats')).json()) as { total: number }).total).toBe(12);

    // Sign out at the provider and land on the sign-in screen.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Yes, sign me out' }).click();
    await page.waitForURL(`${baseUrl()}/`);
    await page.getByRole('button', { name: 'Sign in' }).waitFor();

    expect(seen.problems).toEqual([]);
    expect(seen.errorResponses).toEqual([`PATCH /v1/tasks/${id} 412`, 'POST /v1/tasks 400']);
  } finally {
    await page.close();
  }
}

describe('the web UI in Chromium: the container', () => {
  let running: Awaited<ReturnType<typeof runContainer>>;
  beforeAll(async () => {
    running = await runContainer({ ...env(), HOST: '127.0.0.1', PORT: '0', METRICS_PORT: '0' });
  });
  afterAll(() => running?.shutdown());
  it('signs in, manages tasks end to end and signs out', () => journey(() => running.url, 'container'), 120_000);
});

describe.each([
  ['per-route functions', 'local', 'routes'],
  ['lambdalith', 'local-lambdalith', 'lambdalith'],
] as const)('the web UI in Chromium: serverless-offline, %s', (_name, stage, target) => {
  let offline: RunningService | undefined;
  beforeAll(async () => {
    offline = await startOffline({ stage, env: env() });
  }, 240_000);
  afterAll(() => offline?.stop());
  it('signs in, manages tasks end to end and signs out', () => journey(() => offline!.endpoint, target), 180_000);
});

describe('the web UI in Chromium: an expired access token', () => {
  // The API allows 30 s of clock skew, so a 1 s token is refused about 31 s after it was issued.
  const dir = mkdtempSync(join(tmpdir(), 'duet-web-expiry-'));
  let shortLived: Awaited<ReturnType<typeof startOidcIssuer>>;
  let running: Awaited<ReturnType<typeof runContainer>>;
  beforeAll(async () => {
    shortLived = await startOidcIssuer(key, dir, { accessTokenTtl: 1 });
    running = await runContainer({ ...stack.env, ...shortLived.env, LOG_LEVEL: 'silent', HOST: '127.0.0.1', PORT: '0', METRICS_PORT: '0' });
  });
  afterAll(async () => {
    await running?.shutdown();
    await shortLived?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is refreshed with the refresh token on a 401 and the call retried, unseen by the user', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const seen = watch(page);
    const grants: string[] = [];
    page.on('request', (request) => request.method() === 'POST' && request.url() === `${shortLived.issuer}/token` && grants.push(new URLSearchParams(request.postData() ?? '').get('grant_type') ?? ''));
    try {
      await page.goto(`${running.url}/`);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByLabel('User name').fill(`expiry-${Date.now().toString(36)}`);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { name: 'Tasks' }).waitFor();
      await page.waitForTimeout(32_000);

      await page.getByLabel('Title').fill('After the token expired');
      await page.getByRole('button', { name: 'Add task' }).click();

      await page.getByRole('heading', { name: 'After the token expired' }).waitFor();
      expect(grants).toEqual(['authorization_code', 'refresh_token']);
      expect(await page.getByRole('button', { name: 'Sign in' }).count()).toBe(0);
      expect(seen.errorResponses).toEqual(['POST /v1/tasks 401']);
      expect(seen.problems).toEqual([]);
    } finally {
      await page.close();
    }
  }, 90_000);
});
