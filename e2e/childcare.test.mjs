// Browser test of 子女照辅班 (issue 16) on a phone-sized screen: the center
// opens a term around today with a class headed by the demo volunteer
// (张晓静); a guardian enrols a child on the public form without an account
// and keeps the code; the head follows her first screen's card to today's
// day sheet, checks the child in and out (a stranger is refused at
// check-out); the guardian opens her page with the code and her mobile and
// sees the day — no other child's — and reports an absence (请假) for the
// next class day.
//
// Run from this folder:  BASE_URL=http://127.0.0.1:18080 node --test childcare.test.mjs

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE_URL, PHONE, api, phoneSuite, signedIn } from './phone.mjs';

const suite = phoneSuite('childcare');
const SHOTS = suite.shots;

const ymd = (d) => d.toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });

async function classAroundToday() {
  const { token } = await api('/api/v1/auth/login', null, { method: 'POST', body: JSON.stringify({ login: 'coordinator', password: 'demo-coordinator' }) });
  const now = new Date();
  const run = `e2e ${now.getTime()}`;
  const term = await api('/api/v1/childcare/terms', token, {
    method: 'POST',
    body: JSON.stringify({ name: run, starts_on: ymd(now), ends_on: ymd(new Date(now.getTime() + 20 * 86_400_000)) }),
  });
  const zhang = (await api(`/api/v1/volunteers?q=${encodeURIComponent('张晓静')}`, token)).items[0];
  const communities = (await api('/api/v1/communities', token)).items;
  const k = await api('/api/v1/childcare/classes', token, {
    method: 'POST',
    body: JSON.stringify({ term_id: term.id, name: `${run} 照辅班`, community_id: communities[0].id, min_age: 5, max_age: 12, capacity: 30,
      children_per_caretaker: 10, daily_from: '00:00', daily_to: '23:59', head_volunteer_id: zhang.id }),
  });
  return k.id;
}

test('a guardian enrols, the head checks the child in and out, and the guardian sees the day', async () => {
  const classId = await classAroundToday();
  const guardian = await (await suite.browser.newContext(PHONE)).newPage();
  guardian.setDefaultTimeout(20_000);
  await guardian.goto(`${BASE_URL}/childcare/enrol/${classId}`);
  await guardian.fill('input[name=child_name]', '王小雨');
  await guardian.fill('input[name=birth_date]', '2017-05-01');
  await guardian.fill('input[name=guardian_name]', '王建国');
  const phone = `139${String(Date.now()).slice(-8)}`;
  await guardian.fill('input[name=guardian_phone]', phone);
  await guardian.fill('input[name=pickup1_name]', '王建国');
  await guardian.fill('input[name=pickup1_relation]', '父亲');
  await guardian.fill('input[name=pickup1_phone]', phone);
  await guardian.check('input[name=consent]');
  await guardian.screenshot({ path: `${SHOTS}01-form.png`, fullPage: true });
  await guardian.click('#childcare-enrol button[type=submit]');
  const code = (await guardian.locator('#childcare-code').innerText()).trim();
  assert.match(code, /^ZF/);
  await guardian.screenshot({ path: `${SHOTS}02-enrolled.png`, fullPage: true });

  const head = await signedIn(suite.browser, 'volunteer');
  const card = head.locator('#home-childcare a').first();
  assert.ok((await card.boundingBox()).height >= 44, 'the card is a touch target');
  await head.goto(`${BASE_URL}/childcare/classes/${classId}/days/${ymd(new Date())}`);
  await head.screenshot({ path: `${SHOTS}03-sheet.png`, fullPage: true });
  // Finding a child at the door: the box filters the class's cards by name.
  await head.fill('#childcare-find', '没有这个孩子');
  assert.equal(await head.locator('.child-day', { hasText: '王小雨' }).isVisible(), false);
  await head.fill('#childcare-find', '小雨');
  assert.equal(await head.locator('.child-day', { hasText: '王小雨' }).isVisible(), true);
  const weekday = ![0, 6].includes(new Date(new Date().toLocaleString('en-US', { timeZone: 'Asia/Shanghai' })).getDay());
  if (weekday) {
    const child = head.locator('.child-day', { hasText: '王小雨' });
    await child.locator('input[name=by_name]').fill('王建国');
    await child.locator('form.door button[type=submit]').click();
    await head.waitForURL(/flash=saved/);
    const again = head.locator('.child-day', { hasText: '王小雨' });
    await again.locator('input[name=by_name]').fill('张三');
    await again.locator('form.door button[type=submit]').click();
    assert.match(await head.locator('#childcare-door-error').innerText(), /授权接送/, 'a stranger is refused');
    await head.locator('.child-day', { hasText: '王小雨' }).locator('input[name=by_name]').fill('王建国');
    await head.locator('.child-day', { hasText: '王小雨' }).locator('form.door button[type=submit]').click();
    await head.waitForURL(/flash=saved/);
    await head.screenshot({ path: `${SHOTS}04-out.png`, fullPage: true });
  }
  const width = await head.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 360, `nothing wider than the phone (${width} px)`);

  await guardian.goto(`${BASE_URL}/childcare/mine`);
  await guardian.fill('input[name=code]', code);
  await guardian.fill('input[name=phone]', phone);
  await guardian.click('#childcare-lookup button[type=submit]');
  const today = await guardian.locator('#childcare-today').innerText();
  if (weekday) assert.match(today, /王建国/, 'who brought and took the child');
  assert.match(await guardian.locator('#childcare-mine').innerText(), /王小雨/);
  await guardian.screenshot({ path: `${SHOTS}05-mine.png`, fullPage: true });

  // 请假 for the next class day, from the same page: recorded and listed.
  const next = new Date(Date.now() + 86_400_000);
  while ([0, 6].includes(new Date(next.toLocaleString('en-US', { timeZone: 'Asia/Shanghai' })).getDay())) next.setTime(next.getTime() + 86_400_000);
  await guardian.fill('#childcare-absence input[name=date]', ymd(next));
  await guardian.fill('#childcare-absence input[name=reason]', '去医院复查');
  await guardian.click('#childcare-absence button[type=submit]');
  assert.match(await guardian.locator('#childcare-mine-notice').innerText(), /请假已登记/);
  assert.match(await guardian.locator('#childcare-absence').innerText(), new RegExp(ymd(next)));
  const wide = await guardian.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(wide <= 360, `the guardian's page fits the phone (${wide} px)`);
  await guardian.screenshot({ path: `${SHOTS}06-absence.png`, fullPage: true });
});
