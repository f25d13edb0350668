// A real WebRTC video call between two browser contexts (the client and the technician),
// with fieldlink's WebSocket carrying the signalling, on loopback with Chromium's fake
// camera and microphone: the call rings, is accepted, both sides get the other's video, it
// is hung up, and the history tells the story with the call's length.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { artifacts, recordNotifications, setVisibility, withServerAndBrowser } from './harness.mjs';

const world = withServerAndBrowser();

// Whether the page's call is connected and the other side's video track is live and playing.
function remoteVideoArrives(page) {
  return page.waitForFunction(() => {
    const panel = document.querySelector('section.video-call');
    const video = document.querySelector('section.video-call video.remote');
    const track = video?.srcObject?.getVideoTracks?.()[0];
    return panel?.dataset.connection === 'connected' && track?.readyState === 'live' &&
      video.videoWidth > 0;
  }, null, { timeout: 20000 });
}

test('a video call rings, connects both ways, hangs up, and is logged with its duration', async () => {
  const { client, technician } = await world.clientAndTechnician();

  // One button starts a call (it was both in the header and among the quick actions).
  assert.equal(await client.page.getByRole('button', { name: 'Appel vidéo' }).count(), 1);
  await client.page.locator('button.call-start').click();
  await client.page.getByText('Appel en cours… ça sonne.').waitFor();
  await technician.page.getByText("L'autre participant vous appelle en vidéo.").waitFor();
  await technician.page.screenshot({ path: join(artifacts, 'call-ringing-desktop.png') });
  await technician.page.getByRole('button', { name: 'Accepter' }).click();

  await remoteVideoArrives(client.page);
  await remoteVideoArrives(technician.page);
  await client.page.getByText('En communication').waitFor();
  // Muting turns the microphone's track off on this side.
  await client.page.getByRole('button', { name: 'Couper le micro' }).click();
  assert.equal(await client.page.evaluate(() =>
    document.querySelector('section.video-call video.local').srcObject.getAudioTracks()[0].enabled), false);
  await client.page.screenshot({ path: join(artifacts, 'call-connected-phone.png') });
  await technician.page.screenshot({ path: join(artifacts, 'call-connected-desktop.png') });
  // The conversation stays usable in a call: messages with room to read, and the message box
  // on the screen (with the quick actions on a desktop; a phone puts them away until the end).
  for (const [side, minimum] of [[client, 80], [technician, 300]]) {
    const room = await side.page.evaluate(() => ({
      messages: document.querySelector('.chat .scroller').getBoundingClientRect().height,
      composer: document.querySelector('.chat .composer').getBoundingClientRect().bottom,
      actions: document.querySelector('.chat .quick-actions').getBoundingClientRect().bottom,
      screen: window.innerHeight }));
    assert.ok(room.messages >= minimum, `messages ${room.messages}px tall`);
    assert.ok(room.composer <= room.screen, `the message box ends at ${room.composer}px of ${room.screen}`);
    assert.ok(room.actions <= room.screen, `quick actions end at ${room.actions}px of ${room.screen}`);
  }

  await new Promise((resolve) => setTimeout(resolve, 1200));  // a call of a second or so
  await technician.page.getByRole('button', { name: 'Raccrocher' }).click();
  // The note shows for a few seconds; a busy machine may look later than that.
  await client.page.getByText(/^Appel terminé \(0:0[1-9]\)\.$/).waitFor({ state: 'attached' });
  assert.equal(await client.page.evaluate(() => document.querySelector('section.video-call video.local').srcObject), null);

  // The log, live in both chats: started, then ended with its length.
  for (const side of [client, technician]) {
    await side.page.locator('.message .call-record', { hasText: 'Appel vidéo démarré' }).waitFor();
    await side.page.locator('.message .call-record', { hasText: /Appel vidéo terminé \(0:0[1-9]\)/ }).waitFor();
  }
  await client.page.reload();
  await client.page.locator('.message .call-record', { hasText: /Appel vidéo terminé/ }).waitFor();
  assert.equal(await client.page.locator('.message .call-record').count(), 2);
  await client.page.screenshot({ path: join(artifacts, 'call-log-phone.png') });
  assert.deepEqual(client.problems, []);
  assert.deepEqual(technician.problems, []);
});

test('a declined call ends on both sides and is logged as declined', async () => {
  const { client, technician } = await world.clientAndTechnician({ permissions: ['notifications'] });
  // The client has notifications on and looks at another window: the ring shows as one.
  await client.context.addInitScript(recordNotifications);
  await world.openRequest(client);
  await setVisibility(client.page, 'hidden');
  await technician.page.locator('button.call-start').click();
  await client.page.waitForFunction(() => window.shownNotifications.length > 0);
  const [ring] = await client.page.evaluate(() => window.shownNotifications);
  assert.equal(ring.title, 'Appel vidéo');
  assert.equal(ring.body, "L'autre participant vous appelle en vidéo.");
  await client.page.getByRole('button', { name: 'Refuser' }).click();
  await technician.page.getByText('Appel refusé.').waitFor({ state: 'attached' });
  for (const side of [client, technician])
    await side.page.locator('.message .call-record', { hasText: 'Appel vidéo refusé' }).waitFor();
  // The camera the technician opened is released.
  assert.equal(await technician.page.evaluate(() => document.querySelector('section.video-call video.local').srcObject), null);
  assert.deepEqual(client.problems, []);
  assert.deepEqual(technician.problems, []);
});
