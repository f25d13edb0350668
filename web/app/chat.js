// The chat tab of a communication page: history with older pages on scrolling up, live
// messages, typing, read ticks, and sends that show their state and can be retried.
import { api } from './api.js';
import { h } from './dom.js';
import { LiveConversation } from './live.js';
import { t } from './i18n.js';

const kTypingIdleMs = 3000;

function describe(message) {
  const c = message.content || {};
  switch (message.message_type) {
    case 'text':
    case 'system':
      return c.text ?? '';
    case 'location':
      return t('location', { lat: c.latitude, lon: c.longitude });
    case 'voice':
      return t('voice', { seconds: Math.round((c.duration_ms || 0) / 1000) });
    case 'file':
      return t('file', { name: c.name || '' });
    case 'video':
      return t('video');
    default:
      return message.message_type;
  }
}

export class ChatView {
  constructor(conversation, me) {
    this.conversation = conversation;
    this.me = me;
    this.byId = new Map();       // message id -> <li>
    this.pending = new Map();    // client_id -> {item, text}
    this.othersRead = 0;         // the highest message id another participant has read
    this.oldestId = null;
    this.hasOlder = false;
    for (const p of conversation.participants || [])
      if (p.user_id !== me.id) this.othersRead = Math.max(this.othersRead, p.last_read_message_id || 0);

    this.list = h('ol', { class: 'messages', 'aria-label': t('chat'), 'aria-live': 'polite' });
    this.older = h('button', { type: 'button', class: 'quiet older', hidden: true,
                               onclick: () => this.loadOlder() }, t('older'));
    this.typing = h('p', { class: 'typing', 'aria-live': 'polite' });
    this.state = h('span', { class: 'state' }, t('connecting'));
    this.input = h('textarea', { id: 'message', rows: 2, 'aria-label': t('message_label'),
                                 placeholder: t('message_label') });
    this.form = h('form', { class: 'composer', onsubmit: (e) => { e.preventDefault(); this.submit(); } },
                  this.input, h('button', { type: 'submit' }, t('send')));
    this.scroller = h('div', { class: 'scroller' }, this.older, this.list);
    this.element = h('section', { class: 'chat' }, this.state, this.scroller, this.typing, this.form);

    this.input.addEventListener('input', () => this.noteTyping());
    this.input.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && !e.shiftKey) { e.preventDefault(); this.submit(); }
    });
    this.scroller.addEventListener('scroll', () => {
      if (this.scroller.scrollTop < 40 && this.hasOlder) this.loadOlder();
    });
    this.onVisibility = () => this.markRead();
    document.addEventListener('visibilitychange', this.onVisibility);
  }

  async start() {
    // The newest page; older ones come on scrolling up.
    const page = await api(`/api/chat/messages/conversation_messages/?conversation_id=${this.conversation.id}&limit=50`);
    const messages = page.results;
    this.hasOlder = page.has_more;
    this.older.hidden = !this.hasOlder;
    for (const m of messages) this.show(m);
    this.live = new LiveConversation(this.conversation.id, {
      onFrame: (frame) => this.onFrame(frame),
      onState: (state) => this.onState(state),
    });
    for (const m of messages) this.live.seen(m.id);
    this.scrollToEnd();
    this.markRead();
  }

  stop() {
    this.live?.close();
    clearTimeout(this.typingTimer);
    document.removeEventListener('visibilitychange', this.onVisibility);
  }

  onState(state) {
    this.state.textContent = t(state === 'online' ? 'online' : state === 'offline' ? 'offline' : 'connecting');
    this.state.dataset.state = state;
    if (state === 'online') for (const [clientId, p] of this.pending) if (p.failed) this.resend(clientId);
  }

  onFrame(frame) {
    switch (frame.type) {
      case 'message':
        if (frame.message.message_type === 'system') this.onSystemMessage?.(frame.message);
        this.show(frame.message);
        this.scrollToEnd();
        this.markRead();
        break;
      case 'ack':
        this.acknowledge(frame.client_id, frame.message);
        break;
      case 'typing':
        this.typing.textContent = frame.is_typing ? t('typing', { name: t('the_other') }) : '';
        break;
      case 'read':
        if (frame.user_id !== this.me.id) {
          this.othersRead = Math.max(this.othersRead, frame.message_id);
          this.refreshTicks();
        }
        break;
      case 'error':
        if (frame.client_id && this.pending.has(frame.client_id)) this.fail(frame.client_id, frame.detail);
        break;
      default:
        break;
    }
  }

  item(message) {
    const mine = message.sender_id === this.me.id;
    const li = h('li', { class: `message ${mine ? 'mine' : 'theirs'} ${message.message_type}`,
                         'data-id': message.id },
                 h('span', { class: 'text' }, describe(message)),
                 h('span', { class: 'meta' }, h('time', {}, new Date(message.created_at).toLocaleTimeString()),
                   mine ? h('span', { class: 'tick' }) : null));
    return li;
  }

  // Places a stored message once, in id order, whether it came from history, live or resume.
  show(message) {
    if (this.byId.has(message.id)) return;
    if (message.client_id && this.pending.has(message.client_id)) {
      this.acknowledge(message.client_id, message);
      return;
    }
    const li = this.item(message);
    this.byId.set(message.id, li);
    const after = [...this.list.querySelectorAll('li[data-id]')].find((x) => Number(x.dataset.id) > message.id);
    this.list.insertBefore(li, after || this.list.querySelector('li.pending') || null);
    if (this.oldestId === null || message.id < this.oldestId) this.oldestId = message.id;
    this.refreshTicks();
  }

  refreshTicks() {
    for (const [id, li] of this.byId) {
      const tick = li.querySelector('.tick');
      if (!tick) continue;
      const read = id <= this.othersRead;
      tick.textContent = read ? '✓✓' : '✓';
      tick.title = t(read ? 'read' : 'sent');
      li.classList.toggle('read', read);
    }
  }

  async loadOlder() {
    if (this.loadingOlder || !this.hasOlder || this.oldestId === null) return;
    this.loadingOlder = true;
    try {
      const before = this.scroller.scrollHeight;
      const page = await api(`/api/chat/messages/conversation_messages/?conversation_id=${this.conversation.id}&before_id=${this.oldestId}&limit=50`);
      for (const m of page.results) this.show(m);
      this.hasOlder = page.has_more;
      this.older.hidden = !this.hasOlder;
      this.scroller.scrollTop += this.scroller.scrollHeight - before;  // stay where the reader was
    } finally {
      this.loadingOlder = false;
    }
  }

  submit() {
    const text = this.input.value.trim();
    if (!text) return;
    this.input.value = '';
    this.stopTyping();
    const clientId = `w-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
    const li = h('li', { class: 'message mine pending', 'data-client-id': clientId },
                 h('span', { class: 'text' }, text),
                 h('span', { class: 'meta' }, h('span', { class: 'status' }, t('sending'))));
    this.list.append(li);
    this.pending.set(clientId, { item: li, text, failed: false });
    this.scrollToEnd();
    this.resend(clientId);
  }

  resend(clientId) {
    const p = this.pending.get(clientId);
    p.failed = false;
    p.item.classList.remove('failed');
    p.item.querySelector('.status').textContent = t('sending');
    p.item.querySelector('button')?.remove();
    // The same client_id on every try: the server stores it once however often it arrives.
    const sent = this.live.send({ type: 'message', message_type: 'text', content: { text: p.text },
                                  client_id: clientId });
    if (!sent) this.fail(clientId);
  }

  fail(clientId, detail) {
    const p = this.pending.get(clientId);
    p.failed = true;
    p.item.classList.add('failed');
    p.item.querySelector('.status').textContent = detail ? `${t('failed')} (${detail})` : t('failed');
    if (!p.item.querySelector('button'))
      p.item.append(h('button', { type: 'button', class: 'quiet', onclick: () => this.resend(clientId) }, t('retry')));
  }

  acknowledge(clientId, message) {
    const p = this.pending.get(clientId);
    if (!p) { this.show(message); return; }
    this.pending.delete(clientId);
    p.item.remove();
    this.show(message);
    this.live.seen(message.id);
  }

  noteTyping() {
    if (!this.typingSent) {
      this.typingSent = this.live?.send({ type: 'typing', is_typing: true });
    }
    clearTimeout(this.typingTimer);
    this.typingTimer = setTimeout(() => this.stopTyping(), kTypingIdleMs);
  }

  stopTyping() {
    clearTimeout(this.typingTimer);
    if (this.typingSent) this.live?.send({ type: 'typing', is_typing: false });
    this.typingSent = false;
  }

  // Tells the others (and the unread counts) how far this reader got, while the page is seen.
  markRead() {
    if (document.visibilityState !== 'visible' || this.byId.size === 0) return;
    const last = Math.max(...this.byId.keys());
    if (last <= (this.readSent || 0)) return;
    if (this.live?.send({ type: 'read', message_id: last })) this.readSent = last;
  }

  scrollToEnd() { this.scroller.scrollTop = this.scroller.scrollHeight; }
}
