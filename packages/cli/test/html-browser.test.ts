import { existsSync, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { duban, tempDir } from './helpers';

/**
 * The HTML report opened in a real browser: Debian's chromium, driven by playwright-core. Without
 * chromium this suite is skipped with one line on stderr — unless CI is set, where it must run.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const present = existsSync(CHROMIUM);
const ci = ['true', '1', 'yes'].includes((process.env.CI ?? '').toLowerCase());
if (!present && !ci)
  process.stderr.write(
    `skipped: the HTML report browser test needs ${CHROMIUM} (apt-get install -y chromium)\n`,
  );
const describeInBrowser = present || ci ? describe : describe.skip;

describeInBrowser('the HTML report in headless Chromium', () => {
  let browser: Browser;
  let dir: string;
  let report: string;

  beforeAll(async () => {
    if (!present)
      throw new Error(`CI is set but ${CHROMIUM} is missing: install it with apt-get install -y chromium`);
    dir = tempDir('duban-report-');
    const r = await duban(['demo', '--units', '8', '--tasks', '16', '--out', '.'], { cwd: dir });
    expect(r.code).toBe(0);
    report = path.join(dir, 'report.html');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-quic',
        '--no-first-run',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('shows the ranking rows and the bar chart, loads nothing from outside, and saves a screenshot', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1600 } });
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    await page.goto(`file://${report}`);

    const json = await duban(['report', 'history.ndjson', '--quarter', '2022Q1', '--format', 'json'], {
      cwd: dir,
    });
    const ranking = (
      JSON.parse(json.stdout) as { ranking: Array<{ unitId: string; rank: number; score: number }> }
    ).ranking;
    expect(ranking.length).toBeGreaterThanOrEqual(4);

    const rows = page.locator('table.ranking[data-quarter="2022Q1"] tbody tr');
    expect(await rows.count()).toBe(ranking.length);
    expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-unit')))).toEqual(
      ranking.map((s) => s.unitId),
    );
    expect((await rows.first().locator('td.score').innerText()).trim()).toBe(ranking[0]!.score.toFixed(2));
    await expect(rows.first().isVisible()).resolves.toBe(true);

    const bars = page.locator('svg.bar-chart[data-quarter="2022Q1"] rect.bar');
    expect(await bars.count()).toBe(ranking.length);
    const widths = await bars.evaluateAll((rects) =>
      rects.map((r) => (r as unknown as { getBBox(): { width: number } }).getBBox().width),
    );
    expect(widths.every((w) => w > 0)).toBe(true);
    // longest bar first: the chart is drawn in rank order
    expect(widths[0]).toBeGreaterThanOrEqual(widths.at(-1)!);
    const chart = await page.locator('svg.bar-chart[data-quarter="2022Q1"]').boundingBox();
    expect(chart!.width).toBeGreaterThan(200);

    // one trend line per ranked unit, and the previous quarter's ranking too
    expect(await page.locator('svg.trend-chart g.trend-line').count()).toBeGreaterThanOrEqual(ranking.length);
    expect(await page.locator('table.ranking[data-quarter="2021Q4"] tbody tr').count()).toBeGreaterThan(0);

    // Chinese labels beside English
    await expect(page.locator('h1').innerText()).resolves.toContain('督办季度通报');
    await expect(page.locator('h1').innerText()).resolves.toContain('Duban quarterly report');

    const screenshots = tempDir('duban-report-screenshot-');
    const shot = path.join(screenshots, 'report-2022Q1.png');
    await page.screenshot({ path: shot });
    expect((await fs.stat(shot)).size).toBeGreaterThan(10_000);

    expect(requests.filter((url) => !url.startsWith('file:') && !url.startsWith('data:'))).toEqual([]);
    await page.close();
  });

  it('links each task to its timeline', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(`file://${report}`);
    const link = page.locator('table.board a[href^="#task-"]').first();
    const href = await link.getAttribute('href');
    await link.click();
    expect(new URL(page.url()).hash).toBe(href);
    const target = page.locator(`section.timeline${href}`);
    await expect(target.isVisible()).resolves.toBe(true);
    expect(await target.locator('table.events tbody tr').count()).toBeGreaterThan(2);
    // every board link has its target
    // every in-page link has its target (evaluated in the page, where `document` exists)
    const missing = await page.evaluate(
      `[...document.querySelectorAll('a[href^="#"]')].map((a) => a.getAttribute('href').slice(1)).filter((id) => id !== '' && !document.getElementById(id))`,
    );
    expect(missing).toEqual([]);
    await page.close();
  });
});
