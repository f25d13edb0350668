// A WebSocket that reconnects with backoff: one conversation's, which resumes after the last
// message it saw so nothing is missed, or the user's whole feed (/ws/, no conversation id).
// The token travels as a subprotocol, never in the URL.
import { refreshAccess, session } from './api.js';

export class LiveConversation {
  // handlers: onFrame(frame), onState('connecting' | 'online' | 'offline')
  constructor(conversationId, handlers) {
    this.conversationId = conversationId;
    this.path = conversationId ? `/ws/chat/${conversationId}/` : '/ws/';
    this.handlers = handlers;
    this.lastId = 0;
    this.delay = 500;
    this.closed = false;
    this.connect();
  }

  connect() {
    if (this.closed) return;
    this.handlers.onState('connecting');
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    const url = `${scheme}://${location.host}${this.path}`;
    const socket = new WebSocket(url, ['fieldlink.bearer', session.access]);
    this.socket = socket;
    socket.onopen = () => {
      this.delay = 500;
      this.handlers.onState('online');
      if (this.conversationId) this.send({ type: 'resume', after_id: this.lastId });
    };
    socket.onmessage = (event) => {
      const frame = JSON.parse(event.data);
      if (frame.type === 'message') this.lastId = Math.max(this.lastId, frame.message.id);
      // A resume larger than the server's send queue comes in pages: ask for the next one.
      if (frame.type === 'resumed' && frame.has_more) this.send({ type: 'resume', after_id: frame.last_id });
      this.handlers.onFrame(frame);
    };
    socket.onclose = async (event) => {
      if (this.socket !== socket || this.closed) return;
      this.handlers.onState('offline');
      // 4401: the access token expired while connected; refresh it before coming back.
      if (event.code === 4401) {
        try { await refreshAccess(); } catch { location.assign('/'); return; }
      }
      setTimeout(() => this.connect(), this.delay);
      this.delay = Math.min(this.delay * 2, 10000);
    };
  }

  // Whether the frame went out (false while disconnected: the caller keeps it to retry).
  send(frame) {
    if (!this.socket || this.socket.readyState !== WebSocket.OPEN) return false;
    this.socket.send(JSON.stringify(frame));
    return true;
  }

  seen(id) { this.lastId = Math.max(this.lastId, id); }

  close() {
    this.closed = true;
    this.socket?.close();
  }
}
