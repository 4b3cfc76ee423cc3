// Browser tests for Tongxing's volunteer registry, on a phone-sized screen.
//
// Drives Debian's Chromium (/usr/bin/chromium) through playwright-core against
// a server that is already running at BASE_URL (default http://127.0.0.1:18080),
// started with `tongxing serve --demo`. See README.md in this folder.
//
// Run from this folder:  BASE_URL=http://127.0.0.1:18080 node --test registry.test.mjs

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const BASE_URL = (process.env.BASE_URL || 'http://127.0.0.1:18080').replace(/\/+$/, '');
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
// Its own folder, like every suite's (phone.mjs): emptying the shared parent
// lost other files' screenshots when the suites ran in parallel.
const SCREENSHOTS = fileURLToPath(new URL('./screenshots/registry/', import.meta.url));

const NAV_TIMEOUT = 30_000; // page loads
const ACTION_TIMEOUT = 20_000; // clicks, fills, waits for elements
const TEST_TIMEOUT = 120_000; // one whole test

// What counts as the phone menu's toggle button.
const NAV_TOGGLE = '#nav-toggle, .nav-toggle, [aria-controls="main-nav"], label[for="nav-toggle"]';

const DEMO_LOGIN = 'coordinator';
const DEMO_PASSWORD = 'demo-coordinator';

const LAUNCH_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const PHONE = {
  viewport: { width: 360, height: 740 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
  locale: 'zh-CN',
};

/** @type {import('playwright-core').Browser} */
let browser;

before(async () => {
  await rm(SCREENSHOTS, { recursive: true, force: true });
  await mkdir(SCREENSHOTS, { recursive: true });

  // Fail fast, with a clear message, if there is no server to test.
  let res;
  try {
    res = await fetch(`${BASE_URL}/login`, { signal: AbortSignal.timeout(10_000) });
  } catch (err) {
    throw new Error(`no Tongxing server answers at BASE_URL=${BASE_URL} (${err.cause?.code || err.message}); start one with \`tongxing serve --demo\` first`);
  }
  assert.equal(res.status, 200, `GET ${BASE_URL}/login should answer 200, got ${res.status}`);

  try {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: LAUNCH_ARGS, timeout: 60_000 });
  } catch (err) {
    throw new Error(`could not launch Chromium at ${CHROMIUM}: ${err.message}`);
  }
});

after(async () => {
  await browser?.close();
});

let shotCounter = 0;

/** Saves a full-page screenshot as screenshots/registry/NN-name.png. */
async function shot(page, name) {
  shotCounter += 1;
  const file = `${SCREENSHOTS}${String(shotCounter).padStart(2, '0')}-${name}.png`;
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/**
 * Runs `body` with a page in a fresh phone-sized browser context (own cookies).
 * On failure, saves a screenshot and prints the page's URL and any page errors.
 */
async function onPhone(t, slug, body) {
  const context = await browser.newContext(PHONE);
  context.setDefaultNavigationTimeout(NAV_TIMEOUT);
  context.setDefaultTimeout(ACTION_TIMEOUT);
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !/favicon\.ico$/.test(msg.location().url)) problems.push(`console error: ${msg.text()} (${msg.location().url})`);
  });
  page.on('response', (res) => {
    if (res.status() >= 500) problems.push(`HTTP ${res.status()} from ${res.request().method()} ${res.url()}`);
  });
  try {
    await body(page);
  } catch (err) {
    try {
      const file = await shot(page, `FAILED-${slug}`);
      t.diagnostic(`screenshot of the failure: ${file}`);
    } catch {
      // the page may be gone; the assertion message is what matters
    }
    t.diagnostic(`page URL at failure: ${page.url()}`);
    throw err;
  } finally {
    for (const p of problems) t.diagnostic(p);
    await context.close();
  }
}

function path(page) {
  return new URL(page.url()).pathname;
}

async function htmlLang(page) {
  return page.evaluate(() => document.documentElement.getAttribute('lang'));
}

/** Fills and submits the login form; returns the response to the form's POST. */
async function submitLogin(page, login, password) {
  await page.goto(`${BASE_URL}/login`);
  const form = page.locator('form#login-form');
  await form.waitFor({ state: 'visible' });
  await form.locator('input[name=login]').fill(login);
  await form.locator('input[name=password]').fill(password);
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST' && r.request().frame() === page.mainFrame()),
    form.locator('button[type=submit]').click(),
  ]);
  await page.waitForLoadState('load');
  return response;
}

/** Logs in as the demo coordinator and checks we landed on the home page. */
async function logIn(page) {
  const response = await submitLogin(page, DEMO_LOGIN, DEMO_PASSWORD);
  assert.equal(response.status(), 303, `a successful login should answer 303 See Other, got ${response.status()} from POST ${response.url()}`);
  await page.waitForURL((url) => url.pathname === '/');
  await page.locator('nav#main-nav').waitFor({ state: 'attached' });
  assert.equal(await htmlLang(page), 'zh-CN', 'the home page should be <html lang="zh-CN">');
}

describe('volunteer registry on a phone', { timeout: TEST_TIMEOUT * 5 }, () => {
  test('coordinator logs in on a phone and finds a volunteer by pinyin initials', { timeout: TEST_TIMEOUT }, async (t) => {
    await onPhone(t, 'search', async (page) => {
      await page.goto(`${BASE_URL}/login`);
      await shot(page, 'login-page');
      await logIn(page);
      await shot(page, 'home-after-login');

      await page.goto(`${BASE_URL}/volunteers`);
      assert.equal(path(page), '/volunteers', `GET /volunteers should stay on /volunteers once logged in, ended on ${page.url()}`);
      const search = page.locator('form#volunteer-search input[name=q]');
      await search.waitFor({ state: 'visible' });
      await search.fill('zxj');
      await Promise.all([
        page.waitForURL((url) => url.pathname === '/volunteers' && url.searchParams.get('q') === 'zxj'),
        search.press('Enter'),
      ]).catch((err) => {
        throw new Error(`pressing Enter in the search box should load /volunteers?q=zxj, page is at ${page.url()}: ${err.message}`);
      });
      await page.waitForLoadState('load');

      const rows = page.locator('table#volunteer-list tbody tr');
      const row = rows.filter({ hasText: '张晓静' }).first();
      try {
        await row.waitFor({ state: 'visible' });
      } catch {
        const texts = await rows.allInnerTexts();
        assert.fail(`searching "zxj" should list 张晓静 in table#volunteer-list; got ${texts.length} row(s): ${JSON.stringify(texts)}`);
      }
      await shot(page, 'search-zxj');

      const rowText = await row.innerText();
      assert.match(rowText, /1\d\d\*\*\*\*\d{4}/, `the phone number in the list should be masked like 138****1234; row text: ${JSON.stringify(rowText)}`);

      const link = row.locator('a.volunteer-link').first();
      await link.waitFor({ state: 'visible' });
      await Promise.all([page.waitForURL(/\/volunteers\/\d+$/), link.click()]).catch((err) => {
        throw new Error(`clicking a.volunteer-link should open /volunteers/<id>, page is at ${page.url()}: ${err.message}`);
      });
      const h1 = page.locator('h1').first();
      await h1.waitFor({ state: 'visible' });
      const heading = await h1.innerText();
      assert.ok(heading.includes('张晓静'), `the volunteer page's h1 should contain 张晓静, got ${JSON.stringify(heading)}`);
      await shot(page, 'volunteer-detail');
    });
  });

  test('the page fits a 360-px phone', { timeout: TEST_TIMEOUT }, async (t) => {
    await onPhone(t, 'fits-phone', async (page) => {
      await logIn(page);
      await page.goto(`${BASE_URL}/volunteers`);
      await page.locator('table#volunteer-list').waitFor({ state: 'attached' });
      await shot(page, 'volunteers-360px');

      const { scrollWidth, clientWidth, innerWidth } = await page.evaluate(() => ({
        scrollWidth: document.documentElement.scrollWidth,
        clientWidth: document.documentElement.clientWidth,
        innerWidth: window.innerWidth,
      }));
      assert.ok(
        scrollWidth <= 360,
        `/volunteers should not scroll sideways on a 360-px phone: documentElement.scrollWidth is ${scrollWidth} (clientWidth ${clientWidth}, innerWidth ${innerWidth})`,
      );

      const nav = page.locator('nav#main-nav');
      const toggle = page.locator(NAV_TOGGLE);
      const navVisible = await nav.isVisible();
      const toggleVisible = await toggle.filter({ visible: true }).count() > 0;
      assert.ok(navVisible || toggleVisible, `on a phone either nav#main-nav or a nav toggle (${NAV_TOGGLE}) should be visible`);
    });
  });

  test('wrong password shows an error, not a crash', { timeout: TEST_TIMEOUT }, async (t) => {
    await onPhone(t, 'wrong-password', async (page) => {
      const response = await submitLogin(page, DEMO_LOGIN, 'certainly-not-the-password');
      assert.ok(response.status() < 500, `a wrong password should not be a server error, got HTTP ${response.status()}`);
      await shot(page, 'login-wrong-password');

      assert.equal(path(page), '/login', `after a wrong password the browser should still be on /login, it is on ${page.url()}`);
      const error = page.locator('.form-error, .field-error').filter({ visible: true }).first();
      try {
        await error.waitFor({ state: 'visible' });
      } catch {
        assert.fail('after a wrong password a visible .form-error or .field-error should explain what went wrong');
      }
      const message = (await error.innerText()).trim();
      assert.ok(message.length > 0, 'the login error element should not be empty');
      assert.ok(await page.locator('form#login-form').isVisible(), 'the login form should be shown again after a wrong password');
    });
  });

  test('language switch', { timeout: TEST_TIMEOUT }, async (t) => {
    await onPhone(t, 'language', async (page) => {
      await logIn(page);
      const links = page.locator('a[href*="lang=en"]');
      assert.ok(await links.count() > 0, 'the page should have a language switch link a[href*="lang=en"] (footer or nav)');
      const visibleLinks = links.filter({ visible: true });
      if ((await visibleLinks.count()) === 0) {
        // e.g. only inside a collapsed phone nav: open it first
        const toggle = page.locator(NAV_TOGGLE).filter({ visible: true }).first();
        if ((await toggle.count()) > 0) await toggle.click();
      }
      const link = visibleLinks.first();
      try {
        await link.waitFor({ state: 'visible' });
      } catch {
        assert.fail('a language switch link a[href*="lang=en"] exists but none is visible (not even after opening the nav)');
      }
      await link.click();
      try {
        await page.locator('html[lang="en"]').waitFor({ state: 'attached' });
      } catch {
        assert.fail(`after clicking the English link the page should be <html lang="en">, it is lang=${JSON.stringify(await htmlLang(page))} at ${page.url()}`);
      }
      await page.waitForLoadState('load');
      await shot(page, 'language-en');
    });
  });
});
