// Browser test of 爱心守护 (issue 15) on a phone-sized screen: the demo
// volunteer 张晓静 opens the pair due soonest from her first screen, logs an
// in-person visit with a concern in a few taps, turns the concern into a need
// in one tap; then the coordinator opens the same pair and sees its next due
// day moved forward.
//
// Run from this folder:  BASE_URL=http://127.0.0.1:18100 node --test care.test.mjs

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE_URL, phoneSuite, signedIn } from './phone.mjs';

const suite = phoneSuite('care');
const SHOTS = suite.shots;

test('a volunteer logs a visit with a concern, turns it into a need, and the coordinator sees the due date move', async () => {
  const page = await signedIn(suite.browser, 'volunteer');
  await page.screenshot({ path: `${SHOTS}01-home.png`, fullPage: true });
  const first = page.locator('#home-care .items a').first();
  assert.ok((await first.count()) > 0, 'her pairs are on her first screen');
  const box = await first.boundingBox();
  assert.ok(box.height >= 44, `a pair is a touch target (${box.height} px)`);
  await first.click();
  await page.waitForURL(/\/care\/pairs\/\d+$/);
  const pairUrl = page.url();
  const before = (await page.locator('#care-next-due').innerText()).trim();

  // Five hours ago (region time, UTC+8): other browser tests running beside this one check the
  // same volunteer in to activities happening now, and a visit may not overlap a session.
  await page.fill('#f-visited_at', new Date(Date.now() - 5 * 3600_000 + 8 * 3600_000).toISOString().slice(0, 16));
  await page.fill('#f-minutes', '50');
  await page.check('input[name=mode][value=in_person]');
  await page.fill('#f-notes', '陪老人聊天，量了血压');
  await page.fill('#f-concern', '家里暖气不热');
  const submit = await page.locator('#care-log-submit').boundingBox();
  assert.ok(submit.height >= 44, `the log button is a touch target (${submit.height} px)`);
  await page.screenshot({ path: `${SHOTS}02-form.png`, fullPage: true });
  await page.click('#care-log-submit');
  await page.waitForURL(/flash=care_visit_logged/);
  assert.match(await page.locator('#care-visits').innerText(), /家里暖气不热/);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 360, `nothing wider than the phone (${width} px)`);

  await page.locator('.care-to-need').first().click();
  await page.waitForURL(/flash=care_need_made/);
  await page.screenshot({ path: `${SHOTS}03-need.png`, fullPage: true });

  const center = await signedIn(suite.browser, 'coordinator');
  await center.goto(pairUrl);
  const after = (await center.locator('#care-next-due').innerText()).trim();
  assert.ok(after > before, `the due date moved forward (${before} → ${after})`);
  await center.screenshot({ path: `${SHOTS}04-coordinator.png`, fullPage: true });
});
