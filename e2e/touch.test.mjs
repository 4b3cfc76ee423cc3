// Touch targets at 360 px (PRODUCT.md: at least 44 px): every link in a list
// (table cards, activity cards, notices) and every way back is measured in
// Chromium, where the layout is real. Also: the dispatch preview opens in view.
//
// Run from this folder:  BASE_URL=http://127.0.0.1:18080 node --test touch.test.mjs

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE_URL, phoneSuite, signedIn } from './phone.mjs';

const suite = phoneSuite('touch');
const LINKS = 'table.list a, table.rotation a, .activity-cards a, .notices li a, a.back';

let measured = 0;

/** Every list and back link on `path` shorter than 44 px, as "path: text (h px)". */
async function short(page, path) {
  const res = await page.goto(`${BASE_URL}${path}`);
  assert.equal(res.status(), 200, path);
  const heights = await page.$$eval(LINKS, (links) =>
    links.filter((a) => a.offsetParent !== null).map((a) => [a.textContent.trim().slice(0, 20), a.getBoundingClientRect().height]));
  measured += heights.length;
  return heights.filter(([, h]) => h < 44).map(([t, h]) => `${path}: ${t} (${h.toFixed(0)} px)`);
}

test('list links and back links are at least 44 px high on a phone', { timeout: 120_000 }, async () => {
  const coordinator = await signedIn(suite.browser, 'coordinator');
  const volunteer = await signedIn(suite.browser, 'volunteer');
  const found = [];
  for (const path of ['/volunteers', '/needs', '/needs/1', '/volunteers/1', '/activities?community_id=', '/activities/1', '/teams', '/teams/1', '/projects', '/projects/1', '/campaigns/1', '/party-orgs', '/dispatch',
    '/dispatch/1/roster', '/dispatch/1/report', '/outbox', '/notifications']) {
    found.push(...(await short(coordinator, path)));
  }
  await coordinator.goto(`${BASE_URL}/volunteers`);
  await coordinator.screenshot({ path: `${suite.shots}01-volunteers-360.png` });
  for (const path of ['/me/hours', '/me/activities', '/volunteers/1/certificate']) {
    found.push(...(await short(volunteer, path)));
  }
  await volunteer.goto(`${BASE_URL}/me/hours`);
  await volunteer.screenshot({ path: `${suite.shots}02-my-hours-360.png`, fullPage: true });
  // A page of the ledger is a few screens, not 17,500 px of forms.
  const tall = await volunteer.evaluate(() => document.documentElement.scrollHeight);
  assert.ok(tall < 6000, `/me/hours is ${tall} px tall at 360 px`);
  assert.ok(measured > 100, `${measured} links measured`);
  assert.deepEqual(found, []);
});

test('the dispatch preview opens in view with the total of its quotas', { timeout: 60_000 }, async () => {
  const page = await signedIn(suite.browser, 'coordinator');
  await page.goto(`${BASE_URL}/dispatch`);
  await page.fill('input[name=title]', '积水清理预览');
  await page.selectOption('select[name=community_id]', { index: 1 });
  const at = (h) => new Date(Date.now() + h * 3_600_000 + 8 * 3_600_000).toISOString().slice(0, 16);
  await page.fill('input[name=starts_at]', at(30));
  await page.fill('input[name=ends_at]', at(33));
  await page.fill('input[name=needed]', '12');
  await page.click('button[value=preview]');
  await page.waitForSelector('#dispatch-preview');
  const box = await page.locator('#dispatch-preview').boundingBox();
  assert.ok(box && box.y >= 0 && box.y < 740, `the preview starts on screen (y = ${box?.y})`);
  assert.match(await page.locator('#quota-total').textContent(), /名额合计 12 人（需要 12 人）/);
  await page.screenshot({ path: `${suite.shots}03-dispatch-preview-360.png` });
});
