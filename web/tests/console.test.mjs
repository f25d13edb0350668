// The dispatcher's console (queue, board, figures) and a tracking link opened by someone
// with no account, against a real fieldlinkd --demo.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { callApi, tokenFor, withServerAndBrowser } from './harness.mjs';

// Every position is worth a frame here: the test moves the technician twice in a row.
const world = withServerAndBrowser({ FIELDLINK_TRACKING_PUBLISH_INTERVAL_MS: '0' });
const desktop = { width: 1280, height: 800 };

async function as(username) {
  return tokenFor(world.server.url, username, `${username}-demo`);
}

test('a dispatcher assigns a pending request from the queue and the technician sees it live', async () => {
  const dispatcher = await world.signIn('dispatcher', 'dispatcher-demo', desktop);
  const technician = await world.signIn('technician', 'technician-demo', desktop);
  const client = await as('client');
  const made = await callApi(world.server.url, client, '/api/requests/', {
    method: 'POST', body: { title: 'Radiateur froid', address: '3 rue des Lilas, Paris', latitude: 48.85, longitude: 2.35 },
  });

  // Live on the queue (the new_request notice on the dispatcher's feed), with its address.
  const queued = dispatcher.page.locator(`.queue li[data-request="${made.id}"]`);
  await queued.waitFor();
  assert.match(await queued.innerText(), /3 rue des Lilas, Paris/);
  assert.match(await dispatcher.page.getByRole('tab', { name: /File d'attente/ }).innerText(), /\(1\)/);
  // The technician list says who is online and how busy they are.
  const choice = queued.getByRole('combobox', { name: 'Technicien' });
  assert.match(await choice.locator('option').first().innerText(), /Thomas Technician · 1 en cours · en ligne/);
  await queued.getByRole('button', { name: 'Affecter' }).click();

  await technician.page.getByRole('link', { name: 'Radiateur froid' }).waitFor();
  await dispatcher.page.getByText('Aucune demande en attente.').waitFor();
  await dispatcher.page.getByRole('tab', { name: 'Tableau' }).click();
  const row = dispatcher.page.locator(`.board li[data-request="${made.id}"]`);
  await row.waitFor();
  assert.match(await row.innerText(), /affectée/);
  assert.match(await row.innerText(), /Technicien : Thomas Technician/);
  // Filtered by status: it is not on site.
  await dispatcher.page.getByLabel('Statut').selectOption('on_site');
  await dispatcher.page.getByText('Aucune demande ici.').waitFor();
  await dispatcher.page.getByLabel('Statut').selectOption('assigned');
  await row.waitFor();
  for (const side of [dispatcher, technician]) {
    assert.deepEqual(side.problems, []);
    await side.context.close();
  }
});

test("the board's figures and chart match the API", async () => {
  const dispatcher = await world.signIn('dispatcher', 'dispatcher-demo', desktop);
  const client = await as('client');
  // Something to count: a message to the demo job the dispatcher follows.
  await callApi(world.server.url, client, '/api/chat/messages/', {
    method: 'POST', body: { conversation_id: 1, message_type: 'text', content: { text: 'Toujours là ?' } },
  });
  const token = await as('dispatcher');
  // The page refreshes on the message's frame; then it shows what the API says.
  await dispatcher.page.getByRole('tab', { name: 'Tableau' }).click();
  const row = dispatcher.page.locator('.board li[data-request="1"]');
  await row.getByText('Toujours là ?').waitFor();
  const dashboard = await callApi(world.server.url, token, '/api/chat/dashboard/?hours=24');
  for (const key of ['conversation_count', 'total_messages', 'unread_messages']) {
    const shown = await dispatcher.page.locator(`.figures [data-key="${key}"] dd`).innerText();
    assert.equal(shown, String(dashboard[key]), key);
  }
  const bars = dispatcher.page.locator('.chart .bar');
  assert.equal(await bars.count(), dashboard.messages_per_hour.length);
  const counted = await bars.evaluateAll((all) => all.reduce((sum, b) => sum + Number(b.dataset.messages), 0));
  assert.equal(counted, dashboard.messages_per_hour.reduce((sum, p) => sum + p.messages, 0));
  assert.ok(counted >= 1);
  // The job's row opens its chat, where the dispatcher reads both sides with their names.
  await row.getByRole('link').click();
  await dispatcher.page.locator('.message .sender', { hasText: 'Claire Client' }).first().waitFor();
  assert.deepEqual(dispatcher.problems, []);
  await dispatcher.context.close();
});

test('a tracking link shows the technician moving to anyone, until it is revoked', async () => {
  const client = await as('client');
  const technician = await as('technician');
  const link = await callApi(world.server.url, client, '/api/requests/1/tracking_link/', { method: 'POST' });
  assert.match(link.url, /^\/t\/[0-9a-f]{32}$/);

  // A browser that never signed in.
  const visitor = await world.browser.newContext({ viewport: { width: 390, height: 800 }, locale: 'fr-FR' });
  const page = await visitor.newPage();
  const problems = [];
  page.on('pageerror', (error) => problems.push(error.message));
  await page.goto(`${world.server.url}${link.url}`);
  await page.getByRole('heading', { name: 'Suivi de votre intervention' }).waitFor();
  await page.getByText('Un technicien est affecté à votre demande.').waitFor();
  assert.equal(await page.locator('.map path.technician').count(), 0);

  await callApi(world.server.url, technician, '/api/requests/1/status/', { method: 'POST', body: { status: 'en_route' } });
  await page.getByText('Le technicien est en route.').waitFor();
  const minuteAgo = new Date(Date.now() - 60000).toISOString();
  await callApi(world.server.url, technician, '/api/tracking/1/position/', {
    method: 'POST', body: { latitude: 48.8500, longitude: 2.3400, recorded_at: minuteAgo },
  });
  const marker = page.locator('.map path.technician');
  await marker.waitFor();
  await page.getByText(/Thomas arrive dans \d+ min/).waitFor();
  const before = await marker.getAttribute('d');
  await callApi(world.server.url, technician, '/api/tracking/1/position/', {
    method: 'POST', body: { latitude: 48.8560, longitude: 2.3360 },
  });
  await page.waitForFunction((d) => document.querySelector('.map path.technician')?.getAttribute('d') !== d, before);

  await callApi(world.server.url, client, '/api/requests/1/tracking_link/', { method: 'DELETE' });
  await page.getByText('Ce lien de suivi a expiré.').waitFor();
  assert.equal(await page.locator('.map').count(), 0);
  // Nothing of the signed-in page: no sign-in form, no sign-out button.
  assert.equal(await page.getByRole('button', { name: 'Se connecter' }).count(), 0);
  assert.equal(await page.getByRole('button', { name: 'Se déconnecter' }).isVisible(), false);
  assert.deepEqual(problems, []);
  await visitor.close();
});
