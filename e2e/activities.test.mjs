// Browser test of QR check-in and hours on phone-sized screens (issue #4): a
// leader plans an activity happening now, a volunteer signs up on its page,
// opens the check-in link from the QR page, checks in, checks out through a
// dropped connection, the leader confirms the hours on the confirmation
// screen, and the volunteer's hours show them.
//
// Run from this folder:  BASE_URL=http://127.0.0.1:18080 node --test activities.test.mjs

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE_URL, api, phoneSuite, signedIn } from './phone.mjs';

const suite = phoneSuite('activities');
const SHOTS = suite.shots;
// The activity ends this long after it is planned: enough to sign up and check in, short enough to wait for.
const ENDS_IN_MS = 60_000;

async function login(name) {
  return (await api('/api/v1/auth/login', null, { method: 'POST', body: JSON.stringify({ login: name, password: `demo-${name}` }) })).token;
}

test('a volunteer checks in from the QR link, checks out offline, and sees the hours the leader confirmed', { timeout: 240_000 }, async () => {
  const leaderToken = await login('leader');
  const volunteerToken = await login('volunteer');
  const me = await api('/api/v1/auth/me', leaderToken);
  const team = await api(`/api/v1/teams/${me.team_id}`, leaderToken);
  const places = await api(`/api/v1/communities?district_id=${team.district_id}`, leaderToken);
  const vid = (await api('/api/v1/auth/me', volunteerToken)).volunteer_id;
  const before = (await api(`/api/v1/volunteers/${vid}/hours`, volunteerToken)).total_hours;

  // The leader plans an activity that is under way now and ends in a minute.
  const now = Date.now();
  const title = `社区义诊${String(now).slice(-6)}`;
  const planned = await api('/api/v1/activities', leaderToken, {
    method: 'POST',
    body: JSON.stringify({ title, team_id: me.team_id, community_id: places.items[0].id, address: '社区卫生站门口', capacity: 5,
      starts_at: new Date(now - 20 * 60_000).toISOString(), ends_at: new Date(now + ENDS_IN_MS).toISOString() }),
  });
  const ends = now + ENDS_IN_MS;

  // The volunteer signs up on the activity's page.
  const volunteer = await signedIn(suite.browser, 'volunteer');
  const phone = volunteer.context();
  await volunteer.goto(`${BASE_URL}/activities/${planned.id}`);
  await volunteer.click('#signup-form button[type=submit]');
  await volunteer.waitForSelector('.signup-status.signup-confirmed');
  await volunteer.screenshot({ path: `${SHOTS}1-signed-up.png`, fullPage: true });

  // The leader's QR page: a code and the link it holds.
  const leader = await signedIn(suite.browser, 'leader');
  await leader.goto(`${BASE_URL}/activities/${planned.id}/qr`);
  await leader.waitForSelector('#qr-code svg');
  const link = await leader.getAttribute('#checkin-link', 'href');
  assert.match(link, /^http:\/\/127\.0\.0\.1:\d+\/checkin\/[0-9a-f]{32}$/);
  await leader.screenshot({ path: `${SHOTS}2-qr.png`, fullPage: true });

  // The phone opens the link the camera read and checks in.
  await volunteer.goto(link);
  assert.match(await volunteer.textContent('#checkin-button'), /签到/);
  await volunteer.click('#checkin-button');
  await volunteer.waitForSelector('#checkin-result:has-text("签到成功")');
  await volunteer.waitForSelector('#checkin-button:has-text("签退")');
  await volunteer.screenshot({ path: `${SHOTS}3-checked-in.png`, fullPage: true });

  // The connection drops as they check out: the tap waits and goes through once it is back.
  await phone.setOffline(true);
  await volunteer.click('#checkin-button');
  await volunteer.waitForSelector('#checkin-result.bad');
  assert.ok(await volunteer.evaluate(() => Object.keys(localStorage).some((k) => k.startsWith('tx-checkin:'))), 'the tap is kept');
  await volunteer.screenshot({ path: `${SHOTS}4-offline.png`, fullPage: true });
  await phone.setOffline(false);
  await volunteer.waitForSelector('#checkin-result:has-text("签退成功")', { timeout: 60_000 });
  assert.equal(await volunteer.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('tx-checkin:')).length), 0);
  await volunteer.reload();
  assert.match(await volunteer.textContent('#checkin-state'), /已签到.*已签退/s);
  assert.equal(await volunteer.locator('#checkin-form').count(), 0, 'done: no button');
  await volunteer.screenshot({ path: `${SHOTS}5-checked-out.png`, fullPage: true });

  // The roster shows the check-in; after the end the leader confirms, correcting the minutes the phone counted.
  await leader.goto(`${BASE_URL}/activities/${planned.id}/roster`);
  assert.match(await leader.textContent(`#roster-${vid}`), /已确认/);
  await leader.screenshot({ path: `${SHOTS}6-roster.png`, fullPage: true });
  await new Promise((r) => setTimeout(r, Math.max(0, ends - Date.now() + 1_000)));
  await leader.goto(`${BASE_URL}/activities/${planned.id}/confirm`);
  await leader.fill(`input[name=hours_${vid}]`, '0.25');
  await leader.click('#confirm-form button[type=submit]');
  await leader.waitForSelector(`#confirm-${vid} .field-error`);
  await leader.fill(`input[name=reason_${vid}]`, '到场后先协助布置，扫码晚了');
  await leader.click('#confirm-form button[type=submit]');
  await leader.waitForSelector('#confirmed-by:has-text("leader")');
  assert.equal(await leader.textContent('#confirmed-hours .credited'), '0.25');
  await leader.screenshot({ path: `${SHOTS}7-confirmed.png`, fullPage: true });

  // The volunteer's hours include the confirmed quarter of an hour, with the reason: on their
  // hours page (once that page is part of the build) and through the API from the phone.
  const reason = '到场后先协助布置，扫码晚了';
  const hoursPage = await volunteer.goto(`${BASE_URL}/me/hours`);
  if (hoursPage.status() !== 404) {
    await volunteer.waitForSelector(`#ledger tr:has-text("${reason}")`);
    await volunteer.screenshot({ path: `${SHOTS}8-hours.png`, fullPage: true });
  }
  const hours = await volunteer.evaluate(async ([id, token]) => {
    const res = await fetch(`/api/v1/volunteers/${id}/hours`, { headers: { authorization: `Bearer ${token}` } });
    return res.json();
  }, [vid, volunteerToken]);
  assert.equal(Math.round((hours.total_hours - before) * 100) / 100, 0.25, JSON.stringify(hours));
  assert.ok(hours.entries.some((e) => e.activity_id === planned.id && e.note === reason), JSON.stringify(hours.entries[0]));
});
