// The browser client against a real fieldlinkd: a client and a technician, each in their own
// browser context, talk on the demo request's communication page.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { artifacts, recordNotifications, setVisibility, withServerAndBrowser } from './harness.mjs';

const world = withServerAndBrowser();
const signIn = (...rest) => world.signIn(...rest);

test('client and technician chat with typing, read ticks, and a reload without duplicates', async () => {
  const client = await signIn('client', 'client-demo', { width: 390, height: 800 });
  const technician = await signIn('technician', 'technician-demo', { width: 1280, height: 800 });

  await client.page.getByRole('link', { name: 'Leak under the kitchen sink' }).click();
  await client.page.waitForURL(/\/communication\/1$/);
  await technician.page.goto(`${world.server.url}/communication/1`);
  for (const side of [client, technician])
    await side.page.locator('.state[data-state="online"]').waitFor();
  // The assignment's system message is there on both sides, in French, and nothing older is
  // offered.
  await client.page.locator('.messages').getByText('Thomas Technician est assigné à la demande').waitFor();
  assert.equal(await client.page.getByRole('button', { name: 'Messages plus anciens' }).isVisible(), false);

  await client.page.getByLabel('Votre message').pressSequentially('Bonj');
  await technician.page.getByText("L'autre participant écrit…").waitFor();
  await client.page.getByLabel('Votre message').pressSequentially('our, la fuite empire');
  await client.page.getByRole('button', { name: 'Envoyer' }).click();
  await technician.page.locator('.message.theirs', { hasText: 'Bonjour, la fuite empire' }).waitFor();
  await technician.page.getByText("L'autre participant écrit…").waitFor({ state: 'hidden' });
  // The technician's page is open and visible: it reads, and the client's message turns read.
  await client.page.locator('.message.mine.read', { hasText: 'Bonjour, la fuite empire' }).waitFor();

  await technician.page.getByLabel('Votre message').fill("J'arrive dans 20 minutes.");
  await technician.page.getByLabel('Votre message').press('Enter');
  await client.page.locator('.message.theirs', { hasText: "J'arrive dans 20 minutes." }).waitFor();
  await client.page.screenshot({ path: join(artifacts, 'chat-client-phone.png') });
  await technician.page.screenshot({ path: join(artifacts, 'chat-technician-desktop.png') });

  // A reload comes back to the same history, each message once.
  await client.page.reload();
  await client.page.locator('.state[data-state="online"]').waitFor();
  await client.page.locator('.message', { hasText: "J'arrive dans 20 minutes." }).waitFor();
  assert.equal(await client.page.locator('.message', { hasText: 'Bonjour, la fuite empire' }).count(), 1);
  assert.equal(await client.page.locator('.message', { hasText: "J'arrive dans 20 minutes." }).count(), 1);

  // Sent while the technician's page was away: delivered on its return, once.
  await technician.page.goto(`${world.server.url}/`);
  await client.page.getByLabel('Votre message').fill('Le robinet est fermé.');
  await client.page.getByLabel('Votre message').press('Enter');
  await client.page.locator('.message.mine:not(.pending)', { hasText: 'Le robinet est fermé.' }).waitFor();
  await technician.page.getByText('1 non lu(s)').waitFor();
  assert.equal(await technician.page.title(), '(1) fieldlink');
  await technician.page.getByRole('link', { name: 'Leak under the kitchen sink' }).click();
  await technician.page.locator('.message', { hasText: 'Le robinet est fermé.' }).waitFor();
  assert.equal(await technician.page.locator('.message', { hasText: 'Le robinet est fermé.' }).count(), 1);
  // Opening the chat reads it, with no new message needed: the client's tick turns, and back
  // on the list nothing counts as unread.
  await client.page.locator('.message.mine.read', { hasText: 'Le robinet est fermé.' }).waitFor();
  await technician.page.getByRole('link', { name: /Retour/ }).click();
  await technician.page.getByRole('heading', { name: 'Mes demandes' }).waitFor();
  assert.equal(await technician.page.getByText(/non lu/).count(), 0);
  assert.equal(await technician.page.title(), 'fieldlink');

  // A chat in a tab that is not shown counts what comes meanwhile in its title.
  await technician.page.getByRole('link', { name: 'Leak under the kitchen sink' }).click();
  await technician.page.locator('.state[data-state="online"]').waitFor();
  assert.equal(await technician.page.title(), 'Leak under the kitchen sink · fieldlink');
  await setVisibility(technician.page, 'hidden');
  for (const text of ['Vous êtes loin ?', 'Je vous attends.']) {
    await client.page.getByLabel('Votre message').fill(text);
    await client.page.getByLabel('Votre message').press('Enter');
    await technician.page.locator('.message.theirs', { hasText: text }).waitFor();
  }
  assert.equal(await technician.page.title(), '(2) Leak under the kitchen sink · fieldlink');
  await setVisibility(technician.page, 'visible');
  assert.equal(await technician.page.title(), 'Leak under the kitchen sink · fieldlink');

  // Web addresses in a message are links that open apart; nothing else becomes one.
  await client.page.getByLabel('Votre message').fill(
    'La notice : https://example.org/notice?id=4, et javascript:alert(1) non.');
  await client.page.getByLabel('Votre message').press('Enter');
  const link = technician.page.locator('.message.theirs a', { hasText: 'https://example.org/notice?id=4' });
  await link.waitFor();
  assert.equal(await link.getAttribute('href'), 'https://example.org/notice?id=4');
  assert.equal(await link.getAttribute('rel'), 'noopener noreferrer');
  assert.equal(await technician.page.locator('.message.theirs a', { hasText: 'javascript' }).count(), 0);
  await technician.page.locator('.message.theirs', { hasText: ', et javascript:alert(1) non.' }).waitFor();

  assert.deepEqual(client.problems, []);
  assert.deepEqual(technician.problems, []);
});

test('each run of messages says who wrote it, and days are set apart, in the chosen language', async () => {
  // The dispatcher who assigned the job reads both sides of it (the messages of the test above).
  const dispatcher = await signIn('dispatcher', 'dispatcher-demo', { width: 1280, height: 800 });
  const open = async () => {
    await dispatcher.page.goto(`${world.server.url}/communication/1`);
    await dispatcher.page.locator('.message', { hasText: 'Je vous attends.' }).waitFor();
  };
  await open();
  const nameOf = (text) => dispatcher.page.locator('.message', { hasText: text }).locator('.sender');
  assert.equal(await nameOf("J'arrive dans 20 minutes.").textContent(), 'Thomas Technician · technicien');
  assert.equal(await nameOf('Le robinet est fermé.').textContent(), 'Claire Client · client');
  assert.equal(await nameOf('Vous êtes loin ?').count(), 0);  // the same person, still
  assert.equal(await nameOf('Thomas Technician est assigné à la demande').count(), 0);  // the server's
  const days = dispatcher.page.locator('.messages .day');
  assert.equal(await days.last().textContent(), "Aujourd'hui");
  assert.match(await dispatcher.page.locator('.message time').last().textContent(), /^\d{1,2}:\d{2}$/);
  await dispatcher.page.screenshot({ path: join(artifacts, 'chat-dispatcher-desktop.png') });

  // Seen from tomorrow, then from three days on: "Hier", then the date written out.
  const dayMs = 24 * 60 * 60 * 1000;
  await dispatcher.page.clock.setFixedTime(new Date(Date.now() + dayMs));
  await open();
  assert.equal(await days.last().textContent(), 'Hier');
  await dispatcher.page.clock.setFixedTime(new Date(Date.now() + 3 * dayMs));
  await open();
  assert.match(await days.last().textContent(), /^[a-zéû]+ \d{1,2} [a-zéû]+$/);

  // In English: the same words, and the clock of English.
  await dispatcher.page.clock.setFixedTime(new Date(Date.now() + dayMs));
  await open();
  await dispatcher.page.getByRole('button', { name: 'English' }).click();
  // The chat is drawn again in English (until then the French one is still on screen).
  await dispatcher.page.locator('.message.system', { hasText: 'Thomas Technician is assigned' }).waitFor();
  assert.equal(await days.last().textContent(), 'Yesterday');
  assert.equal(await nameOf("J'arrive dans 20 minutes.").textContent(), 'Thomas Technician · technician');
  assert.match(await dispatcher.page.locator('.message time').last().textContent(), /^\d{1,2}:\d{2}\s(AM|PM)$/);
  await dispatcher.page.getByRole('button', { name: 'Français' }).click();
  assert.deepEqual(dispatcher.problems, []);
});

test('the info tab: the other party to call, and the technician moving the job along', async () => {
  const { client, technician } = await world.clientAndTechnician();
  for (const side of [client, technician]) await side.page.getByRole('tab', { name: 'Infos' }).click();
  const call = client.page.getByRole('link', { name: 'Appeler Thomas Technician' });
  await call.waitFor();
  assert.equal(await call.getAttribute('href'), 'tel:+33698765432');
  await technician.page.getByRole('link', { name: 'Appeler Claire Client' }).waitFor();
  // The address opens a map where the job is (OpenStreetMap on this Linux desktop).
  const address = technician.page.getByRole('link', { name: '12 rue de la Paix, 75002 Paris' });
  assert.equal(await address.getAttribute('href'),
               'https://www.openstreetmap.org/?mlat=48.8686&mlon=2.3314#map=17/48.8686/2.3314');
  assert.equal(await address.getAttribute('rel'), 'noopener noreferrer');
  // Only the assigned technician gets the buttons.
  assert.equal(await client.page.getByRole('button', { name: 'Je suis en route' }).count(), 0);

  await technician.page.getByRole('button', { name: 'Je suis en route' }).click();
  await technician.page.locator('#info-status', { hasText: 'en route' }).waitFor();
  // The client sees it live: on the info tab, in its timeline, and in the chat.
  await client.page.locator('#info-status', { hasText: 'en route' }).waitFor();
  await client.page.locator('header.job .status', { hasText: 'en route' }).waitFor();
  await client.page.locator('.timeline li', { hasText: 'Demande créée' }).waitFor();
  await client.page.locator('.timeline li', { hasText: 'Le technicien est en route' }).waitFor();
  await client.page.screenshot({ path: join(artifacts, 'info-client-phone.png') });
  await client.page.getByRole('tab', { name: 'Discussion' }).click();
  await client.page.locator('.message.system', { hasText: 'Le technicien est en route' }).waitFor();
  await technician.page.screenshot({ path: join(artifacts, 'info-technician-desktop.png') });
  assert.deepEqual(client.problems, []);
  assert.deepEqual(technician.problems, []);
});

test('the tracking tab: the technician shares a position, the client sees distance and ETA move', async () => {
  // The demo job is at 48.8686, 2.3314; the technician starts 1.8 km away (the job is en
  // route since the test before).
  const technician = await signIn('technician', 'technician-demo', { width: 390, height: 800 }, {
    permissions: ['geolocation'], geolocation: { latitude: 48.8566, longitude: 2.3522, accuracy: 10 } });
  const client = await signIn('client', 'client-demo', { width: 1280, height: 800 });
  for (const side of [client, technician]) {
    await world.openRequest(side);
    await side.page.getByRole('tab', { name: 'Suivi' }).click();
  }
  await client.page.getByText("Pas encore de position du technicien.").waitFor();
  assert.equal(await client.page.getByRole('button', { name: 'Partager ma position' }).count(), 0);

  await technician.page.getByRole('button', { name: 'Partager ma position' }).click();
  const summary = client.page.locator('.tracking .summary');
  await summary.filter({ hasText: /^À [\d,]+ km, arrivée dans \d+ min/ }).waitFor();
  await client.page.locator('.job-map path.technician').waitFor();
  assert.equal(await client.page.locator('.job-map path.technician.stale').count(), 0);
  assert.match(await client.page.locator('.tracking .age').textContent(),
               /^Dernière position : (maintenant|il y a \d+ secondes)$/);
  // No tile server in this world: the markers on a plain background, and a note saying so.
  await client.page.locator('.job-map .map[data-tiles="none"]').waitFor();
  await client.page.getByText('Aucun fond de carte configuré : positions sur fond uni.').waitFor();
  const before = await summary.textContent();

  // 90 m closer, a few seconds later: a plausible move, drawn as a trail.
  await new Promise((resolve) => setTimeout(resolve, 2500));
  await technician.context.setGeolocation({ latitude: 48.8572, longitude: 2.3513, accuracy: 10 });
  await client.page.waitForFunction(
    (old) => document.querySelector('.tracking .summary').textContent !== old, before);
  await client.page.locator('.job-map path.trail').waitFor();
  await client.page.screenshot({ path: join(artifacts, 'tracking-client-desktop.png') });

  // A map one can zoom (Leaflet's own control) and pan (a drag), with a scale.
  const map = client.page.locator('.job-map .map');
  const zoom = Number(await map.getAttribute('data-zoom'));
  await client.page.getByRole('button', { name: 'Zoom avant' }).click();
  await client.page.locator(`.job-map .map[data-zoom="${zoom + 1}"]`).waitFor();
  const pane = client.page.locator('.leaflet-map-pane');
  const placed = await pane.evaluate((e) => e.style.transform);
  const box = await map.boundingBox();
  await client.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await client.page.mouse.down();
  await client.page.mouse.move(box.x + box.width / 2 - 80, box.y + box.height / 2 - 40, { steps: 5 });
  await client.page.mouse.up();
  assert.notEqual(await pane.evaluate((e) => e.style.transform), placed);
  await client.page.locator('.job-map .leaflet-control-scale-line').waitFor();
  await technician.page.getByRole('button', { name: 'Arrêter le partage' }).click();
  await technician.page.screenshot({ path: join(artifacts, 'tracking-technician-phone.png') });
  assert.deepEqual(client.problems, []);
  assert.deepEqual(technician.problems, []);
});

test('a wrong password is refused in words, and English is one click away', async () => {
  const context = await world.browser.newContext({ locale: 'fr-FR' });
  const page = await context.newPage();
  await page.goto(`${world.server.url}/`);
  await page.getByLabel("Nom d'utilisateur").fill('client');
  await page.getByLabel('Mot de passe').fill('wrong-password');
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.getByRole('alert').getByText('Identifiants incorrects.').waitFor();
  await page.getByRole('button', { name: 'English' }).click();
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await page.screenshot({ path: join(artifacts, 'login-english.png') });
  await context.close();
});

test('two tabs refreshing at once keep the session, and signing out ends it on the server', async () => {
  const first = await signIn('client', 'client-demo', { width: 1280, height: 800 });
  const second = await first.context.newPage();
  await second.goto(`${world.server.url}/`);
  await second.getByRole('heading', { name: 'Mes demandes' }).waitFor();
  // Both tabs find the shared access token refused at the same moment and refresh. Refresh
  // tokens rotate and one spent twice ends the session: the tabs take turns (Web Locks), and
  // one that has not yet seen the other's new tokens learns them from IndexedDB.
  await first.page.evaluate(() => localStorage.setItem('fl.access', 'refused'));
  const whoAmI = (page) => page.evaluate(async () => {
    const { api } = await import('/static/api.js');
    return (await api('/api/users/me/')).username;
  });
  assert.deepEqual(await Promise.all([whoAmI(first.page), whoAmI(second)]), ['client', 'client']);
  // The race that is hard to catch: a tab whose turn comes while its localStorage still
  // shows the token another tab has just spent. Set that view by hand: it must take the
  // successor, not spend the old token again.
  const spent = await first.page.evaluate(() => localStorage.getItem('fl.refresh'));
  await first.page.evaluate(() => localStorage.setItem('fl.access', 'refused'));
  assert.equal(await whoAmI(first.page), 'client');
  await second.evaluate((stale) => {
    localStorage.setItem('fl.refresh', stale);
    localStorage.setItem('fl.access', 'refused');
  }, spent);
  assert.equal(await whoAmI(second), 'client');
  const refreshWith = async (token) => (await fetch(`${world.server.url}/api/token/refresh/`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ refresh: token }),
  }));
  const kept = await refreshWith(await first.page.evaluate(() => localStorage.getItem('fl.refresh')));
  assert.equal(kept.status, 200, 'the session survived both refreshes');
  const newest = (await kept.json()).refresh;

  await first.page.getByRole('button', { name: 'Se déconnecter' }).click();
  await first.page.getByRole('heading', { name: 'Connexion' }).waitFor();
  const ended = await refreshWith(newest);
  assert.equal(ended.status, 401);
  assert.equal((await ended.json()).code, 'token_revoked');
  await first.context.close();
});

test('an unknown address says so in words and leads back to the requests', async () => {
  const client = await signIn('client', 'client-demo', { width: 390, height: 800 });
  const answer = await client.page.goto(`${world.server.url}/dashboard`);
  assert.equal(answer.status(), 404);
  await client.page.getByRole('heading', { name: 'Page introuvable' }).waitFor();
  await client.page.getByRole('link', { name: 'Revenir à mes demandes' }).click();
  await client.page.getByRole('heading', { name: 'Mes demandes' }).waitFor();
  assert.equal(new URL(client.page.url()).pathname, '/');
  // A request that is not there (or not theirs): the API's 404 said in French, not in the
  // server's English.
  await client.page.goto(`${world.server.url}/communication/999`);
  await client.page.getByRole('alert').getByText("Erreur : Introuvable, ou vous n'y avez pas accès.").waitFor();
  // A 404 for the page itself is logged by the browser as a failed resource: nothing else.
  assert.deepEqual(client.problems.filter((p) => !p.includes('404')), []);
  await client.context.close();
});

test('notifications: asked for once after signing in, then shown for messages and events while the page is hidden', async () => {
  // Asked on the list after signing in, with a button; "later" is remembered.
  const asked = await signIn('technician', 'technician-demo', { width: 390, height: 800 });
  const banner = asked.page.getByRole('complementary', { name: 'Notifications' });
  await banner.getByRole('button', { name: 'Plus tard' }).click();
  await banner.waitFor({ state: 'detached' });
  await asked.page.reload();
  await asked.page.getByRole('heading', { name: 'Mes demandes' }).waitFor();
  assert.equal(await banner.count(), 0);

  // The client allows them, then looks elsewhere: a message and a status change show.
  const client = await signIn('client', 'client-demo', { width: 1280, height: 800 });
  await client.context.addInitScript(recordNotifications);
  await client.page.reload();
  await client.page.getByRole('button', { name: 'Activer les notifications' }).waitFor();
  await client.context.grantPermissions(['notifications']);  // as the person would in the prompt
  await client.page.getByRole('button', { name: 'Activer les notifications' }).click();
  await client.page.getByRole('complementary', { name: 'Notifications' }).waitFor({ state: 'detached' });
  await setVisibility(client.page, 'hidden');
  const technician = await signIn('technician', 'technician-demo', { width: 1280, height: 800 });
  await world.openRequest(technician);
  await technician.page.getByLabel('Votre message').fill('Je me gare devant.');
  await technician.page.getByLabel('Votre message').press('Enter');
  await technician.page.locator('.message.mine:not(.pending)', { hasText: 'Je me gare devant.' }).waitFor();
  await technician.page.getByRole('tab', { name: 'Infos' }).click();
  await technician.page.getByRole('button', { name: 'Je suis sur place' }).click();
  const shown = () => client.page.evaluate(() => window.shownNotifications);
  await client.page.waitForFunction(() => window.shownNotifications.length >= 2);
  assert.deepEqual(await shown(), [
    { title: 'Leak under the kitchen sink', body: 'Je me gare devant.', tag: 'message-1' },
    { title: 'Leak under the kitchen sink', body: 'Le technicien est sur place', tag: (await shown())[1].tag },
  ]);
  assert.match((await shown())[1].tag, /^event-\d+$/);
  // Looking at the page, nothing is shown; hidden again, the next one is.
  await setVisibility(client.page, 'visible');
  await technician.page.getByRole('tab', { name: 'Discussion' }).click();
  for (const [text, visibility] of [['Je monte.', 'hidden'], ['Deuxième étage.', null]]) {
    await technician.page.getByLabel('Votre message').fill(text);
    await technician.page.getByLabel('Votre message').press('Enter');
    await technician.page.locator('.message.mine:not(.pending)', { hasText: text }).waitFor();
    if (visibility) await setVisibility(client.page, visibility);
  }
  await client.page.waitForFunction(() => window.shownNotifications.length >= 3);
  assert.deepEqual((await shown()).map((n) => n.body),
                   ['Je me gare devant.', 'Le technicien est sur place', 'Deuxième étage.']);
  for (const side of [asked, client, technician]) assert.deepEqual(side.problems, []);
});
