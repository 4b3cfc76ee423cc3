// Browser test of joining (实名注册, issue 13 §2) on a phone-sized screen: a
// person fills in /join, asks for the code, reads it where development puts
// it (no SMS gateway: the server log, SERVER_LOG), applies choosing the demo
// leader's team; the leader approves on /registrations; the person signs in
// with their phone and the password they chose.
//
// Run from this folder:  SERVER_LOG=/path/to/server.log BASE_URL=http://127.0.0.1:18080 node --test join.test.mjs

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { BASE_URL, PHONE, api, phoneSuite, signedIn } from './phone.mjs';

const suite = phoneSuite('join');
const SHOTS = suite.shots;

async function login(name) {
  return (await api('/api/v1/auth/login', null, { method: 'POST', body: JSON.stringify({ login: name, password: `demo-${name}` }) })).token;
}

/** A valid resident ID number: 17 digits and their checksum character. */
function idNumber(first17) {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...first17].reduce((s, d, i) => s + Number(d) * weights[i], 0);
  return first17 + '10X98765432'[sum % 11];
}

const pad = (n) => String(n).padStart(2, '0');

/** The code the server logged for the phone (masked there as 139****1234), waiting for the line to be written. */
async function loggedCode(phone) {
  const masked = `${phone.slice(0, 3)}****${phone.slice(7)}`;
  for (let i = 0; i < 50; i++) {
    const lines = (await readFile(process.env.SERVER_LOG, 'utf8')).split('\n').filter((l) => l.includes(masked) && l.includes('join code'));
    const m = lines.at(-1)?.match(/code\W+(\d{6})/);
    if (m) return m[1];
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no join code for ${masked} in ${process.env.SERVER_LOG}`);
}

test('a person joins from a phone, the leader approves, and the new volunteer signs in', { timeout: 120_000, skip: !process.env.SERVER_LOG && 'SERVER_LOG names the server log' }, async () => {
  const leaderToken = await login('leader');
  const me = await api('/api/v1/auth/me', leaderToken);
  const team = await api(`/api/v1/teams/${me.team_id}`, leaderToken);
  const places = await api(`/api/v1/communities?district_id=${team.district_id}`, leaderToken);
  const stamp = String(Date.now()).slice(-8);
  const phone = `139${stamp}`;
  const name = `试${'甲乙丙丁戊己庚辛壬癸'[Number(stamp.at(-1))]}${'子丑寅卯辰巳午未申酉'[Number(stamp.at(-2))]}`;

  const page = await (await suite.browser.newContext(PHONE)).newPage();
  page.setDefaultTimeout(20_000);
  await page.goto(`${BASE_URL}/join`);
  assert.ok(await page.isVisible('#join-dev-note'), 'the page says where codes go without a gateway');
  await page.fill('#f-name', name);
  await page.fill('#f-phone', phone);
  await page.click('#join-send-code');
  await page.waitForSelector('#join-code-sent');
  assert.equal(await page.inputValue('#f-name'), name, 'what was typed comes back');
  await page.fill('#f-code', await loggedCode(phone));
  await page.fill('#f-password', 'my-own-secret');
  await page.fill('#f-id_number', idNumber(`3705021990${pad(Number(stamp.slice(0, 2)) % 12 + 1)}${pad(Number(stamp.slice(2, 4)) % 28 + 1)}${stamp.slice(-3)}`));
  if (team.unit_id) await page.selectOption('#f-unit_id', String(team.unit_id));
  else await page.selectOption('#f-unit_id', { index: 1 });
  await page.selectOption('#f-community_id', String(places.items[0].id));
  await page.selectOption('#f-team_ids', String(me.team_id));
  await page.check('input[name=party_member]');
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 360, `no sideways scrolling at 360 px (${width})`);
  await page.screenshot({ path: `${SHOTS}1-join-form.png`, fullPage: true });
  await page.click('#join-form button.primary');
  await page.waitForLoadState();
  const refused = await page.locator('.field-error, .form-error').allTextContents();
  assert.deepEqual(refused, [], 'the application is taken');
  await page.waitForURL(/\/join\/sent/);
  await page.screenshot({ path: `${SHOTS}2-sent.png`, fullPage: true });

  // The leader sees it waiting and approves it.
  const leader = await signedIn(suite.browser, 'leader');
  await leader.goto(`${BASE_URL}/registrations`);
  const card = leader.locator('section.card', { hasText: name });
  await card.waitFor();
  await leader.screenshot({ path: `${SHOTS}3-waiting.png`, fullPage: true });
  await card.locator('form[action$="/approve"] button').click();
  await leader.waitForSelector('.flash');
  await leader.screenshot({ path: `${SHOTS}4-approved.png`, fullPage: true });

  // The new volunteer signs in with the phone and the password chosen.
  await page.goto(`${BASE_URL}/login`);
  await page.fill('input[name=login]', phone);
  await page.fill('input[name=password]', 'my-own-secret');
  await page.click('#login-form button[type=submit]');
  await page.waitForURL(`${BASE_URL}/`);
  await page.screenshot({ path: `${SHOTS}5-signed-in.png`, fullPage: true });
});
