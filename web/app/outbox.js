// Messages sent but not yet acknowledged, kept in IndexedDB so that a reload (or a page
// opened again without a network) does not lose them: the chat shows them as pending and
// sends them again, with the same client_id, so the server stores each once. Texts and
// locations only: a file is uploaded first, and a page that lost it has nothing to resend.
import { objectStore } from './idb.js';

const run = objectStore('fieldlink', 'outbox', 'client_id');

// One user's waiting messages in one conversation.
export class Outbox {
  constructor(userId, conversationId) {
    this.userId = userId;
    this.conversationId = conversationId;
  }

  // Never in the way of sending: a browser without IndexedDB (or a private mode that refuses
  // it) only loses the keeping across reloads.
  async keep(clientId, messageType, content) {
    await run('readwrite', (store) => store.put({
      client_id: clientId, user_id: this.userId, conversation_id: this.conversationId,
      message_type: messageType, content, kept_at: Date.now() })).catch(() => {});
  }

  async drop(clientId) {
    await run('readwrite', (store) => store.delete(clientId)).catch(() => {});
  }

  // Oldest first, as they were typed.
  async waiting() {
    const all = await run('readonly', (store) => store.getAll()).catch(() => []);
    return all.filter((m) => m.user_id === this.userId && m.conversation_id === this.conversationId)
      .sort((a, b) => a.kept_at - b.kept_at);
  }
}
