// Browser test of 双进双报到 (issue 14 §5) on a phone-sized screen: the demo
// volunteer 张晓静, a party member, signs in, follows her first screen's
// 报到 prompt (or opens /me/report-in when she already reported in an
// earlier run), picks a community by search, confirms, and sees the report
// as her current one on her page.
//
// Run from this folder:  BASE_URL=http://127.0.0.1:18080 node --test report_in.test.mjs

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE_URL, phoneSuite, signedIn } from './phone.mjs';

const suite = phoneSuite('report_in');
const SHOTS = suite.shots;

test('a party member reports to her community from her phone and sees it on her page', async () => {
  const page = await signedIn(suite.browser, 'volunteer');
  await page.screenshot({ path: `${SHOTS}01-home.png`, fullPage: true });
  const prompt = page.locator('#home-report-in a');
  if (await prompt.count()) {
    const box = await prompt.boundingBox();
    assert.ok(box.height >= 44, `the prompt is a touch target (${box.height} px)`);
    await prompt.click();
  } else {
    await page.goto(`${BASE_URL}/me/report-in`);
  }
  await page.waitForURL(/\/me\/report-in/);
  const current = (await page.locator('#report-in-current').innerText()).trim();

  // Search by pinyin initials; the community she lives in is listed first.
  const found = page.locator('#report-in-pick .items a');
  assert.ok((await found.count()) > 1, 'every community is offered');
  const home = (await found.first().innerText()).trim();
  assert.match(home, /您居住的小区/, 'her home community comes first');
  // After an earlier run she is reported there already: report to another, then back.
  const target = current.includes(home.split('（')[0]) ? found.nth(1) : found.first();
  const name = (await target.innerText()).split('（')[0].trim();
  await page.fill('#report-in-pick input[name=q]', name);
  await page.click('#report-in-pick button[type=submit]');
  await page.waitForURL(/q=/);
  await page.screenshot({ path: `${SHOTS}02-search.png`, fullPage: true });
  await page.locator('#report-in-pick .items a', { hasText: name }).first().click();

  await page.waitForSelector('#report-in-confirm');
  assert.match(await page.locator('#report-in-confirm').innerText(), new RegExp(name));
  const submit = await page.locator('#report-in-submit').boundingBox();
  assert.ok(submit.height >= 44, `the confirm button is a touch target (${submit.height} px)`);
  await page.screenshot({ path: `${SHOTS}03-confirm.png`, fullPage: true });
  await page.click('#report-in-submit');

  await page.waitForURL(/flash=reported/);
  assert.match(await page.locator('#report-in-current').innerText(), new RegExp(name), 'the new report is her current one');
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 360, `nothing wider than the phone (${width} px)`);
  await page.screenshot({ path: `${SHOTS}04-reported.png`, fullPage: true });

  await page.goto(`${BASE_URL}/`);
  assert.equal(await page.locator('#home-report-in').count(), 0, 'reported: her first screen no longer asks');
});
