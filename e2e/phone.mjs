// What the browser tests share: the server under test, Debian's Chromium on a
// phone-sized screen, the JSON API with a bearer token, and a signed-in page.

import assert from 'node:assert/strict';
import { mkdir, rm } from 'node:fs/promises';
import { after, before } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const BASE_URL = (process.env.BASE_URL || 'http://127.0.0.1:18080').replace(/\/+$/, '');
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const PHONE = { viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN' };
const ARGS = ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export function launch() {
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS });
}

/** Calls the API, failing the test on an error status; returns the JSON body. */
export async function api(path, token, init = {}) {
  const res = await fetch(`${BASE_URL}${path}`, { ...init, headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) } });
  assert.ok(res.ok, `${path} answered ${res.status}`);
  return res.status === 204 ? null : res.json();
}

/** A new phone (its own cookies) signed in as a demo login (password `demo-<login>`). */
export async function signedIn(browser, login) {
  const page = await (await browser.newContext(PHONE)).newPage();
  page.setDefaultTimeout(20_000);
  await page.goto(`${BASE_URL}/login`);
  await page.fill('input[name=login]', login);
  await page.fill('input[name=password]', `demo-${login}`);
  await page.click('#login-form button[type=submit]');
  await page.waitForURL(`${BASE_URL}/`);
  return page;
}

/**
 * Registers the set-up of a test file: an emptied screenshot folder
 * `screenshots/<name>/` and one browser. Returns { browser, shots } (browser
 * set once `before` has run).
 */
export function phoneSuite(name) {
  const suite = { browser: null, shots: fileURLToPath(new URL(`./screenshots/${name}/`, import.meta.url)) };
  before(async () => {
    await rm(suite.shots, { recursive: true, force: true });
    await mkdir(suite.shots, { recursive: true });
    suite.browser = await launch();
  });
  after(async () => {
    await suite.browser?.close();
  });
  return suite;
}
