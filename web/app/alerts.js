// Browser notifications while the page is not being looked at: a new message, an
// assignment or status change, the technician arriving, and a video call ringing. The
// permission is asked for once, from a button the user presses after signing in (never on
// load: browsers and people both dislike that). Messages and events come from the user's
// /ws/ feed, which every participant's connection gets; the server's own `message`
// notifications only go to users with no connection at all, so the page makes its own.
import { api } from './api.js';
import { h } from './dom.js';
import { LiveConversation } from './live.js';
import { t } from './i18n.js';
import { systemText } from './media.js';

const kAskedKey = 'fieldlink.notifications_asked';
const kBodyLength = 140;

export function notificationsSupported() {
  return 'Notification' in window;
}

// A notification for `path` (a page of this site), only while the page is hidden and only
// if allowed; one per `tag` on screen, the newest replacing the older.
export function notifyIfHidden(title, body, tag, path) {
  if (!notificationsSupported() || Notification.permission !== 'granted') return;
  if (document.visibilityState !== 'hidden') return;
  const shown = new Notification(title, { body: body.slice(0, kBodyLength), tag, lang: document.documentElement.lang });
  shown.addEventListener('click', () => {
    window.focus();
    if (path && location.pathname !== path) {
      history.pushState({}, '', path);
      window.dispatchEvent(new PopStateEvent('popstate'));
    }
    shown.close();
  });
}

// What a message says in a notification: its text, or what it carries.
export function messageSummary(message) {
  const c = message.content || {};
  switch (message.message_type) {
    case 'text': return c.text ?? '';
    case 'file': return c.name ? t('notify_file_named', { name: c.name }) : t('notify_file');
    case 'voice': return t('notify_voice');
    case 'video': return t('notify_video');
    case 'location': return t('notify_location');
    default: return t('notify_other');
  }
}

// What a server notification says, in the page's language where the page has the words.
function eventText(n) {
  const data = n.data || {};
  switch (n.kind) {
    case 'assigned': return t('notify_assigned');
    case 'status_changed':  // as the chat's system message says it
      return systemText({ event: 'status_changed', status: data.status, text: n.body || n.title });
    case 'arriving_soon':
      return t('notify_arriving_soon', { minutes: Math.max(1, Math.round((data.eta_seconds || 0) / 60)) });
    case 'arrived': return t('notify_arrived');
    case 'new_request': return t('notify_new_request', { title: n.body });
    default: return n.body || n.title || '';
  }
}

// While signed in: the user's feed, turned into notifications when the page is hidden.
export class Alerts {
  constructor(me) {
    this.me = me;
    this.requests = new Map();  // conversation id -> request, to name and link a message
    this.feed = null;
  }

  // Starts listening if notifications are allowed; safe to call again.
  async start() {
    if (this.feed || !notificationsSupported() || Notification.permission !== 'granted') return;
    this.feed = new LiveConversation(null, {
      onState: (state) => { if (state === 'online') this.learnRequests().catch(() => {}); },
      onFrame: (frame) => this.onFrame(frame),
    });
  }

  stop() {
    this.feed?.close();
    this.feed = null;
  }

  async learnRequests() {
    const requests = await api('/api/requests/');
    this.requests = new Map(requests.filter((r) => r.conversation_id).map((r) => [r.conversation_id, r]));
  }

  async requestOf(conversationId) {
    if (!this.requests.has(conversationId)) await this.learnRequests().catch(() => {});
    return this.requests.get(conversationId);
  }

  async onFrame(frame) {
    if (frame.type === 'message') {
      const m = frame.message;
      if (m.sender_id === this.me.id || m.message_type === 'system' || m.message_type === 'call') return;
      const request = await this.requestOf(m.conversation_id);
      notifyIfHidden(request?.title || 'fieldlink', messageSummary(m), `message-${m.conversation_id}`,
                     request ? `/communication/${request.id}` : '/');
    } else if (frame.type === 'notification' && frame.notification.kind !== 'message') {
      const n = frame.notification;
      const request = n.conversation_id ? await this.requestOf(n.conversation_id) : undefined;
      // A new request has no conversation yet: it is on the console's queue.
      const path = n.request_id && n.kind !== 'new_request' ? `/communication/${n.request_id}` : '/';
      notifyIfHidden(request?.title || 'fieldlink', eventText(n), `event-${n.id}`, path);
    }
  }
}

// "Be told of new messages?" with a button, once per browser, after signing in; `onAllowed`
// runs when the user allows them.
export function permissionBanner(onAllowed) {
  if (!notificationsSupported() || Notification.permission !== 'default' || localStorage.getItem(kAskedKey)) {
    return null;
  }
  const banner = h('aside', { class: 'banner', 'aria-label': t('notify_ask_label') });
  const done = () => {
    localStorage.setItem(kAskedKey, '1');
    banner.remove();
  };
  banner.append(
    h('p', {}, t('notify_ask')),
    h('button', { type: 'button', onclick: async () => {
      const answer = await Notification.requestPermission();
      done();
      if (answer === 'granted') onAllowed();
    } }, t('notify_allow')),
    h('button', { type: 'button', class: 'quiet', onclick: done }, t('notify_later')));
  return banner;
}
