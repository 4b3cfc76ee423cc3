// Browser test of emergency dispatch (应急调度) on a phone-sized screen: the
// coordinator previews and sends a call from the form, volunteers accept
// from elsewhere, and the open board's count changes without a reload.
//
// Run from this folder:  BASE_URL=http://127.0.0.1:18080 node --test dispatch.test.mjs

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE_URL, api, phoneSuite, signedIn as signedInOn } from './phone.mjs';

const suite = phoneSuite('dispatch');
const SHOTS = suite.shots;

/** A datetime-local value `hours` from now in the region's zone (UTC+8). */
const local = (hours) => new Date(Date.now() + (8 + hours) * 3_600_000).toISOString().slice(0, 16);

test('a coordinator sends a call and watches it fill live as volunteers accept', { timeout: 180_000 }, async () => {
  const { token } = await api('/api/v1/auth/login', null, { method: 'POST', body: JSON.stringify({ login: 'coordinator', password: 'demo-coordinator' }) });
  const coordinator = await signedInOn(suite.browser, 'coordinator');
  await coordinator.goto(`${BASE_URL}/dispatch`);
  await coordinator.fill('#dispatch-form input[name=title]', '突击清理积水');
  const community = await coordinator.locator('#dispatch-form select[name=community_id] option').nth(1).getAttribute('value');
  await coordinator.selectOption('#dispatch-form select[name=community_id]', community);
  await coordinator.fill('#dispatch-form input[name=starts_at]', local(30));
  await coordinator.fill('#dispatch-form input[name=ends_at]', local(33));
  await coordinator.fill('#dispatch-form input[name=needed]', '6');
  await coordinator.click('#dispatch-form button[value=preview]');
  await coordinator.waitForSelector('#dispatch-preview');
  await coordinator.screenshot({ path: `${SHOTS}1-preview.png`, fullPage: true });
  const quotas = await coordinator.locator('#dispatch-preview input[name^=quota_]').evaluateAll((els) => els.map((e) => Number(e.value)));
  assert.equal(quotas.reduce((a, b) => a + b, 0), 6, 'the proposed quotas add up to the people needed');

  await coordinator.click('#dispatch-form button[value=send]');
  await coordinator.waitForURL(/\/dispatch\/\d+/);
  const id = Number(new URL(coordinator.url()).pathname.split('/').pop());
  await coordinator.waitForSelector('#live-status:has-text("实时更新")');
  assert.equal(await coordinator.textContent('#fill-count'), '0');
  await coordinator.screenshot({ path: `${SHOTS}2-board.png`, fullPage: true });

  // Three of the best-ranked accept, from their own phones (here: the API, in another context).
  const { items } = await api(`/api/v1/dispatches/${id}/candidates?limit=3`, token);
  assert.equal(items.length, 3);
  for (const c of items) {
    const r = await api(`/api/v1/dispatches/${id}/responses`, token, { method: 'POST', body: JSON.stringify({ volunteer_id: c.volunteer_id, answer: 'accept' }) });
    assert.equal(r.status, 'confirmed');
  }
  // The board follows without a reload.
  await coordinator.waitForSelector('#fill-count:has-text("3")', { timeout: 15_000 });
  await coordinator.waitForSelector('#dispatch-answers li');
  await coordinator.screenshot({ path: `${SHOTS}3-live-fill.png`, fullPage: true });

  await coordinator.click('a[href$="/roster"]');
  await coordinator.waitForSelector('#dispatch-roster tbody tr');
  assert.equal(await coordinator.locator('#dispatch-roster tbody tr').count(), 3);
  await coordinator.screenshot({ path: `${SHOTS}4-roster.png`, fullPage: true });
});
