// The Content-Security-Policy in a real browser. The HTTP tests check the
// header and that the markup has no inline script, style or handler; only a
// browser sees what app.js does at run time (a style set as an attribute, a
// connection elsewhere), and Chromium reports every violation on the console.
//
// Run from this folder:  BASE_URL=http://127.0.0.1:18080 node --test csp.test.mjs

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE_URL, PHONE, phoneSuite, signedIn } from './phone.mjs';

const suite = phoneSuite('csp');

/** Opens each path in `page`; returns the violations the browser reported. */
async function violations(page, paths) {
  const found = [];
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) found.push(`${page.url()}: ${m.text()}`);
  });
  for (const path of paths) {
    const res = await page.goto(`${BASE_URL}${path}`);
    assert.equal(res.status(), 200, path);
    assert.match(res.headers()['content-security-policy'] || '', /script-src 'self'/, path);
    await page.waitForTimeout(300); // app.js's live streams and form handlers start after load
  }
  return found;
}

test('every kind of page runs without a CSP violation', { timeout: 120_000 }, async () => {
  const visitor = await (await suite.browser.newContext(PHONE)).newPage();
  const coordinator = await signedIn(suite.browser, 'coordinator');
  const volunteer = await signedIn(suite.browser, 'volunteer');
  const found = [
    ...(await violations(visitor, ['/login', '/help', '/track', '/verify'])),
    ...(await violations(coordinator, ['/', '/volunteers?q=zxj', '/volunteers/1', '/volunteers/1/certificate', '/needs', '/needs/1',
      '/activities', '/activities/1', '/activities/1/roster', '/activities/1/qr', '/dispatch', '/dispatch/1', '/dispatch/1/report',
      '/teams', '/teams/1', '/projects', '/projects/1', '/campaigns/1', '/campaigns/1/calendar', '/campaigns/1/year', '/party-orgs',
      '/reports/report-in', '/outbox', '/notifications', '/volunteers/new', '/stats', '/stats/lines?metric=entries'])),
    ...(await violations(volunteer, ['/me/hours', '/calendar', '/me/report-in'])),
  ];
  assert.deepEqual(found, []);
});
