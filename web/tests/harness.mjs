// What every end-to-end test file shares: Debian's Chromium, and signed-in pages, each in a
// browser context of its own (its own storage, as another person's phone).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { chromium } from 'playwright-core';
import { startServer } from './server.mjs';

export const artifacts = process.env.FIELDLINK_E2E_ARTIFACTS || join(process.cwd(), 'artifacts');
mkdirSync(artifacts, { recursive: true });

// Fake camera and microphone (a test pattern and a beep), allowed without asking; WebRTC
// may connect over loopback with plain addresses (no mDNS names), as two pages on one
// machine need.
export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
           '--disable-component-update', '--disable-sync',
           '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream',
           '--allow-loopback-in-peer-connection', '--disable-features=WebRtcHideLocalIpsWithMdns'],
  });
}

// `problems` collects script errors and console errors; a refused upload or a missing map
// tile is logged by the browser as "Failed to load resource", which a test may expect.
export async function signIn(browser, url, username, password, viewport, options = {}) {
  const context = await browser.newContext({ viewport, locale: 'fr-FR', ...options });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  await page.goto(`${url}/`);
  await page.getByLabel("Nom d'utilisateur").fill(username);
  await page.getByLabel('Mot de passe').fill(password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  // A dispatcher's home is the console; everyone else's, their requests.
  await page.getByRole('heading', { name: /^(Mes demandes|Console du dispatcher)$/ }).waitFor();
  return { page, problems, context };
}

// An access token for the demo account, for calls a test makes outside the browser.
export async function tokenFor(url, username, password) {
  const response = await fetch(`${url}/api/token/`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username, password }),
  });
  if (!response.ok) throw new Error(`sign-in as ${username}: ${response.status}`);
  return (await response.json()).access;
}

// A REST call as the holder of `token`; returns the parsed answer (throws on an error status).
export async function callApi(url, token, path, { method = 'GET', body } = {}) {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

// A test file's fieldlinkd and browser, started before its tests and stopped after them.
// `env` (settings for the server, or an async function making them once earlier hooks have
// run) goes to startServer(). The returned object's server and browser are set by then.
export function withServerAndBrowser(env = {}) {
  const world = {
    server: null,
    browser: null,
    signIn: (...rest) => signIn(world.browser, world.server.url, ...rest),
    // The demo client on a phone-sized screen and the demo technician on a desktop, both on
    // the demo request's page; `clientOptions` go to the client's browser context.
    clientAndTechnician: async (clientOptions = {}) => {
      const client = await world.signIn('client', 'client-demo', { width: 390, height: 800 }, clientOptions);
      const technician = await world.signIn('technician', 'technician-demo', { width: 1280, height: 800 });
      for (const side of [client, technician]) await world.openRequest(side);
      return { client, technician };
    },
    // A signed-in side on a request's communication page, once its chat is online.
    openRequest: async (side, requestId = 1) => {
      await side.page.goto(`${world.server.url}/communication/${requestId}`);
      await side.page.locator('.state[data-state="online"]').waitFor();
    },
  };
  before(async () => {
    world.server = await startServer(typeof env === 'function' ? await env() : env);
    world.browser = await launchBrowser();
  });
  after(async () => {
    await world.browser?.close();
    await world.server?.stop();
  });
  return world;
}

// Records the notifications the page shows (Chromium's own go to the desktop, out of reach),
// passing each on to the real Notification. For context.addInitScript().
export function recordNotifications() {
  const Real = window.Notification;
  window.shownNotifications = [];
  window.Notification = class extends Real {
    constructor(title, options = {}) {
      super(title, options);
      window.shownNotifications.push({ title, body: options.body, tag: options.tag });
    }
    static get permission() { return Real.permission; }
    static requestPermission() { return Real.requestPermission(); }
  };
}

// Makes the page believe it is hidden or shown again (headless Chromium shows every page), as
// a person switching windows would.
export function setVisibility(page, state) {
  return page.evaluate((value) => {
    Object.defineProperty(document, 'visibilityState', { value, configurable: true });
    document.dispatchEvent(new Event('visibilitychange'));
  }, state);
}
