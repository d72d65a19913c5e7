import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test, type TestContext } from 'node:test';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { CLI_MAIN, readJson, runCli, tempDir, writeFile } from './support/helpers';
import { ENDLESS_SOUP } from './support/dashboard';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** A running `srnn …` that serves a dashboard. */
interface Served {
  readonly child: ChildProcess;
  readonly url: string;
  stdout: string;
  stderr: string;
  readonly exited: Promise<number | null>;
}

function serve(args: readonly string[], cwd: string): Promise<Served> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_MAIN, ...args], { cwd, env: { ...process.env, SRNN_DEBUG: '' } });
    const exited = new Promise<number | null>((done) => child.on('exit', (status) => done(status)));
    const served = { child, url: '', stdout: '', stderr: '', exited };
    child.stdout.on('data', (chunk: Buffer) => {
      served.stdout += chunk.toString();
      const url = /dashboard: (http:\/\/127\.0\.0\.1:\d+\/)\n/.exec(served.stdout)?.[1];
      if (url && !served.url) resolve(Object.assign(served, { url }));
    });
    child.stderr.on('data', (chunk: Buffer) => (served.stderr += chunk.toString()));
    void exited.then((status) => reject(new Error(`srnn exited ${status} before serving a dashboard:\n${served.stdout}\n${served.stderr}`)));
  });
}

/** Polls `read` until `ok` holds of its value (at most `ms`), returns the value. */
async function until<T>(read: () => Promise<T>, ok: (value: T) => boolean, what: string, ms = 45_000): Promise<T> {
  const end = performance.now() + ms;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (performance.now() > end) throw new Error(`${what}: still ${JSON.stringify(value)} after ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The data points a chart shows (its data-points: censuses, particles, trajectories); 0 while there is none (or the page navigates). */
const points = (page: Page, id: string) => page.$eval(`#${id}`, (element) => Number((element as unknown as { dataset: Record<string, string | undefined> }).dataset.points ?? 0)).catch(() => 0);
const done = async (page: Page) => Number(await page.textContent('#done'));
const status = async (page: Page) => (await page.textContent('#status')) ?? '';

describe('the dashboard in a browser (Debian chromium, headless)', { skip: !existsSync(CHROMIUM) && `no ${CHROMIUM} (apt-get install -y chromium)` }, () => {
  let browser: BrowserContext;
  let dir: string;
  let live: Served;
  const errors = new Map<Page, string[]>();

  /** A page at `url` whose console errors and uncaught exceptions are collected. */
  async function open(url: string): Promise<Page> {
    const page = await browser.newPage();
    const list: string[] = [];
    errors.set(page, list);
    page.on('console', (message) => message.type() === 'error' && list.push(message.text()));
    page.on('pageerror', (error) => list.push(error.message));
    await page.goto(url);
    return page;
  }

  /** Runs `body`; on failure saves a screenshot of `page` and prints its path. */
  async function shooting(t: TestContext, page: () => Page | undefined, body: () => Promise<void>): Promise<void> {
    try {
      await body();
    } catch (error) {
      const shown = page();
      if (shown) {
        const path = join(tmpdir(), `srnn-dashboard-${t.name.replace(/\W+/g, '-').slice(0, 60)}-${process.pid}.png`);
        await shown.screenshot({ path, fullPage: true }).catch(() => undefined);
        process.stderr.write(`dashboard test failed: screenshot ${path}\n`);
        t.diagnostic(`screenshot: ${path}`);
      }
      throw error;
    }
  }

  before(async () => {
    dir = tempDir('srnn-dashboard-browser-');
    writeFile(dir, 'endless.yaml', ENDLESS_SOUP);
    browser = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'srnn-chromium-')), {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1300, height: 1000 },
    });
    live = await serve(['run', 'endless.yaml', '--out', 'results/endless', '--dashboard', '0'], dir);
  });

  after(async () => {
    await browser?.close();
    if (live && live.child.exitCode === null) {
      live.child.kill('SIGINT');
      await live.exited;
    }
  });

  let first: Page | undefined;

  test('the page loads without console errors; the census chart gains points as epochs pass', async (t) => {
    await shooting(
      t,
      () => first,
      async () => {
        first = await open(live.url);
        const before = await until(
          () => points(first!, 'census'),
          (n) => n > 5,
          'census points',
        );
        await until(
          () => points(first!, 'census'),
          (n) => n > before,
          'more census points',
        );
        await until(
          () => points(first!, 'pca'),
          (n) => n > 0,
          'PCA points',
        );
        await until(
          () => points(first!, 'interactions'),
          (n) => n > 0,
          'interactions',
        );
        assert.deepEqual(errors.get(first!), []);
      },
    );
  });

  test('pause stops the epoch counter, resume restarts it', async (t) => {
    await shooting(
      t,
      () => first,
      async () => {
        const page = first!;
        await page.click('#pause');
        await until(
          () => status(page),
          (s) => s === 'paused',
          'status',
        );
        const held = await until(
          async () => [await done(page), await new Promise<number>((resolve) => setTimeout(() => void done(page).then(resolve), 600))],
          ([a, b]) => a === b,
          'paused epochs',
        );
        await new Promise((resolve) => setTimeout(resolve, 700));
        assert.equal(await done(page), held[0], 'no epoch while paused');
        await page.click('#resume');
        await until(
          () => done(page),
          (n) => n > held[0],
          'epochs after resume',
        );
        assert.equal(await status(page), 'running');
      },
    );
  });

  test('a page that connects late shows the history', async (t) => {
    let late: Page | undefined;
    await shooting(
      t,
      () => late,
      async () => {
        late = await open(live.url);
        const shown = await until(
          () => points(late!, 'census'),
          (n) => n > 0,
          'census points of the late page',
        );
        const steps = await late.evaluate(() => (globalThis as unknown as { dashboard: { state: { census: { step: number[] } } } }).dashboard.state.census.step.slice(0, 3));
        assert.deepEqual(steps, [0, 10, 20], 'from the first census on');
        assert.ok(shown >= 10, `${shown} censuses so far`);
        assert.deepEqual(errors.get(late), []);
        await late.close();
      },
    );
  });

  test('stop ends the run cleanly: a complete results directory, the page shows the final state', async (t) => {
    await shooting(
      t,
      () => first,
      async () => {
        const page = first!;
        await page.click('#stop');
        await until(
          () => status(page),
          (s) => s === 'stopped',
          'status',
        );
        await until(
          async () => live.stdout,
          (out) => out.includes('shows it until Ctrl-C'),
          'srnn says the run has ended',
        );
        assert.match(live.stdout, /stopped from the dashboard after \d+ of 10000000; census after/);
        const out = join(dir, 'results', 'endless');
        for (const file of ['census.csv', 'summary.json', 'weights.json', 'snapshots.json', 'snapshots.f32', 'census-over-time.png']) assert.ok(existsSync(join(out, file)), file);
        assert.ok(readJson<{ stopped?: unknown }>(join(out, 'summary.json')).stopped);
        assert.equal(await page.isDisabled('#stop'), true);
        assert.deepEqual(errors.get(page), []);
        live.child.kill('SIGINT');
        assert.equal(await live.exited, 130);
      },
    );
  });

  test('a finished results directory renders: `srnn dashboard <dir>`, a sweep and its runs', async (t) => {
    let page: Page | undefined;
    const finished = await serve(['dashboard', join('results', 'endless')], dir);
    try {
      await shooting(
        t,
        () => page,
        async () => {
          page = await open(finished.url);
          await until(
            () => status(page!),
            (s) => s === 'stopped',
            'status',
          );
          assert.ok((await points(page, 'census')) > 0);
          await until(
            () => points(page!, 'pca'),
            (n) => n > 0,
            'PCA points',
          );
          await until(
            () => points(page!, 'trajectories'),
            (n) => n > 0,
            'trajectories',
          );
          assert.equal(await page.isHidden('#controls'), true, 'no controls for a finished run');
          assert.deepEqual(errors.get(page), []);
        },
      );
    } finally {
      finished.child.kill('SIGINT');
      await finished.exited;
    }
    writeFile(dir, 'sweep.yaml', ENDLESS_SOUP.replace('epochs: 10000000', 'epochs: 30') + 'sweep: { experiment.censusEvery: [5, 10] }\n');
    const swept = runCli(['run', 'sweep.yaml', '--out', 'results/sweep'], dir);
    assert.equal(swept.status, 0, swept.stderr);
    const sweep = await serve(['dashboard', join('results', 'sweep')], dir);
    try {
      await shooting(
        t,
        () => page,
        async () => {
          page = await open(sweep.url);
          await until(
            () => page!.$$eval('#summary tbody tr', (rows) => rows.length),
            (n) => n === 2,
            'combinations',
          );
          await page.click('#runs tbody tr:first-child a');
          await until(
            () => points(page!, 'census'),
            (n) => n > 0,
            'census of a run of the sweep',
          );
          assert.deepEqual(errors.get(page), []);
        },
      );
    } finally {
      sweep.child.kill('SIGINT');
      await sweep.exited;
    }
  });
});
