// The page without its server: the service worker opens it from what it kept, with the
// requests and messages it had, and a message typed meanwhile survives a reload (IndexedDB)
// and is sent, once, when the server is back. The server here is really stopped and started
// again on its port and data, not emulated away.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { artifacts, withServerAndBrowser } from './harness.mjs';
import { startServer } from './server.mjs';

const world = withServerAndBrowser();

test('offline: the page opens from what it kept, and a message typed meanwhile is sent once the server is back', async () => {
  const client = await world.signIn('client', 'client-demo', { width: 390, height: 800 });
  const technician = await world.signIn('technician', 'technician-demo', { width: 1280, height: 800 });
  await world.openRequest(technician);
  await technician.page.getByLabel('Votre message').fill('Avant la coupure.');
  await technician.page.getByLabel('Votre message').press('Enter');
  await world.openRequest(client);
  await client.page.locator('.message', { hasText: 'Avant la coupure.' }).waitFor();
  // The service worker takes the page over after its first load, and keeps what the page
  // reads from then on: a second visit, as anyone's second visit.
  await client.page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  await world.openRequest(client);
  await client.page.waitForFunction(async () => (await caches.keys()).includes('fieldlink-shell-v1') &&
    (await (await caches.open('fieldlink-shell-v1')).keys()).some((r) => r.url.endsWith('/static/chat.js')));

  const before = world.server;
  await before.stop({ keepData: true });
  await client.page.locator('.state[data-state="offline"]').waitFor();
  await client.page.getByLabel('Votre message').fill('Écrit sans réseau.');
  await client.page.getByLabel('Votre message').press('Enter');
  await client.page.locator('.message.pending', { hasText: 'Écrit sans réseau.' }).waitFor();

  // Reloaded with no server: the page, the request and the history, and the message waiting.
  await client.page.reload();
  await client.page.getByRole('heading', { name: 'Leak under the kitchen sink' }).waitFor();
  await client.page.locator('.message', { hasText: 'Avant la coupure.' }).waitFor();
  await client.page.locator('.message.pending', { hasText: 'Écrit sans réseau.' }).waitFor();
  await client.page.screenshot({ path: join(artifacts, 'offline-client-phone.png') });

  world.server = await startServer({}, before);
  await client.page.locator('.message.mine:not(.pending)', { hasText: 'Écrit sans réseau.' }).waitFor({ timeout: 30000 });
  const received = technician.page.locator('.message.theirs', { hasText: 'Écrit sans réseau.' });
  await received.waitFor({ timeout: 30000 });
  // Once, however many times it went out; and nothing left waiting after another reload.
  await client.page.reload();
  await client.page.locator('.state[data-state="online"]').waitFor();
  await client.page.locator('.message', { hasText: 'Écrit sans réseau.' }).waitFor();
  assert.equal(await client.page.locator('.message', { hasText: 'Écrit sans réseau.' }).count(), 1);
  assert.equal(await client.page.locator('.message.pending').count(), 0);
  assert.equal(await received.count(), 1);
  // Offline, the browser logs the requests that found no server; nothing else went wrong.
  const unexpected = (problems) => problems.filter((p) => !/Failed to load resource|ERR_CONNECTION_REFUSED|WebSocket/.test(p));
  assert.deepEqual(unexpected(client.problems), []);
  assert.deepEqual(unexpected(technician.problems), []);
});
