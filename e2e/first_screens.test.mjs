// Browser test of each role's first screen (issue #13 §1) on a 360-px phone:
// each demo login signs in, the first screen shows that role's work (the
// leader the claimable need the test just published, the volunteer the
// activity they just signed up for, the observer the need just reported in
// their community), no action the role may not take is offered, and every
// link and button on it is a 44-px touch target. Each screen is also kept at
// 360 px and 1366 px in screenshots/first-screens/ (committed).
//
// Run from this folder:  BASE_URL=http://127.0.0.1:18080 node --test first_screens.test.mjs

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE_URL, PHONE, api, phoneSuite, signedIn } from './phone.mjs';

const suite = phoneSuite('first-screens');
const DESKTOP = { viewport: { width: 1366, height: 900 }, locale: 'zh-CN' };
const STAMP = String(Date.now()).slice(-6);
// Offered only to the center: the dispatch form, new teams, deliveries.
const CENTER_ONLY = ['#dispatch-form', 'a[href="/teams/new"]', 'a[href^="/outbox"]'];

async function token(login) {
  return (await api('/api/v1/auth/login', null, { method: 'POST', body: JSON.stringify({ login, password: `demo-${login}` }) })).token;
}

/** Submits a need as a resident and publishes it as the coordinator; returns its title. */
async function publishedNeed(title, category, communityId) {
  const need = await api('/api/v1/needs', null, { method: 'POST', body: JSON.stringify({ title, description: '浏览器测试提交的需求', category,
    community_id: communityId, requester_name: '王大爷', requester_phone: `139${STAMP}${String(Math.floor(Math.random() * 100)).padStart(2, '0')}` }) });
  await api(`/api/v1/needs/${need.id}/review`, await token('coordinator'), { method: 'POST', body: JSON.stringify({ decision: 'publish' }) });
  return need.id;
}

/** Fails unless every link and button in the page's main part is at least 44 px tall. */
async function assertTouchTargets(page, role) {
  const small = await page.$$eval('main a, main button', (els) => els
    .filter((e) => e.offsetParent !== null)
    .map((e) => ({ text: e.textContent.trim().slice(0, 30), h: e.getBoundingClientRect().height }))
    .filter((e) => e.h < 44));
  assert.deepEqual(small, [], `${role}: touch targets under 44 px`);
}

async function assertNone(page, selectors, role) {
  for (const s of selectors) {
    assert.equal(await page.locator(s).count(), 0, `${role}'s first screen offers ${s}`);
  }
}

/** Screenshots of the first screen at 360 px (this page) and 1366 px (a new desktop window, same cookies). */
async function shots(page, name) {
  await page.screenshot({ path: `${suite.shots}${name}-360.png`, fullPage: true });
  const desktop = await (await suite.browser.newContext({ ...DESKTOP, storageState: await page.context().storageState() })).newPage();
  await desktop.goto(`${BASE_URL}/`);
  await desktop.screenshot({ path: `${suite.shots}${name}-1366.png`, fullPage: true });
  await desktop.context().close();
}

async function home(login) {
  const page = await signedIn(suite.browser, login);
  assert.equal(new URL(page.url()).pathname, '/');
  return page;
}

test('a visitor lands on 有困难找志愿者 first, then tracking, verifying, joining and sign-in', async () => {
  const page = await (await suite.browser.newContext(PHONE)).newPage();
  await page.goto(`${BASE_URL}/`);
  const hrefs = await page.$$eval('main a', (as) => as.map((a) => a.getAttribute('href')));
  assert.deepEqual(hrefs, ['/help', '/track', '/verify', '/join', '/login']);
  assert.match(await page.textContent('#landing-help'), /有困难找志愿者/);
  await assertTouchTargets(page, 'visitor');
  await shots(page, '0-landing');
  await page.context().close();
});

test('the volunteer sees the activity they just signed up for, greeted by name', async () => {
  const leaderToken = await token('leader');
  const volunteerToken = await token('volunteer');
  const me = await api('/api/v1/auth/me', leaderToken);
  const team = await api(`/api/v1/teams/${me.team_id}`, leaderToken);
  const places = await api(`/api/v1/communities?district_id=${team.district_id}`, leaderToken);
  const title = `首页测试活动${STAMP}`;
  const starts = Date.now() + 40 * 60_000;
  const planned = await api('/api/v1/activities', leaderToken, { method: 'POST', body: JSON.stringify({ title, team_id: me.team_id,
    community_id: places.items[0].id, capacity: 5, starts_at: new Date(starts).toISOString(), ends_at: new Date(starts + 30 * 60_000).toISOString() }) });
  const vid = (await api('/api/v1/auth/me', volunteerToken)).volunteer_id;
  await api(`/api/v1/activities/${planned.id}/signups`, volunteerToken, { method: 'POST', body: JSON.stringify({ volunteer_id: vid }) });

  const page = await home('volunteer');
  assert.match(await page.textContent('#greeting'), /张晓静/);
  assert.ok(!(await page.textContent('#greeting')).includes('volunteer'), 'greeted by name, not the login');
  const mine = page.locator(`main a[href="/activities/${planned.id}"]`);
  assert.equal(await mine.count(), 1, 'the activity just signed up for is on the first screen');
  assert.match(await page.textContent('#home-hours'), /小时/);
  await assertNone(page, [...CENTER_ONLY, 'a[href="/activities/new"]', 'a[href="/volunteers/new"]', 'a[href="/volunteers/import"]'], 'volunteer');
  await assertTouchTargets(page, 'volunteer');
  await shots(page, '1-volunteer');
  await page.context().close();
});

test('the leader sees the need just published for their team among those to claim', async () => {
  const leaderToken = await token('leader');
  const me = await api('/api/v1/auth/me', leaderToken);
  const team = await api(`/api/v1/teams/${me.team_id}`, leaderToken);
  const places = await api(`/api/v1/communities?district_id=${team.district_id}`, leaderToken);
  const id = await publishedNeed(`首页测试需求${STAMP}`, team.category, places.items[0].id);

  const page = await home('leader');
  assert.match(await page.textContent('#greeting'), new RegExp(team.name));
  assert.equal(await page.locator(`#home-claimable a[href="/needs/${id}"]`).count(), 1, 'the claimable need is listed');
  await assertNone(page, [...CENTER_ONLY, 'a[href="/volunteers/import"]', 'a[href="/volunteers/new"]'], 'leader');
  await assertTouchTargets(page, 'leader');
  await shots(page, '2-leader');
  await page.context().close();
});

test('the liaison sees their unit only, with its people and the roster import', async () => {
  const page = await home('liaison');
  assert.match(await page.textContent('#greeting'), /现河采油厂/);
  assert.equal(await page.locator('#home-import').count(), 1);
  await page.waitForSelector('#home-unit-calls');
  await assertNone(page, CENTER_ONLY, 'liaison');
  await assertTouchTargets(page, 'liaison');
  await shots(page, '3-liaison');
  await page.context().close();
});

test('the observer sees the need just reported in their community', async () => {
  const observerToken = await token('observer');
  const me = await api('/api/v1/auth/me', observerToken);
  const person = await api(`/api/v1/volunteers/${me.volunteer_id}`, await token('coordinator'));
  const id = await publishedNeed(`小区观察测试${STAMP}`, 'elderly_care', person.community_id);

  const page = await home('observer');
  assert.match(await page.textContent('#greeting'), new RegExp(person.name));
  assert.equal(await page.locator(`#home-needs a[href="/needs/${id}"]`).count(), 1, 'the community\'s newest need is listed');
  assert.equal(await page.locator('#home-report-need').count(), 1, 'a need is reported from here');
  await assertNone(page, [...CENTER_ONLY, 'a[href="/volunteers/new"]'], 'observer');
  await assertTouchTargets(page, 'observer');
  await shots(page, '4-observer');
  await page.context().close();
});

test('the coordinator sees waiting needs by level, open calls and may send a call', async () => {
  const page = await home('coordinator');
  assert.equal(await page.locator('#home-levels a[href="/needs?warning_level=red"]').count(), 1);
  assert.equal(await page.locator('#home-new-call').count(), 1);
  await page.waitForSelector('#home-figures');
  await assertTouchTargets(page, 'coordinator');
  await shots(page, '5-coordinator');
  await page.context().close();
});

test('the viewer gets figures and is offered no action, here or on the lists', async () => {
  const page = await home('viewer');
  await page.waitForSelector('#home-figures');
  await assertNone(page, [...CENTER_ONLY, '#home-new-call', 'a[href="/volunteers/new"]', 'a[href="/activities/new"]', 'a[href="/hours/disputes"]'], 'viewer');
  await assertTouchTargets(page, 'viewer');
  await shots(page, '6-viewer');
  await page.goto(`${BASE_URL}/dispatch`);
  assert.equal(await page.locator('#dispatch-form').count(), 0, 'no dispatch form for the viewer');
  await page.goto(`${BASE_URL}/needs`);
  assert.equal(await page.locator('main .tools a.primary').count(), 0, 'no 新建 on the needs list');
  await page.context().close();
});
