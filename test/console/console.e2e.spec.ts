import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startServiceProcess, type ServiceProcess } from '../support/service-process.js';
import { makeTempDir } from '../support/temp-dir.js';
import { eventually } from '../support/test-timing.js';
import { browserAvailability, launchChromium } from './browser.js';
import { apiClient, driveScenario, type ConsoleScenario } from './console-scenario.js';

const TOKEN = 'console-admin-token-0123456789';
const ARTIFACTS = join(process.cwd(), 'test-artifacts', 'console');
const LAPTOP = { width: 1366, height: 768 };
const PHONE = { width: 390, height: 844 };

const browser = browserAvailability();
if ('skip' in browser) console.log(`console.e2e.spec.ts skipped: ${browser.skip}`);
// Skipped only where no chromium binary exists (a developer machine); .ci/run installs chromium
// and sets REQUIRE_BROWSER=1, which turns a missing browser into a failure (browser.ts).
const describeWithBrowser = 'skip' in browser ? describe.skip : describe;

/** The real service (a child process, as `npm start` runs it) and Debian's chromium. */
describeWithBrowser('operator console in a real browser', () => {
  const dir = makeTempDir('shotclock-console-');
  let service: ServiceProcess;
  let chromium: Browser;
  let page: Page;
  let scenario: ConsoleScenario;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    service = await startServiceProcess({
      ADMIN_TOKEN: TOKEN,
      SQLITE_PATH: join(dir.path, 'console.sqlite'),
    });
    scenario = await driveScenario(apiClient(service.baseUrl, TOKEN));
    chromium = await launchChromium((browser as { path: string }).path);
    // UTC, so the page's "today" is the scenario's game date.
    const context = await chromium.newContext({ viewport: LAPTOP, timezoneId: 'UTC' });
    page = await context.newPage();
    page.setDefaultTimeout(10_000);
    page.on('pageerror', (error) => pageErrors.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      // 401s before the token and the optional activity route's 404 are logged by the browser
      // as failed loads; the page reports real failures in its status line, checked per view.
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource'))
        pageErrors.push(`console error: ${message.text()}`);
    });
  });

  afterAll(async () => {
    await chromium?.close();
    if (service) {
      service.child.kill('SIGTERM');
      await service.exited;
    }
    dir.cleanup();
  });

  async function openTab(name: string) {
    await page.getByRole('tab', { name }).click();
    await page.getByRole('tab', { name, selected: true }).waitFor();
  }

  /** The status line says when the view last read the API, and names nothing that failed. */
  async function expectViewLoaded() {
    const status = page.getByTestId('status-line');
    await status.getByText(/updated \d\d:\d\d:\d\d/).waitFor();
    expect(await status.textContent()).not.toContain('failed:');
  }

  async function screenshot(name: string) {
    const path = join(ARTIFACTS, `${name}.png`);
    await page.screenshot({ path, fullPage: true });
    return path;
  }

  it('serves the page with its security headers, and asks for the token when the API refuses', async () => {
    const response = await page.goto(`${service.baseUrl}/console`);
    expect(response?.status()).toBe(200);
    const headers = response!.headers();
    expect(headers['content-security-policy']).toMatch(
      /default-src 'self'; script-src 'self' 'sha256-/,
    );
    expect(headers['content-security-policy']).toContain("connect-src 'self'");
    expect(headers['x-content-type-options']).toBe('nosniff');

    const tokenField = page.getByLabel('Admin token', { exact: true });
    await tokenField.waitFor();
    await tokenField.fill(TOKEN);
    await page.getByRole('button', { name: 'Use token' }).click();
    await tokenField.waitFor({ state: 'detached' });
    expect(await page.locator('body').innerText()).not.toContain(TOKEN);
  });

  it('Today lists the missing processor and counts the deadline down every second', async () => {
    const missingRow = page.getByRole('row').filter({ hasText: scenario.missingProcessor });
    await missingRow.getByText('missing', { exact: true }).waitFor();
    const countdown = page.getByTestId('countdown');
    const first = await countdown.textContent();
    expect(first).toMatch(/^in \d+:\d\d/);
    // Polls for a change (the page ticks every second): no fixed sleep.
    await eventually(
      async () => (await countdown.textContent()) !== first,
      'the countdown to move',
      2500,
    );
    expect(await countdown.textContent()).toMatch(/^in \d+:\d\d/);
    await expectViewLoaded();
    await screenshot('today-laptop');
    await page.setViewportSize(PHONE);
    await screenshot('today-phone');
    await page.setViewportSize(LAPTOP);
  });

  it('triggers phase 3 by hand only with a reason and a confirmation, then shows manual', async () => {
    await page.getByRole('button', { name: 'Trigger phase 3' }).click();
    const reason = page.getByLabel(/Reason for triggering phase 3/);
    await page.getByRole('button', { name: 'Continue' }).click();
    // An empty reason is refused by the form: no confirmation step yet.
    expect(await page.getByRole('button', { name: 'Confirm trigger' }).count()).toBe(0);
    await reason.fill('boxscores processor down; triggering from the console test');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('button', { name: 'Confirm trigger' }).click();
    await page
      .getByRole('status', { name: 'Trigger outcome' })
      .getByText(/triggered \(manual\)/)
      .waitFor();
    await page.getByTestId('trigger-reason').getByText('manual', { exact: true }).waitFor();
    await screenshot('today-triggered-laptop');
  });

  it('Batches shows the running batch at 60% on a progressbar', async () => {
    await openTab('Batches');
    const bar = page.getByRole('progressbar', { name: new RegExp(scenario.batchId) });
    await bar.waitFor();
    expect(await bar.getAttribute('aria-valuenow')).toBe('60');
    await page
      .getByRole('button', { name: /Missing players \(2\)/ })
      .first()
      .click();
    await page.getByRole('cell', { name: 'p-05' }).waitFor();
    await expectViewLoaded();
    await screenshot('batches-laptop');
  });

  it('Ingestion replays the quarantined message and shows the outcome', async () => {
    await openTab('Ingestion');
    await page.getByRole('button', { name: `Details of ${scenario.quarantinedMessageId}` }).click();
    await page.getByRole('button', { name: 'Replay' }).click();
    const outcome = page.getByRole('status', { name: 'Replay outcome' });
    await outcome.getByText(/Replay of .+: still_failing/).waitFor();
    await page.getByText(/Shotclock does not see Pub\/Sub's dead-letter topic/).waitFor();
    await expectViewLoaded();
    await screenshot('ingestion-laptop');
  });

  it.each([
    ['Workflows', 'Decisions by workflow and hour'],
    ['Cost', 'Cost per named query over the range'],
    ['Health', 'Projections and reactions'],
  ])('%s renders its data without an error', async (tab, region) => {
    await openTab(tab);
    await page.getByRole('region', { name: region }).waitFor();
    await expectViewLoaded();
    await screenshot(`${tab.toLowerCase()}-laptop`);
  });

  it('raised no script error and no Content-Security-Policy violation', () => {
    expect(pageErrors).toEqual([]);
  });
});
