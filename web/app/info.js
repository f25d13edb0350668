// The info tab of a communication page: the request, its status timeline, the other people
// with call buttons, and for the assigned technician the buttons that move the job along.
import { api, ApiError } from './api.js';
import { h } from './dom.js';
import { mapsLink, opensInBrowser } from './places.js';
import { errorText, t } from './i18n.js';
import { systemText } from './media.js';
import { dayAndTime } from './when.js';

// What the assigned technician may set next, from each status.
const kNext = {
  assigned: ['en_route', 'on_site', 'completed'],
  en_route: ['on_site', 'completed'],
  on_site: ['completed'],
};

export class InfoView {
  constructor(request, conversation, me) {
    this.request = request;
    this.conversation = conversation;
    this.me = me;
    this.element = h('section', { class: 'info', 'aria-label': t('info') });
  }

  async start() { await this.render(); }

  stop() {}

  // A status change arrives as a system message: show the new state.
  async onSystemMessage() {
    this.request = await api(`/api/requests/${this.request.id}/`);
    await this.render();
  }

  async timeline() {
    const page = await api(`/api/chat/messages/conversation_messages/?conversation_id=${this.conversation.id}&limit=200`);
    const events = [{ at: this.request.created_at, text: t('timeline_created') }];
    for (const m of page.results)
      if (m.message_type === 'system')
        events.push({ at: m.created_at, text: systemText(m.content || {}, this.conversation.participants) });
    return events;
  }

  async render() {
    const r = this.request;
    this.onStatus?.(r.status);
    // Everyone else in the conversation: the client or the technician, and the dispatcher.
    const others = (this.conversation.participants || []).filter((p) => p.user_id !== this.me.id);
    const events = await this.timeline();
    const rows = [
      [t('status'), h('span', { class: `status ${r.status}`, id: 'info-status' }, t(`status_${r.status}`))],
      r.description ? [t('description'), r.description] : null,
      r.address ? [t('address'), this.addressLink(r)] : null,
    ].filter(Boolean);
    const party = others.map((other) => h('div', { class: 'party' },
      h('p', {}, h('strong', {}, other.display_name || ''), ' — ', t(`role_${other.role}`)),
      other.phone ? h('a', { class: 'call', href: `tel:${other.phone.replace(/\s+/g, '')}` },
                      t('call', { name: other.display_name || '' })) : null));
    const actions = this.me.role === 'technician' && r.technician_id === this.me.id
      ? (kNext[r.status] || []).map((status) => h('button', { type: 'button', onclick: () => this.move(status) },
                                                   t(`set_${status}`)))
      : [];
    this.problem = h('p', { class: 'error', role: 'alert' });
    this.element.replaceChildren(...[
      h('dl', {}, rows.map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)])),
      ...party,
      actions.length ? h('div', { class: 'actions' }, actions) : null,
      this.problem,
      h('h2', {}, t('timeline')),
      h('ol', { class: 'timeline' }, events.map((e) => h('li', {},
        h('time', { datetime: e.at }, dayAndTime(new Date(e.at))), ' ', e.text)))].filter(Boolean));
  }

  // The address opens the platform's maps app (places.js), to find one's way there.
  addressLink(r) {
    const href = mapsLink(r.address, r.latitude, r.longitude, navigator.userAgent);
    const away = opensInBrowser(href) ? { target: '_blank', rel: 'noopener noreferrer' } : {};
    return h('a', { href, class: 'address', title: t('open_in_maps'), ...away }, r.address);
  }

  async move(status) {
    try {
      this.request = await api(`/api/requests/${this.request.id}/status/`, { method: 'POST', body: { status } });
      await this.render();
    } catch (error) {
      this.problem.textContent = t('error', {
        detail: error instanceof ApiError ? errorText(error.code, error.message) : String(error) });
    }
  }
}
