// The chat tab of a communication page: history with older pages on scrolling up, live
// messages, typing, read ticks, and sends that show their state and can be retried.
import { api, apiUpload } from './api.js';
import { h } from './dom.js';
import { LiveConversation } from './live.js';
import { errorText, t } from './i18n.js';
import { AttachmentCache, fileSize, messageBody } from './media.js';
import { QuickActions } from './actions.js';
import { CallView } from './call.js';
import { Outbox } from './outbox.js';
import { clockTime, dayLabel, sameDay } from './when.js';

const kTypingIdleMs = 3000;
// Error codes that say "not now" rather than "not this": the message is kept for a retry.
const kWorthRetrying = ['internal_error', 'plugin_error', 'unavailable', 'rate_limited', 'too_many_requests'];

// The phone number of the person on the other side of the job (the technician for the
// client and the other way round; a dispatcher only when there is nobody else), for the
// call action.
function phoneOfTheOther(conversation, me) {
  const others = (conversation.participants || []).filter((p) => p.user_id !== me.id && p.phone);
  const other = others.find((p) => p.role !== 'dispatcher') ?? others[0];
  return other ? other.phone.replace(/\s+/g, '') : null;
}

// What to say when the server refuses a file: the reason in the user's words, then its own.
function refusal(error, file) {
  const name = file.name || t('file_unnamed');
  if (error.status === 413) return t('upload_too_large_server', { name });
  if (error.status === 415) return t('upload_wrong_type', { name, detail: error.message });
  if (error.code === 'invalid_media') return t('upload_damaged', { name });
  return t('upload_failed', { name, detail: error.message });
}

export class ChatView {
  // settings: GET /api/web/settings/ (upload limits)
  constructor(conversation, me, settings) {
    this.conversation = conversation;
    this.me = me;
    this.uploadLimits = settings?.upload_limits || {};
    this.cache = new AttachmentCache();
    this.byId = new Map();       // message id -> <li>
    this.pending = new Map();    // client_id -> {item, message_type, content, file?, failed}
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
    this.notice = h('p', { class: 'error notice', role: 'alert' });
    const calls = Boolean(settings?.video_calls) && 'RTCPeerConnection' in window;
    this.outbox = new Outbox(me.id, conversation.id);
    this.callView = new CallView(conversation, me, (frame) => this.live?.send(frame) ?? false);
    this.actions = new QuickActions(phoneOfTheOther(conversation, me), {
      onFile: (file, type) => this.sendFile(file, type),
      onLocation: (coords) => this.sendLocation(coords),
      onProblem: (text) => this.warn(text),
    });
    const header = h('div', { class: 'chat-header' }, this.state,
      calls ? h('button', { type: 'button', class: 'quiet call-start', onclick: () => this.callView.start() },
                t('video_call')) : null);
    this.element = h('section', { class: 'chat' }, header, this.callView.element, this.scroller,
                     this.typing, this.notice, this.form, this.actions.element);

    this.input.addEventListener('input', () => this.noteTyping());
    this.input.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && !e.shiftKey) { e.preventDefault(); this.submit(); }
    });
    this.scroller.addEventListener('scroll', () => {
      if (this.scroller.scrollTop < 40 && this.hasOlder) this.loadOlder();
    });
    this.unseen = 0;  // messages from the others that came while the page was hidden
    this.onVisibility = () => {
      if (document.visibilityState === 'visible' && this.unseen) {
        this.unseen = 0;
        this.onUnseen?.(0);
      }
      this.markRead();
    };
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
    // What was sent before a reload and never acknowledged goes again (stored once at most).
    for (const m of await this.outbox.waiting()) {
      if (this.pending.has(m.client_id)) continue;
      if (messages.some((x) => x.client_id === m.client_id)) {  // stored; its ack was lost
        this.outbox.drop(m.client_id);
        continue;
      }
      this.startSending(m.message_type, m.content, this.pendingBody(m.message_type, m.content), null, m.client_id);
    }
    this.scrollToEnd();
    this.markRead();
  }

  // What a message waiting for its ack shows.
  pendingBody(messageType, content) {
    return h('span', { class: 'text' }, messageType === 'text' ? content.text : t('location_sending'));
  }

  stop() {
    this.callView.stop();
    this.live?.close();
    this.actions.stop();
    this.cache.release();
    clearTimeout(this.typingTimer);
    document.removeEventListener('visibilitychange', this.onVisibility);
  }

  onState(state) {
    this.state.textContent = t(state === 'online' ? 'online' : state === 'offline' ? 'offline' : 'connecting');
    this.state.dataset.state = state;
    if (state === 'online') {
      for (const [clientId, p] of this.pending) if (p.failed && !p.refused) this.resend(clientId);
      // The read receipt start() asked for could not go out before the socket was open.
      this.markRead();
    }
  }

  onFrame(frame) {
    if (frame.type.startsWith('call.')) {
      this.callView.onFrame(frame);
      return;
    }
    switch (frame.type) {
      case 'message':
        if (frame.message.message_type === 'system') this.onSystemMessage?.(frame.message);
        if (document.visibilityState !== 'visible' && frame.message.sender_id !== this.me.id &&
            !this.byId.has(frame.message.id))
          this.onUnseen?.(++this.unseen);
        this.show(frame.message);
        this.scrollToEnd();
        this.markRead();
        break;
      case 'message.updated':
        this.replace(frame.message);  // a live location moved
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
        if (!frame.client_id) this.callView.onError(frame);
        if (frame.client_id && this.pending.has(frame.client_id)) {
          // A refused message (a file of the wrong kind, say) stays refused however often it
          // is sent; only a server that could not take it now is worth another try.
          const detail = errorText(frame.code, frame.detail);
          if (kWorthRetrying.includes(frame.code)) this.fail(frame.client_id, detail);
          else this.refuse(frame.client_id, detail);
        }
        break;
      default:
        break;
    }
  }

  item(message) {
    const mine = message.sender_id === this.me.id;
    const li = h('li', { class: `message ${mine ? 'mine' : 'theirs'} ${message.message_type}`,
                         'data-id': message.id, 'data-at': message.created_at,
                         'data-sender': message.sender_id ?? '' },
                 messageBody(message, this.cache, this.conversation.participants),
                 h('span', { class: 'meta' },
                   h('time', { datetime: message.created_at }, clockTime(new Date(message.created_at))),
                   mine ? h('span', { class: 'tick' }) : null));
    return li;
  }

  // "Thomas Technician · technicien": who wrote a run of messages, for whoever reads several
  // people (a dispatcher reads both sides).
  senderName(userId) {
    const p = (this.conversation.participants || []).find((x) => x.user_id === userId);
    if (!p) return t('former_participant');  // a technician since taken off the job
    const role = t(`role_${p.role}`);
    return p.display_name ? `${p.display_name} · ${role}` : role;
  }

  // Day separators and sender names depend on the neighbours, which history pages, resumes
  // and acks change: they are laid out again over the whole list, once per turn of the
  // event loop however many messages came in it.
  relabelSoon() {
    if (this.relabelQueued) return;
    this.relabelQueued = true;
    queueMicrotask(() => { this.relabelQueued = false; this.relabel(); });
  }

  relabel() {
    for (const old of this.list.querySelectorAll(':scope > li.day')) old.remove();
    let day = null;
    let sender = null;
    for (const li of this.list.querySelectorAll(':scope > li.message')) {
      const at = li.dataset.at ? new Date(li.dataset.at) : new Date();  // being sent: now
      if (!day || !sameDay(day, at)) {
        li.before(h('li', { class: 'day' }, dayLabel(at)));
        day = at;
        sender = null;
      }
      const from = li.dataset.sender ?? String(this.me.id);
      const named = li.querySelector(':scope > .sender');
      const wanted = from !== sender && from !== '' && li.classList.contains('theirs');
      if (wanted && !named) li.prepend(h('span', { class: 'sender' }, this.senderName(Number(from))));
      if (!wanted && named) named.remove();
      sender = from;
    }
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
    this.relabelSoon();
  }

  replace(message) {
    const old = this.byId.get(message.id);
    if (!old) return;
    const li = this.item(message);
    old.replaceWith(li);
    this.byId.set(message.id, li);
    this.refreshTicks();
    this.relabelSoon();
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
      this.relabel();  // now, not later: the height it adds is part of what is kept in place
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
    this.startSending('text', { text }, this.pendingBody('text', { text }));
  }

  // Shows the message at the end as "sending…" and sends it; `content` null means the file
  // is uploaded first. `clientId`: a message from the outbox, sent before a reload.
  startSending(messageType, content, body, file = null, clientId = null) {
    if (clientId === null) {
      clientId = `w-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
      if (content !== null) this.outbox.keep(clientId, messageType, content);
    }
    const li = h('li', { class: `message mine pending ${messageType}`, 'data-client-id': clientId },
                 body, h('span', { class: 'meta' }, h('span', { class: 'status' }, t('sending'))));
    this.list.append(li);
    this.relabelSoon();
    this.pending.set(clientId, { item: li, message_type: messageType, content, file, failed: false });
    this.scrollToEnd();
    this.resend(clientId);
    return clientId;
  }

  sendFile(file, messageType) {
    this.warn('');
    const limit = this.uploadLimits[messageType];
    if (limit === undefined) {
      this.warn(t('upload_type_off', { name: file.name }));
      return;
    }
    // Refused here, before any byte goes out: the server would refuse it too (413).
    if (file.size > limit) {
      this.warn(t('upload_too_large', { name: file.name, size: fileSize(file.size), max: fileSize(limit) }));
      return;
    }
    const progress = h('progress', { max: file.size || 1, value: 0, 'aria-label': t('uploading', { name: file.name }) });
    this.startSending(messageType, null,
                      h('span', { class: 'text' }, `${file.name} (${fileSize(file.size)})`, progress), file);
  }

  sendLocation(coords) {
    this.warn('');
    const content = { latitude: coords.latitude, longitude: coords.longitude };
    if (coords.accuracy !== null && coords.accuracy !== undefined) content.accuracy = coords.accuracy;
    this.startSending('location', content, this.pendingBody('location', content));
  }

  warn(text) { this.notice.textContent = text; }

  resend(clientId) {
    const p = this.pending.get(clientId);
    p.failed = false;
    p.item.classList.remove('failed');
    p.item.querySelector('.status').textContent = t('sending');
    p.item.querySelector('button')?.remove();
    if (p.content === null) {
      this.upload(clientId);
      return;
    }
    // The same client_id on every try: the server stores it once however often it arrives.
    const sent = this.live.send({ type: 'message', message_type: p.message_type, content: p.content,
                                  client_id: clientId });
    if (!sent) this.fail(clientId);
  }

  async upload(clientId) {
    const p = this.pending.get(clientId);
    if (p.uploading) return;
    p.uploading = true;
    const form = new FormData();
    form.append('message_type', p.message_type);
    form.append('file', p.file, p.file.name);
    const progress = p.item.querySelector('progress');
    try {
      const attachment = await apiUpload('/api/chat/attachments/', form, (sent, total) => {
        progress.max = total;
        progress.value = sent;
      });
      progress.value = progress.max;
      this.cache.remember(attachment.id, p.file);
      p.content = { attachment_id: attachment.id };
    } catch (error) {
      // No answer: the network; worth another try. An answer: the server refused the file,
      // and would again.
      if (error.status === 0) this.fail(clientId);
      else this.refuse(clientId, refusal(error, p.file));
      return;
    } finally {
      p.uploading = false;
    }
    if (this.pending.has(clientId)) this.resend(clientId);
  }

  fail(clientId, detail) {
    const p = this.pending.get(clientId);
    if (!p) return;
    p.failed = true;
    p.item.classList.add('failed');
    p.item.querySelector('.status').textContent = detail ? `${t('failed')} (${detail})` : t('failed');
    if (!p.item.querySelector('button'))
      p.item.append(h('button', { type: 'button', class: 'quiet', onclick: () => this.resend(clientId) }, t('retry')));
  }

  // A file the server will not take: said plainly, never retried, and removable.
  refuse(clientId, reason) {
    const p = this.pending.get(clientId);
    if (!p) return;
    this.outbox.drop(clientId);  // refused now, refused after a reload too
    p.refused = true;
    p.item.classList.add('failed', 'refused');
    p.item.querySelector('progress')?.remove();
    const status = p.item.querySelector('.status');
    status.textContent = reason;
    status.setAttribute('role', 'alert');
    p.item.append(h('button', { type: 'button', class: 'quiet', onclick: () => {
      this.pending.delete(clientId);
      p.item.remove();
    } }, t('dismiss')));
  }

  acknowledge(clientId, message) {
    const p = this.pending.get(clientId);
    if (!p) { this.show(message); return; }
    this.outbox.drop(clientId);
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
