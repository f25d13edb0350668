// The quick actions and media in the chat against a real fieldlinkd: a photo, a voice note
// recorded from Chromium's fake microphone, a video clip, a location, files the server (or
// the page) refuses; and the tracking map over tiles from a tile server started here, then
// its plain fallback when that server fails.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { artifacts, withServerAndBrowser } from './harness.mjs';

const kUploadLimit = 3_000_000;

let fixtures;
const tiles = { requests: 0, failing: false };
let tileServer;

function ffmpeg(...args) {
  execFileSync('ffmpeg', ['-nostdin', '-loglevel', 'error', '-y', ...args]);
}

// The media files, and a tile server of our own.
async function prepare() {
  fixtures = mkdtempSync(join(tmpdir(), 'fieldlink-e2e-media-'));
  ffmpeg('-f', 'lavfi', '-i', 'testsrc=size=320x240', '-frames:v', '1', join(fixtures, 'fuite.png'));
  ffmpeg('-f', 'lavfi', '-i', 'testsrc=size=160x120:rate=10', '-t', '2', '-c:v', 'libvpx',
         join(fixtures, 'robinet.webm'));
  ffmpeg('-f', 'lavfi', '-i', 'color=c=0xcfe3c4:s=256x256', '-frames:v', '1', join(fixtures, 'tile.png'));
  const clip = readFileSync(join(fixtures, 'robinet.webm'));
  writeFileSync(join(fixtures, 'coupé.webm'), clip.subarray(0, Math.floor(clip.length / 3)));
  // An executable: no photo, PDF or text, whatever its name says.
  writeFileSync(join(fixtures, 'facture.pdf'), Buffer.concat([Buffer.from('\x7fELF\x02\x01\x01'), Buffer.alloc(4000, 7)]));
  writeFileSync(join(fixtures, 'plans.txt'), 'x'.repeat(kUploadLimit + 1));

  const tile = readFileSync(join(fixtures, 'tile.png'));
  tileServer = createServer((request, response) => {
    tiles.requests += 1;
    if (tiles.failing || !/^\/tiles\/\d+\/\d+\/\d+\.png$/.test(request.url)) {
      response.writeHead(503).end();
      return;
    }
    response.writeHead(200, { 'Content-Type': 'image/png', 'Cache-Control': 'no-store' }).end(tile);
  });
  await new Promise((resolve) => tileServer.listen(0, '127.0.0.1', resolve));
}

after(() => {
  tileServer?.close();
  if (fixtures) rmSync(fixtures, { recursive: true, force: true });
});

// The server's settings name the tile server's port: it starts first.
const world = withServerAndBrowser(async () => {
  await prepare();
  return {
    FIELDLINK_WEB_MAP_TILES_URL: `http://127.0.0.1:${tileServer.address().port}/tiles/{z}/{x}/{y}.png`,
    FIELDLINK_WEB_MAP_ATTRIBUTION: '© Tuiles de test',
    FIELDLINK_ATTACHMENTS_MAX_BYTES: String(kUploadLimit),
  };
});
const signIn = (...rest) => world.signIn(...rest);

// Problems other than the browser's own note of a refused request, which some tests cause.
const unexpected = (problems) => problems.filter((p) => !p.startsWith('Failed to load resource'));


async function pick(page, buttonName, file) {
  const [chooser] = await Promise.all([
    page.waitForEvent('filechooser'),
    page.getByRole('button', { name: buttonName, exact: true }).click(),
  ]);
  await chooser.setFiles(join(fixtures, file));
}

// Waits until the media element has loaded (from a blob: URL the page made) and returns
// what it knows about itself.
async function loaded(locator, selector) {
  const element = locator.locator(selector);
  await element.waitFor();
  await element.evaluate((e) => new Promise((resolve, reject) => {
    const done = () => (e.tagName === 'IMG' ? e.complete && e.naturalWidth > 0 : e.readyState >= 1);
    if (done()) { resolve(); return; }
    e.addEventListener(e.tagName === 'IMG' ? 'load' : 'loadedmetadata', resolve, { once: true });
    e.addEventListener('error', () => reject(new Error(`${e.tagName} did not load`)), { once: true });
  }));
  return element.evaluate((e) => ({ src: e.currentSrc || e.src, width: e.naturalWidth ?? e.videoWidth,
                                    videoWidth: e.videoWidth, duration: e.duration }));
}

test('a photo, a voice note and a video clip sent from the quick actions show and play on both sides', async () => {
  const { client, technician } = await world.clientAndTechnician();

  // The call action dials the other party.
  assert.equal(await client.page.locator('.quick-actions a[href^="tel:"]').getAttribute('href'), 'tel:+33698765432');

  await pick(client.page, 'Photo', 'fuite.png');
  const mine = await loaded(client.page.locator('.message.mine.file:not(.pending)'), 'img.photo');
  const theirs = await loaded(technician.page.locator('.message.theirs.file'), 'img.photo');
  assert.match(mine.src, /^blob:/);
  assert.match(theirs.src, /^blob:/);
  assert.equal(theirs.width, 320);
  // The photo opens full size over the page, and Escape closes it.
  await technician.page.getByRole('button', { name: 'Voir la photo en grand (fuite.png)' }).click();
  const viewer = technician.page.getByRole('dialog', { name: 'fuite.png' });
  assert.equal((await loaded(viewer, 'img')).src, theirs.src);
  await technician.page.screenshot({ path: join(artifacts, 'photo-viewer-desktop.png') });
  await technician.page.keyboard.press('Escape');
  await viewer.waitFor({ state: 'detached' });

  // A voice note from the fake microphone, about two seconds long.
  await technician.page.getByRole('button', { name: 'Message vocal', exact: true }).click();
  await technician.page.getByRole('status').filter({ hasText: /Enregistrement… 0:0[2-9]/ }).waitFor();
  await technician.page.getByRole('button', { name: 'Arrêter et envoyer' }).click();
  const note = client.page.locator('.message.theirs.voice');
  const audio = await loaded(note, 'audio');
  assert.match(audio.src, /^blob:/);
  assert.match(await note.locator('.duration').textContent(), /^0:0[2-4]$/);
  await technician.page.locator('.message.mine.voice:not(.pending) audio').waitFor();

  await pick(client.page, 'Vidéo', 'robinet.webm');
  const clip = await loaded(technician.page.locator('.message.theirs.video'), 'video');
  assert.equal(clip.videoWidth, 160);
  await client.page.locator('.message.mine.video:not(.pending) video').waitFor();

  await client.page.screenshot({ path: join(artifacts, 'media-client-phone.png'), fullPage: true });
  await technician.page.screenshot({ path: join(artifacts, 'media-technician-desktop.png') });

  // After a reload the history shows them again, each once, fetched with the token.
  await technician.page.reload();
  await technician.page.locator('.state[data-state="online"]').waitFor();
  await loaded(technician.page.locator('.message.theirs.file'), 'img.photo');
  assert.equal(await technician.page.locator('.message.file').count(), 1);
  assert.equal(await technician.page.locator('.message.voice').count(), 1);
  assert.equal(await technician.page.locator('.message.video').count(), 1);
  assert.deepEqual(unexpected(client.problems), []);
  assert.deepEqual(unexpected(technician.problems), []);
});

test('a location from the quick actions renders on both sides with a link to the map', async () => {
  const { client, technician } = await world.clientAndTechnician({
    permissions: ['geolocation'], geolocation: { latitude: 48.8686, longitude: 2.3314, accuracy: 12 } });
  await client.page.getByRole('button', { name: 'Ma position' }).click();
  const shown = technician.page.locator('.message.theirs.location');
  await shown.getByText('Position : 48.86860, 2.33140').waitFor();
  assert.match(await shown.getByRole('link', { name: 'Voir sur la carte' }).getAttribute('href'), /^https?:\/\//);
  await client.page.locator('.message.mine.location:not(.pending)').waitFor();
  assert.deepEqual(unexpected(client.problems), []);
  assert.deepEqual(unexpected(technician.problems), []);
});

test('refused files are explained and nothing is sent', async () => {
  const { client, technician } = await world.clientAndTechnician();
  const before = await technician.page.locator('.message').count();

  // Too large: the page says so before sending a byte.
  await pick(client.page, 'Fichier', 'plans.txt');
  await client.page.getByRole('alert').filter({ hasText: '« plans.txt » est trop volumineux' }).waitFor();
  assert.equal(await client.page.locator('.message.pending').count(), 0);

  // Not a kind of file the chat takes, whatever its name: the server's 415, in words.
  await pick(client.page, 'Fichier', 'facture.pdf');
  const refused = client.page.locator('.message.refused', { hasText: 'facture.pdf' });
  await refused.getByText("« facture.pdf » n'est pas d'un type accepté ici.", { exact: false }).waitFor();
  // A damaged clip: the server's 400 invalid_media.
  await pick(client.page, 'Vidéo', 'coupé.webm');
  await client.page.locator('.message.refused', { hasText: 'coupé.webm' })
    .getByText('« coupé.webm » est endommagé ou incomplet', { exact: false }).waitFor();
  await client.page.screenshot({ path: join(artifacts, 'refused-files-phone.png') });

  await refused.getByRole('button', { name: 'Retirer' }).click();
  await refused.waitFor({ state: 'detached' });
  // The other side saw none of it.
  await client.page.getByLabel('Votre message').fill('Je vous envoie la facture autrement.');
  await client.page.getByLabel('Votre message').press('Enter');
  await technician.page.locator('.message.theirs', { hasText: 'Je vous envoie la facture autrement.' }).waitFor();
  assert.equal(await technician.page.locator('.message').count(), before + 1);
  assert.deepEqual(unexpected(client.problems), []);
});

test('the tracking map lies over tiles from the configured server, shows an old position as stale, and falls back to a plain background', async () => {
  // A position, posted as the technician's phone would, ten minutes ago (after which the
  // technician stopped sharing): the map shows it as stale.
  const tokens = await (await fetch(`${world.server.url}/api/token/`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: 'technician', password: 'technician-demo' }) })).json();
  const posted = await fetch(`${world.server.url}/api/tracking/1/position/`, {
    method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${tokens.access}` },
    body: JSON.stringify({ latitude: 48.8566, longitude: 2.3522, accuracy: 10,
                           recorded_at: new Date(Date.now() - 10 * 60 * 1000).toISOString() }) });
  assert.equal(posted.status, 202);

  const client = await signIn('client', 'client-demo', { width: 1280, height: 800 });
  await world.openRequest(client);
  await client.page.getByRole('tab', { name: 'Suivi' }).click();
  await client.page.locator('.job-map .map[data-tiles="on"] img.leaflet-tile-loaded').first().waitFor();
  await client.page.locator('.job-map path.technician.stale').waitFor();
  await client.page.locator('.job-map path.destination').waitFor();
  await client.page.getByText('© Tuiles de test').waitFor();
  assert.equal(await client.page.locator('.tracking .age').textContent(),
               'Position ancienne (il y a 10 minutes) : le technicien ne la partage peut-être plus.');
  assert.match(await client.page.locator('.tracking .summary').textContent(),
               /^D'après sa dernière position : à [\d,]+ km, arrivée estimée dans \d+ min/);
  assert.ok(tiles.requests > 0);
  await client.page.screenshot({ path: join(artifacts, 'tracking-tiles-desktop.png') });

  tiles.failing = true;
  const fresh = await signIn('client', 'client-demo', { width: 390, height: 800 });
  await world.openRequest(fresh);
  await fresh.page.getByRole('tab', { name: 'Suivi' }).click();
  await fresh.page.locator('.job-map .map[data-tiles="failed"]').waitFor();
  await fresh.page.getByText('Carte indisponible : positions sur fond uni.').waitFor();
  assert.equal(await fresh.page.locator('.job-map img.leaflet-tile-loaded').count(), 0);
  await fresh.page.locator('.job-map path.technician').waitFor();
  await fresh.page.locator('.job-map path.destination').waitFor();
  await fresh.page.screenshot({ path: join(artifacts, 'tracking-no-tiles-phone.png') });
  tiles.failing = false;
  assert.deepEqual(unexpected(client.problems), []);
  assert.deepEqual(unexpected(fresh.problems), []);
});
