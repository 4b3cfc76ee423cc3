// Browser test of the needs marketplace on phone-sized screens: a resident
// asks for help without an account, the coordinator publishes it, the team
// leader takes it in one tap and closes it with hours, the resident rates it;
// and open pages (the queue, a tracking page) follow changes without a reload.
//
// Run from this folder:  BASE_URL=http://127.0.0.1:18080 node --test needs.test.mjs

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE_URL, PHONE, api, phoneSuite, signedIn as signedInOn } from './phone.mjs';

const suite = phoneSuite('needs');
const SHOTS = suite.shots;

const signedIn = (login) => signedInOn(suite.browser, login);

test('a resident asks for help, a leader takes it and closes it, the resident rates it', { timeout: 180_000 }, async () => {
  // The need must fit the demo leader's team: its district and service category.
  const { token } = await api('/api/v1/auth/login', null, { method: 'POST', body: JSON.stringify({ login: 'leader', password: 'demo-leader' }) });
  const me = await api('/api/v1/auth/me', token);
  const team = await api(`/api/v1/teams/${me.team_id}`, token);
  const places = await api(`/api/v1/communities?district_id=${team.district_id}`, token);
  assert.ok(places.items.length > 0, 'the team\'s district has communities');

  const phone = `139${String(Date.now()).slice(-8)}`;
  const resident = await (await suite.browser.newContext(PHONE)).newPage();
  resident.setDefaultTimeout(20_000);
  await resident.goto(`${BASE_URL}/help`);
  await resident.selectOption('select[name=category]', team.category);
  await resident.selectOption('select[name=community_id]', String(places.items[0].id));
  await resident.fill('input[name=title]', '帮独居老人换灯泡');
  await resident.fill('textarea[name=description]', '客厅灯坏了，老人够不着');
  await resident.fill('input[name=requester_name]', '李阿姨');
  await resident.fill('input[name=requester_phone]', phone);
  await resident.click('#help-form button[type=submit]');
  await resident.waitForURL(/\/track\/XC[0-9A-Z]{8}/);
  const trackUrl = resident.url().split('?')[0];
  await resident.screenshot({ path: `${SHOTS}1-submitted.png`, fullPage: true });
  assert.ok(!(await resident.content()).includes(phone), 'the tracking page shows no phone');

  // The resident phones the center and quotes the code; the coordinator finds it in the queue.
  const code = trackUrl.split('/track/')[1];
  const coordinator = await signedIn('coordinator');
  await coordinator.goto(`${BASE_URL}/needs`);
  await coordinator.fill('#need-filter input[name=q]', code);
  await coordinator.press('#need-filter input[name=q]', 'Enter');
  await coordinator.click('a.need-link:has-text("帮独居老人换灯泡")');
  await coordinator.click('#review-form button[value=publish]');
  await coordinator.screenshot({ path: `${SHOTS}2-published.png`, fullPage: true });

  // The leader's notification names the need and leads to it.
  const leader = await signedIn('leader');
  await leader.goto(`${BASE_URL}/notifications`);
  await leader.click('#notification-list a:has-text("帮独居老人换灯泡")');
  await leader.click('#claim-form button[type=submit]');
  await leader.waitForSelector('#complete-form');
  await leader.fill('#complete-form textarea[name=summary]', '已更换灯泡并检查线路');
  await leader.locator('#complete-form input[name=served]').first().check();
  await leader.fill('#complete-form input[name=hours]', '1.5');
  await leader.click('#complete-form button[type=submit]');
  await leader.screenshot({ path: `${SHOTS}3-completed.png`, fullPage: true });
  assert.match(await leader.textContent('#need-timeline'), /已完成/);

  await resident.goto(trackUrl);
  await resident.fill('#rating-form input[name=phone]', phone);
  await resident.click('#rating-form button[type=submit]');
  await resident.waitForSelector('text=感谢您的评价');
  await resident.screenshot({ path: `${SHOTS}4-rated.png`, fullPage: true });
  assert.equal(await resident.locator('#rating-form').count(), 0, 'a need is rated once');
});

test('the coordinator\'s open queue page changes without a reload', { timeout: 120_000 }, async () => {
  const { token } = await api('/api/v1/auth/login', null, { method: 'POST', body: JSON.stringify({ login: 'coordinator', password: 'demo-coordinator' }) });
  const places = await api('/api/v1/communities?per_page=1', token);
  const title = `停水求助${String(Date.now()).slice(-6)}`;

  // The coordinator watches the submissions waiting for review that match one title.
  const coordinator = await signedIn('coordinator');
  await coordinator.goto(`${BASE_URL}/needs?status=submitted&q=${encodeURIComponent(title)}`);
  await coordinator.waitForSelector('#live-status:has-text("实时更新")');
  await coordinator.evaluate(() => { window.__sameDocument = true; });
  assert.equal(await coordinator.locator('#need-queue').count(), 0, 'nothing matches yet');

  // A resident asks for help; the queue shows it without anyone reloading.
  const need = await api('/api/v1/needs', null, {
    method: 'POST',
    body: JSON.stringify({ title, description: '整栋楼停水两天，老人无法做饭', category: 'elderly_care', community_id: places.items[0].id, requester_name: '赵大爷', requester_phone: `138${String(Date.now()).slice(-8)}` }),
  });
  await coordinator.waitForSelector(`#need-queue a.need-link:has-text("${title}")`);
  await coordinator.screenshot({ path: `${SHOTS}5-live-queue.png`, fullPage: true });

  // The resident's tracking page follows too.
  const resident = await (await suite.browser.newContext(PHONE)).newPage();
  resident.setDefaultTimeout(20_000);
  await resident.goto(`${BASE_URL}/track/${need.tracking_code}`);
  await resident.waitForSelector('#live-status:has-text("实时更新")');
  await resident.evaluate(() => { window.__sameDocument = true; });

  // Published through the API, it leaves the "waiting for review" queue and the resident sees it.
  await api(`/api/v1/needs/${need.id}/review`, token, { method: 'POST', body: JSON.stringify({ decision: 'publish' }) });
  await coordinator.waitForSelector(`#need-queue a.need-link:has-text("${title}")`, { state: 'detached' });
  await resident.waitForSelector('#track-live .badge.status:has-text("待接单")');
  await resident.screenshot({ path: `${SHOTS}6-live-track.png`, fullPage: true });
  assert.equal(await coordinator.evaluate(() => window.__sameDocument), true, 'the queue page was never reloaded');
  assert.equal(await resident.evaluate(() => window.__sameDocument), true, 'the tracking page was never reloaded');
});
