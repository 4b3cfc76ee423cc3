// Browser test of 技能传承 (issue 19) on a phone: the demo worker 张晓静
// proposes a front-line problem on /skills; the demo team leader claims it
// for their team from the same board and attaches a drawing to its solution
// on the problem's page; one of her apprentices is certified a
// level up (by the center, through the API) and her mentor card on /skills
// shows the apprentice's new level. The liaison's certification import page
// fits the phone too.
//
// Run from this folder:  BASE_URL=http://127.0.0.1:18100 node --test skills.test.mjs

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE_URL, api, phoneSuite, signedIn } from './phone.mjs';

const suite = phoneSuite('skills');
const SHOTS = suite.shots;
const LEVELS = ['junior', 'intermediate', 'senior', 'technician', 'senior_technician'];
// A 1 × 1 PNG: a drawing small enough to write here.
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
const LEVEL_ZH = { intermediate: '中级工', senior: '高级工', technician: '技师', senior_technician: '高级技师' };

async function narrow(page, what) {
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 360, `${what}: nothing wider than the phone (${width} px)`);
}

test('a worker proposes, a team leader claims, the mentor sees an apprentice certified', async () => {
  const { token } = await api('/api/v1/auth/login', null, { method: 'POST', body: JSON.stringify({ login: 'coordinator', password: 'demo-coordinator' }) });

  // The worker proposes a problem of her unit on the board.
  const worker = await signedIn(suite.browser, 'volunteer');
  await worker.goto(`${BASE_URL}/skills`);
  await narrow(worker, 'the skills page');
  const title = `抽油机皮带打滑${Date.now() % 100000}`;
  await worker.fill('#skills-propose input[name=title]', title);
  await worker.fill('#skills-propose textarea[name=description]', '冬季抽油机皮带打滑，影响产量，需要改进张紧装置');
  await worker.fill('#skills-propose input[name=site]', '东胜公司某井场');
  await worker.click('#skills-propose button[type=submit]');
  await worker.waitForURL(/flash=saved/);
  assert.match(await worker.locator('#skills-problems').innerText(), new RegExp(title));
  await worker.screenshot({ path: `${SHOTS}01-proposed.png`, fullPage: true });

  // A team leader claims it for their team.
  const leader = await signedIn(suite.browser, 'leader');
  await leader.goto(`${BASE_URL}/skills`);
  const item = leader.locator('li.problem', { hasText: title });
  await item.locator('button[type=submit]').click();
  await leader.waitForURL(/flash=saved/);
  const claimed = leader.locator('li.problem', { hasText: title });
  assert.match(await claimed.innerText(), /已认领/);
  assert.equal(await claimed.locator('button[type=submit]').count(), 0, 'no second claim offered');
  await narrow(leader, 'the board after the claim');
  await leader.screenshot({ path: `${SHOTS}02-claimed.png`, fullPage: true });

  // On the problem's page the leader attaches a drawing to the solution; its
  // thumbnail loads (the CSP allows the site's own images).
  await claimed.locator('a').first().click();
  await leader.waitForURL(/\/skills\/problems\/\d+$/);
  await narrow(leader, 'the problem page');
  await leader.setInputFiles('#attachments-solution input[type=file]', { name: '流程图.png', mimeType: 'image/png', buffer: Buffer.from(PNG, 'base64') });
  await leader.click('#attachments-solution button[type=submit]');
  await leader.waitForURL(/flash=saved/);
  const thumb = leader.locator('#attachments-solution img.thumb');
  await thumb.waitFor();
  assert.ok(await thumb.evaluate((img) => img.decode().then(() => img.naturalWidth > 0)), 'the thumbnail loads');
  assert.match(await leader.locator('#attachments-solution').innerText(), /流程图\.png/);
  await narrow(leader, 'the problem page with a drawing');
  await leader.screenshot({ path: `${SHOTS}02b-drawing.png`, fullPage: true });

  // One of her apprentices moves up a level in the agreement's trade.
  const mentors = (await api('/api/v1/mentorships?per_page=200', token)).items;
  const zhang = mentors.find((m) => m.mentor_name === '张晓静');
  assert.ok(zhang, 'the demo mentor has agreements');
  const mentoring = await api(`/api/v1/people/${zhang.mentor_id}/mentoring`, token);
  const trades = await api('/api/v1/trades', token);
  const apprentice = mentoring.apprentices.find((a) => a.level && a.level !== 'senior_technician');
  assert.ok(apprentice, 'an apprentice below the top of the ladder');
  const trade = trades.find((t) => t.code === apprentice.trade);
  const next = LEVELS[LEVELS.indexOf(apprentice.level) + 1];
  const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
  await api(`/api/v1/people/${apprentice.person_id}/certifications`, token, {
    method: 'POST',
    body: JSON.stringify({ trade: trade.code, level: next, certified_on: today, certificate_no: `E2E-${Date.now()}`, issuer: '胜利油田职业技能鉴定中心' }),
  });

  await worker.goto(`${BASE_URL}/skills`);
  await worker.locator('#skills-mentoring summary').click();
  const line = worker.locator('#skills-apprentices li', { hasText: apprentice.name });
  assert.match(await line.innerText(), new RegExp(LEVEL_ZH[next]));
  await narrow(worker, 'the mentor card');
  await worker.screenshot({ path: `${SHOTS}03-apprentice-certified.png`, fullPage: true });

  // The liaison's import page fits the phone.
  const liaison = await signedIn(suite.browser, 'liaison');
  await liaison.goto(`${BASE_URL}/skills`);
  await liaison.click('#skills-import-link');
  await liaison.waitForURL(/\/skills\/certifications\/import$/);
  await narrow(liaison, 'the import page');
  await liaison.screenshot({ path: `${SHOTS}04-import.png`, fullPage: true });
});
