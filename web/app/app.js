// The shell: which view the address shows, sign-in, the list of requests, and the
// communication page of one request.
import { api, ApiError, apiPages, login, logout, session } from './api.js';
import { Alerts, permissionBanner } from './alerts.js';
import { ChatView } from './chat.js';
import { ConsoleView } from './console.js';
import { InfoView } from './info.js';
import { TrackingView } from './tracking.js';
import { h, setTitle } from './dom.js';
import { LiveConversation } from './live.js';
import { PublicTrackingView } from './public_tracking.js';
import { currentLanguage, errorText, setLanguage, t } from './i18n.js';

const view = document.getElementById('view');
let current = null;  // the view being shown, stopped before the next
let me = null;
let settings = null;  // GET /api/web/settings/, once per sign-in
let alerts = null;  // browser notifications while signed in

function navigate(path) {
  history.pushState({}, '', path);
  route();
}

function show(...children) {
  current?.stop?.();
  current = null;
  view.replaceChildren(...children);
}

function problem(error) {
  return h('p', { class: 'error', role: 'alert' }, t('error', { detail: errorText(error.code, error.message) }));
}

function loginView() {
  const username = h('input', { id: 'username', name: 'username', autocomplete: 'username', required: true });
  const password = h('input', { id: 'password', name: 'password', type: 'password',
                                autocomplete: 'current-password', required: true });
  const message = h('p', { class: 'error', role: 'alert' });
  const form = h('form', { class: 'login', onsubmit: async (e) => {
    e.preventDefault();
    message.textContent = '';
    try {
      await login(username.value, password.value);
      forgetAnswers();  // a browser shared with someone who did not sign out
      route();
    } catch (error) {
      message.textContent = error instanceof ApiError && error.status === 429
        ? t('too_many', { seconds: error.retryAfter }) : t('login_failed');
    }
  } },
  h('h1', {}, t('login_title')),
  h('label', { for: 'username' }, t('username')), username,
  h('label', { for: 'password' }, t('password')), password,
  h('button', { type: 'submit' }, t('login')), message);
  show(form);
  username.focus();
}

// The user's requests with their unread counts, kept current by the user's WebSocket feed.
async function requestsView() {
  const list = h('ul', { class: 'requests' });
  const refresh = async () => {
    const [requests, conversations] = await Promise.all([
      api('/api/requests/'), apiPages('/api/chat/conversations/?limit=200')]);
    const unread = new Map(conversations.map((c) => [c.id, c.unread_count]));
    setTitle(conversations.reduce((total, c) => total + (c.unread_count || 0), 0));
    list.replaceChildren(...requests.map((r) => h('li', { class: 'request' },
      h('a', { href: `/communication/${r.id}`, 'data-link': true }, r.title),
      h('span', { class: `status ${r.status}` }, t(`status_${r.status}`)),
      unread.get(r.conversation_id)
        ? h('span', { class: 'badge' }, t('unread', { count: unread.get(r.conversation_id) })) : null)));
    if (!requests.length) list.replaceChildren(h('li', {}, t('no_requests')));
  };
  await refresh();
  show(h('h1', {}, t('requests')), permissionBanner(() => alerts?.start()), list);
  const feed = new LiveConversation(null, {
    // Coming online after a gap may have missed messages: count again then too.
    onState: (state) => { if (state === 'online') refresh().catch(() => {}); },
    onFrame: (frame) => {
      if (['message', 'read', 'notification'].includes(frame.type)) refresh().catch(() => {});
    },
  });
  current = { stop: () => feed.close() };
}

async function communicationView(requestId) {
  const request = await api(`/api/requests/${requestId}/`);
  const header = h('header', { class: 'job' },
    h('a', { href: '/', 'data-link': true, class: 'quiet' }, `← ${t('back')}`),
    h('h1', {}, request.title),
    h('span', { class: `status ${request.status}` }, t(`status_${request.status}`)));
  if (!request.conversation_id) {
    show(header, h('p', {}, t('not_assigned')));
    return;
  }
  const conversation = await api(`/api/chat/conversations/${request.conversation_id}/`);
  const chat = new ChatView(conversation, me, settings);
  setTitle(0, request.title);
  chat.onUnseen = (count) => setTitle(count, request.title);
  const info = new InfoView(request, conversation, me);
  const tracking = new TrackingView(request, me, settings);
  chat.onSystemMessage = () => info.onSystemMessage().catch(() => {});
  const headerStatus = header.querySelector('.status');
  info.onStatus = (status) => {
    headerStatus.className = `status ${status}`;
    headerStatus.textContent = t(`status_${status}`);
    tracking.setRequest(info.request);
  };
  const panels = { chat: chat.element, tracking: tracking.element, info: info.element };
  const tabs = Object.keys(panels).map((name) => h('button', {
    type: 'button', role: 'tab', id: `tab-${name}`, 'aria-controls': `panel-${name}`,
    onclick: () => select(name) }, t(name)));
  const select = (name) => {
    for (const tab of tabs) tab.setAttribute('aria-selected', String(tab.id === `tab-${name}`));
    for (const [key, panel] of Object.entries(panels)) panel.hidden = key !== name;
  };
  for (const [name, panel] of Object.entries(panels)) {
    panel.id = `panel-${name}`;
    panel.setAttribute('role', 'tabpanel');
    panel.setAttribute('aria-labelledby', `tab-${name}`);
  }
  show(header, h('nav', { class: 'tabs', role: 'tablist', 'aria-label': request.title }, tabs),
       chat.element, tracking.element, info.element);
  select('chat');
  current = { stop: () => { chat.stop(); tracking.stop(); info.stop(); } };
  await Promise.all([chat.start(), tracking.start(), info.start()]);
}

// The API answers the service worker kept are one user's: not for the next.
function forgetAnswers() {
  navigator.serviceWorker?.controller?.postMessage({ type: 'forget-answers' });
}

// The service worker (sw.js) keeps the page for offline use: it is told which files this
// page loaded once they all have, so it never keeps a list of its own to get out of date.
async function keepForOffline() {
  if (!('serviceWorker' in navigator)) return;
  try {
    const registration = await navigator.serviceWorker.register('/static/sw.js', { scope: '/' });
    await navigator.serviceWorker.ready;
    const files = performance.getEntriesByType('resource').map((e) => e.name)
      .filter((url) => new URL(url).pathname.startsWith('/static/'));
    (registration.active || navigator.serviceWorker.controller)
      ?.postMessage({ type: 'cache-shell', urls: [`${location.origin}/`, ...new Set(files)] });
  } catch {
    // No offline page (a browser that refuses service workers here): everything else works.
  }
}

// An address the page does not know (the server answered it with 404 and this page).
function missingPageView() {
  show(h('h1', {}, t('page_missing')), h('p', {}, t('page_missing_detail')),
       h('p', {}, h('a', { href: '/', 'data-link': true }, t('page_missing_home'))));
}

// /t/{token}: a tracking link, for anyone holding it, signed in or not.
async function publicTrackingView(token) {
  const tracking = new PublicTrackingView(token);
  show(tracking.element);
  current = tracking;
  await tracking.start();
}

// The dispatcher's home: the console (queue, board, map of the day).
async function consoleView() {
  const desk = new ConsoleView(me, settings);
  show(permissionBanner(() => alerts?.start()), desk.element);
  current = desk;
  await desk.start();
}

async function route() {
  setTitle();  // each view names itself
  document.getElementById('lang').textContent = t('language');
  const logoutButton = document.getElementById('logout');
  logoutButton.textContent = t('logout');
  logoutButton.hidden = !session.signedIn;
  const link = location.pathname.match(/^\/t\/([^/]+)\/?$/);
  if (link) {
    logoutButton.hidden = true;
    document.getElementById('who').textContent = '';
    await publicTrackingView(decodeURIComponent(link[1])).catch((error) => show(problem(error)));
    return;
  }
  if (!session.signedIn) {
    document.getElementById('who').textContent = '';
    loginView();
    return;
  }
  try {
    me = me ?? await api('/api/users/me/');
    settings = settings ?? await api('/api/web/settings/');
    document.getElementById('who').textContent = me.display_name || me.username;
    if (!alerts) {
      alerts = new Alerts(me);
      alerts.start();
    }
    const match = location.pathname.match(/^\/communication\/(\d+)\/?$/);
    if (match) await communicationView(Number(match[1]));
    else if (location.pathname === '/' && me.role === 'dispatcher') await consoleView();
    else if (location.pathname === '/') await requestsView();
    else missingPageView();
  } catch (error) {
    if (!session.signedIn) loginView();
    else show(problem(error));
  }
}

document.addEventListener('click', (e) => {
  const link = e.target.closest('a[data-link]');
  if (!link || e.ctrlKey || e.metaKey) return;
  e.preventDefault();
  navigate(link.getAttribute('href'));
});
document.getElementById('logout').addEventListener('click', async () => {
  await logout();
  forgetAnswers();
  alerts?.stop();
  alerts = null;
  me = null;
  settings = null;
  navigate('/');
});
document.getElementById('lang').addEventListener('click', () => {
  setLanguage(currentLanguage() === 'fr' ? 'en' : 'fr');
  route();
});
window.addEventListener('popstate', route);
setLanguage(currentLanguage());
route();
keepForOffline();
