// Every screen of the page, as each role sees it, on the narrowest phone the page supports
// (360 px) and on a desktop: nothing spills sideways, and axe-core finds no serious or
// critical accessibility violation. A screenshot of each lands in the artifacts.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { test } from 'node:test';
import { artifacts, callApi, tokenFor, withServerAndBrowser } from './harness.mjs';

const world = withServerAndBrowser();
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const kSizes = { phone: { width: 360, height: 740 }, desktop: { width: 1280, height: 800 } };

// What sticks out past the right edge of the screen (an element wider than the screen, or
// placed past it), by tag, class and text: enough to find it in the CSS; and on the chat,
// quick actions pushed below the screen.
async function overflow(page) {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const out = [];
    if (document.documentElement.scrollWidth > width) out.push(`page ${document.documentElement.scrollWidth}px`);
    for (const e of document.body.querySelectorAll('*')) {
      const box = e.getBoundingClientRect();
      if (box.width && box.right > width + 0.5 && !e.closest('.leaflet-pane'))
        out.push(`${e.tagName.toLowerCase()}.${e.className} "${(e.textContent || '').slice(0, 30)}" ${Math.round(box.right)}px`);
    }
    // The chat is one screen tall: its message box and quick actions are on it.
    const actions = document.querySelector('.chat:not([hidden]) .quick-actions');
    if (actions && actions.getBoundingClientRect().bottom > window.innerHeight + 0.5)
      out.push(`quick actions end at ${Math.round(actions.getBoundingClientRect().bottom)}px, below the screen`);
    return out;
  });
}

// axe-core's serious and critical findings (evaluated through the DevTools protocol, so the
// page's Content-Security-Policy, which allows no injected script, still holds for the page).
async function accessibility(page) {
  await page.evaluate(axeSource);
  const result = await page.evaluate(() => window.axe.run(document, {
    resultTypes: ['violations'],
  }));
  return result.violations.filter((v) => ['serious', 'critical'].includes(v.impact))
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

// Every screen is looked at before the test fails, so one run names everything to fix.
async function check(side, name, size, findings) {
  await side.page.screenshot({ path: join(artifacts, `screen-${name}-${size}.png`), fullPage: true });
  for (const what of await overflow(side.page)) findings.push(`${name}: sticks out: ${what}`);
  for (const what of await accessibility(side.page)) findings.push(`${name}: ${what}`);
}

for (const [size, viewport] of Object.entries(kSizes)) {
  test(`every screen fits ${viewport.width} px and passes axe-core (${size})`, async () => {
    const findings = [];
    for (const [username, password] of [['client', 'client-demo'], ['technician', 'technician-demo'],
                                        ['dispatcher', 'dispatcher-demo']]) {
      const side = await world.signIn(username, password, viewport);
      await check(side, `${username}-requests`, size, findings);
      if (username === 'dispatcher') {
        for (const tab of ['Tableau', 'Carte du jour']) {
          await side.page.getByRole('tab', { name: tab }).click();
          await check(side, `console-${tab.split(' ')[0].toLowerCase()}`, size, findings);
        }
      }
      await world.openRequest(side);
      await check(side, `${username}-chat`, size, findings);
      for (const tab of ['Suivi', 'Infos']) {
        await side.page.getByRole('tab', { name: tab }).click();
        await side.page.getByRole('tabpanel').first().waitFor();
        await check(side, `${username}-${tab.toLowerCase()}`, size, findings);
      }
      await side.page.goto(`${world.server.url}/dashboard`);
      await side.page.getByRole('heading', { name: 'Page introuvable' }).waitFor();
      await check(side, `${username}-unknown`, size, findings);
      if (username === 'dispatcher') {
        await side.page.getByRole('button', { name: 'Se déconnecter' }).click();
        await side.page.getByRole('button', { name: 'Se connecter' }).waitFor();
        await check(side, 'sign-in', size, findings);
      }
      // The unknown address is a 404 on purpose; the browser logs it.
      assert.deepEqual(side.problems.filter((p) => !p.includes('status of 404')), []);
      await side.context.close();
    }
    // A tracking link, opened by someone with no account, and once it no longer works.
    const token = await tokenFor(world.server.url, 'client', 'client-demo');
    const link = await callApi(world.server.url, token, '/api/requests/1/tracking_link/', { method: 'POST' });
    const visitor = await world.browser.newContext({ viewport, locale: 'fr-FR' });
    const page = await visitor.newPage();
    await page.goto(`${world.server.url}${link.url}`);
    await page.getByRole('heading', { name: 'Suivi de votre intervention' }).waitFor();
    await page.locator('.map').waitFor();
    await check({ page }, 'public-tracking', size, findings);
    await callApi(world.server.url, token, '/api/requests/1/tracking_link/', { method: 'DELETE' });
    await page.getByText('Ce lien de suivi a expiré.').waitFor();
    await check({ page }, 'public-tracking-gone', size, findings);
    await visitor.close();
    assert.deepEqual(findings, []);
  });
}
