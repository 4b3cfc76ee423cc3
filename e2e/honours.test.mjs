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

test('a panel reviewer records a decision on a phone; a conflicted one declares it and cannot score', async () => {
  const login = (name) => api('/api/v1/auth/login', null, { method: 'POST', body: JSON.stringify({ login: name, password: `demo-${name}` }) });
  const [{ token }, liaison, viewer] = await Promise.all([login('coordinator'), login('liaison'), login('viewer')]);
  const year = new Date().getFullYear();
  const post = (path, body) => api(path, token, { method: 'POST', body: JSON.stringify(body) });
  const round = await post('/api/v1/honours/rounds', {
    title: `评审组试评 ${Date.now()}`, kind: 'volunteer', period_from: `${year}-01-01`, period_to: `${year}-12-31`, min_hours: 0,
    criteria: [{ metric: 'hours', weight: 100 }], nominate_until: `${year}-12-31`, notice_days: 7,
  });
  // One nominee of the liaison's own unit (a conflict for them), one of another unit.
  const unit = await api(`/api/v1/units/${liaison.user.unit_id}`, token);
  const candidates = (await api(`/api/v1/honours/rounds/${round.id}/candidates?per_page=500`, token)).items.filter((c) => c.eligible);
  const own = candidates.find((c) => c.group_name === unit.name);
  const other = candidates.find((c) => c.group_name !== unit.name);
  assert.ok(own && other, 'eligible candidates inside and outside the liaison\'s unit');
  for (const c of [own, other]) {
    await post(`/api/v1/honours/rounds/${round.id}/nominations`, { volunteer_id: c.volunteer_id, citation: '常年坚持服务社区，群众认可' });
  }
  for (const m of [viewer, liaison]) {
    await post(`/api/v1/honours/rounds/${round.id}/panel`, { user_id: m.user.id });
  }
  await post(`/api/v1/honours/rounds/${round.id}/review`, {});

  // The viewer, on the panel, approves the other unit's nominee with a note.
  const reviewer = await signedIn(suite.browser, 'viewer');
  await reviewer.goto(`${BASE_URL}/honours/rounds/${round.id}`);
  await narrow(reviewer, 'the round page of a panel member');
  const item = reviewer.locator('li.nomination', { hasText: other.name });
  await item.locator('input[name=note]').fill('事迹突出，同意');
  await item.locator('button[value=approve]').click();
  await reviewer.waitForURL(/flash=vote_recorded/);
  assert.match(await reviewer.locator('li.nomination', { hasText: other.name }).locator('.my-vote').innerText(), /同意|approve/i);
  await narrow(reviewer, 'the round page after voting');
  await reviewer.screenshot({ path: `${SHOTS}05-panel-vote.png`, fullPage: true });

  // The liaison: their own unit's nominee shows the conflict declared, with no way to score it.
  const conflicted = await signedIn(suite.browser, 'liaison');
  await conflicted.goto(`${BASE_URL}/honours/rounds/${round.id}`);
  const mine = conflicted.locator('li.nomination', { hasText: own.name });
  assert.ok(await mine.locator('.conflict').isVisible(), 'the conflict is declared');
  assert.equal(await mine.locator('form.vote').count(), 0, 'nothing to score or declare again for a conflicted member');
  await narrow(conflicted, 'the round page of a conflicted member');
  await conflicted.screenshot({ path: `${SHOTS}06-panel-conflict.png`, fullPage: true });
});
