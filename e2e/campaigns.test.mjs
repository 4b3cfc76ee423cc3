// Browser test of the campaign calendar (issue 14 §4) on a desktop window:
// the coordinator opens the campaign, sees a district owing its slot, goes to
// that month's calendar, follows the gap link "在此安排活动", finds the plan
// form pre-filled with the district's community, the theme and the day, picks
// a service project and a team, and plans the activity into the slot.
//
// Run from this folder:  BASE_URL=http://127.0.0.1:18080 node --test campaigns.test.mjs

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE_URL, api, phoneSuite } from './phone.mjs';

const suite = phoneSuite('campaigns');
const SHOTS = suite.shots;
const DESKTOP = { viewport: { width: 1366, height: 900 }, locale: 'zh-CN' };

test('the coordinator finds an owing district on the calendar and plans an activity into its slot', { timeout: 180_000 }, async () => {
  const { token } = await api('/api/v1/auth/login', null, { method: 'POST', body: JSON.stringify({ login: 'coordinator', password: 'demo-coordinator' }) });
  const { items } = await api('/api/v1/campaigns', token);
  assert.ok(items.length > 0, 'the demo has its campaign');
  const campaign = await api(`/api/v1/campaigns/${items[0].id}`, token);
  const owing = campaign.slots.find((s) => s.status === 'owing');
  assert.ok(owing, 'the demo has an owing slot');

  const page = await (await suite.browser.newContext(DESKTOP)).newPage();
  page.setDefaultTimeout(20_000);
  await page.goto(`${BASE_URL}/login`);
  await page.fill('input[name=login]', 'coordinator');
  await page.fill('input[name=password]', 'demo-coordinator');
  await page.click('#login-form button[type=submit]');
  await page.waitForURL(`${BASE_URL}/`);

  await page.goto(`${BASE_URL}/campaigns/${campaign.id}`);
  await page.waitForSelector('table.rotation .slot-owing');
  await page.screenshot({ path: `${SHOTS}1-campaign.png`, fullPage: true });

  const month = owing.starts_on.slice(0, 7);
  await page.goto(`${BASE_URL}/campaigns/${campaign.id}/calendar?month=${month}`);
  await page.waitForSelector('#hosts .slot-owing');
  const gap = page.locator(`#gaps a[href*="district_id=${owing.district_id}&theme=${owing.theme}"]`).first();
  await gap.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SHOTS}2-calendar-gap.png`, fullPage: true });
  await gap.click();
  await page.waitForURL(/\/activities\/new\?/);

  const form = '#activity-form';
  assert.equal(await page.inputValue(`${form} select[name=theme]`), owing.theme, 'the theme pre-filled');
  const starts = await page.inputValue(`${form} input[name=starts_at]`);
  assert.ok(starts >= owing.starts_on && starts.slice(0, 10) <= owing.ends_on, `the day ${starts} lies in the slot`);
  const community = await page.locator(`${form} select[name=community_id] option:checked`).textContent();
  assert.ok(community.includes(owing.district_name), `a community of ${owing.district_name}: ${community}`);

  await page.fill(`${form} input[name=title]`, `${owing.district_name}补办主题服务日`);
  const team = await page.locator(`${form} select[name=team_id] option`).nth(1).getAttribute('value');
  await page.selectOption(`${form} select[name=team_id]`, team);
  const project = await page.locator(`${form} select[name=project_id] option`).nth(1).getAttribute('value');
  await page.selectOption(`${form} select[name=project_id]`, project);
  await page.fill(`${form} input[name=capacity]`, '20');
  await page.screenshot({ path: `${SHOTS}3-plan-form.png`, fullPage: true });
  await page.click(`${form} button[type=submit]`);
  await page.waitForURL(/\/activities\/\d+/);
  await page.screenshot({ path: `${SHOTS}4-planned.png`, fullPage: true });

  // The slot now has its hosted activity: it is done, and the gap is gone.
  const after = await api(`/api/v1/campaigns/${campaign.id}`, token);
  const slot = after.slots.find((s) => s.id === owing.id);
  assert.equal(slot.activities, 1);
  assert.equal(slot.status, 'done');
});
