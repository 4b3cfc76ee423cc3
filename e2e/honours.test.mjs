// Browser test of 评选表彰 (issue 18): a resident on a phone, with no account,
// opens this year's public notice (公示) and files an objection; the
// coordinator answers it on the round's page, then follows the first
// screen's card to the emergency round whose notice has run out, answers its
// last objection and publishes it; the demo volunteer 张晓静, one of its
// honourees, finds the commendation on her record from her first screen.
//
// Run from this folder:  BASE_URL=http://127.0.0.1:18100 node --test honours.test.mjs

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE_URL, PHONE, api, phoneSuite, signedIn } from './phone.mjs';

const suite = phoneSuite('honours');
const SHOTS = suite.shots;

async function narrow(page, what) {
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 360, `${what}: nothing wider than the phone (${width} px)`);
}

/** Answers (not upheld) the objection `item` on the round page open in `page`. */
async function answer(page, item, finding) {
  await item.locator('textarea[name=finding]').fill(finding);
  await item.locator('button[type=submit]').click();
  await page.waitForURL(/flash=objection_resolved/);
}

test('a resident objects on the public notice; the coordinator answers and publishes; the honouree sees it', async () => {
  const { token } = await api('/api/v1/auth/login', null, { method: 'POST', body: JSON.stringify({ login: 'coordinator', password: 'demo-coordinator' }) });
  const rounds = (await api('/api/v1/honours/rounds', token)).items;
  const now = Date.now();
  const running = rounds.find((r) => r.stage === 'notice' && r.notice_until > now);
  const due = rounds.find((r) => r.stage === 'notice' && r.notice_until <= now);
  assert.ok(running && due, 'the demo has a round on notice and one whose notice ran out');

  // A resident's phone: no account, the public notice, an anonymous objection.
  const resident = await (await suite.browser.newContext(PHONE)).newPage();
  await resident.goto(`${BASE_URL}/honours/${running.id}/notice`);
  assert.ok((await resident.locator('#notice tbody tr').count()) > 0, 'the proposed honourees are listed');
  assert.doesNotMatch(await resident.locator('#notice').innerText(), /1[3-9]\d{9}/, 'no phone on the notice');
  await narrow(resident, 'the notice');
  const reason = `居民反映：该同志的服务记录需核实（${now}）`;
  await resident.fill('#objection-form textarea[name=reason]', reason);
  await resident.screenshot({ path: `${SHOTS}01-notice.png`, fullPage: true });
  await resident.click('#objection-form button[type=submit]');
  await resident.waitForURL(/flash=objection_filed/);

  // The coordinator answers it on the round's page.
  const center = await signedIn(suite.browser, 'coordinator');
  await center.goto(`${BASE_URL}/honours/rounds/${running.id}`);
  await narrow(center, 'the round page');
  await answer(center, center.locator('li.objection', { hasText: reason }), '经走访核实，服务记录真实，异议不成立');
  assert.match(await center.locator('#objections').innerText(), /异议不成立/);
  await center.screenshot({ path: `${SHOTS}02-answered.png`, fullPage: true });

  // The first screen leads to the round whose notice ran out; its last objection answered, it is published.
  await center.goto(`${BASE_URL}/`);
  await center.locator('#home-honours a').first().click();
  await center.waitForURL(new RegExp(`/honours/rounds/${due.id}$`));
  assert.match(await center.locator('#publish-blocked').innerText(), /异议/);
  const open = center.locator('li.objection', { has: center.locator('form.resolve') }).first();
  await answer(center, open, '经核实出勤记录齐全，异议不成立');
  await center.click('#publish');
  await center.waitForURL(/flash=round_published/);
  assert.match(await center.locator('#round-honours').innerText(), /张晓静/);
  await center.screenshot({ path: `${SHOTS}03-published.png`, fullPage: true });

  // The honouree: her first screen says so and leads to the commendation on her record.
  const mine = await signedIn(suite.browser, 'volunteer');
  const card = mine.locator('#home-honours a').first();
  assert.match(await card.innerText(), new RegExp(due.title));
  await card.click();
  await mine.waitForURL(/\/me\/hours#honours$/);
  assert.match(await mine.locator('#honours').innerText(), new RegExp(due.title));
  await narrow(mine, 'her record');
  await mine.screenshot({ path: `${SHOTS}04-honoured.png`, fullPage: true });
});
