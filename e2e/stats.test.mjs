// Browser test of the leadership dashboard (issue 17) at 360 px and 1366 px:
// the demo's read-only leader (viewer) opens it from her first screen, sees
// its charts, changes the period and sees the figures change, then opens a
// bar's rows. Screenshots in screenshots/stats/.
//
// Run from this folder:  BASE_URL=http://127.0.0.1:18080 node --test stats.test.mjs

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE_URL, phoneSuite, signedIn } from './phone.mjs';

const suite = phoneSuite('stats');
const SHOTS = suite.shots;
const DESKTOP = { viewport: { width: 1366, height: 900 }, locale: 'zh-CN' };

async function figure(page, key) {
  return (await page.locator(`#figure-${key} strong`).innerText()).trim();
}

test('a leader reads the dashboard on a phone and a desktop, filters it and drills into a bar', { timeout: 120_000 }, async () => {
  const page = await signedIn(suite.browser, 'viewer');
  await page.click('#home-dashboard a');
  await page.waitForURL(/\/stats/);
  assert.ok((await page.locator('.chart-drawing svg').count()) >= 4, 'the charts are drawn');
  assert.equal(await figure(page, 'teams'), '76', 'the seed\'s 76 teams');
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 360, `nothing wider than the phone (${width} px)`);
  await page.screenshot({ path: `${SHOTS}1-dashboard-360.png`, fullPage: true });

  const desktop = await (await suite.browser.newContext({ ...DESKTOP, storageState: await page.context().storageState() })).newPage();
  await desktop.goto(`${BASE_URL}/stats`);
  await desktop.screenshot({ path: `${SHOTS}2-dashboard-1366.png`, fullPage: true });

  const yearly = await figure(page, 'activities');
  await page.selectOption('#stats-filters select[name=period]', 'month');
  await page.click('#stats-filters button[type=submit]');
  await page.waitForURL(/period=month/);
  assert.notEqual(await figure(page, 'activities'), yearly, 'the month shows other figures than the year');

  await page.goto(`${BASE_URL}/stats`);
  const bar = page.locator('#chart-hours_by_team tbody a').first();
  const team = (await bar.innerText()).trim();
  await bar.click();
  await page.waitForURL(/\/stats\/lines/);
  assert.ok(Number(await page.locator('#lines-total').innerText()) > 0, 'the bar has rows behind it');
  assert.match(await page.locator('#stats-lines tbody tr').first().innerText(), new RegExp(team), 'the team\'s rows');
  await page.screenshot({ path: `${SHOTS}3-lines-360.png`, fullPage: true });
});
