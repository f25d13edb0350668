// /t/{token}: what a tracking link shows to whoever holds it, with no account: the status,
// and while the technician is on the way their first name, the ETA and a live map. From
// GET /api/public/tracking/{token}/, then live from /ws/public/tracking/{token}/, which
// closes with 4404 once the link has expired, was revoked or the job ended.
import { h, setTitle } from './dom.js';
import { t } from './i18n.js';
import { JobMap } from './map.js';
import { positionAge, showAge, staleAfterMs } from './position_age.js';
import { clockTime, decimal } from './when.js';

const kLinkGone = 4404;
const kAgeEveryMs = 15000;

async function publicGet(path) {
  const response = await fetch(path);
  return { status: response.status, body: response.ok ? await response.json() : null };
}

export class PublicTrackingView {
  constructor(token) {
    this.token = token;
    this.trail = [];
    this.view = null;
    this.title = h('h1', {}, t('public_title'));
    this.status = h('p', { class: 'summary', 'aria-live': 'polite' });
    this.detail = h('p', { 'aria-live': 'polite' });
    this.age = h('p', { class: 'age' });
    this.state = h('p', { class: 'state' });
    this.element = h('section', { class: 'tracking public', 'aria-label': t('public_title') },
                     this.title, this.status, this.detail, this.age, this.state);
    this.delay = 1000;
    this.closed = false;
  }

  async start() {
    setTitle(0, t('public_title'));
    const [first, settings] = await Promise.all([
      publicGet(`/api/public/tracking/${encodeURIComponent(this.token)}/`),
      publicGet('/api/web/settings/')]);
    if (this.closed) return;  // left before the answers came
    if (first.status === 404) return this.gone();
    if (first.status === 429) {
      this.status.textContent = t('public_too_many');
      return;
    }
    if (!first.body) {
      this.status.textContent = t('public_unavailable');
      return;
    }
    this.staleAfterMs = staleAfterMs(settings.body);
    this.map = new JobMap(settings.body?.map || null, t('public_title'));
    this.element.append(this.map.element,
                        h('p', { class: 'legend' }, h('span', { class: 'key destination' }), t('legend_job'),
                          ' ', h('span', { class: 'key technician' }), t('legend_technician')));
    this.apply(first.body);
    this.ageTimer = setInterval(() => this.render(), kAgeEveryMs);
    this.connect();
  }

  connect() {
    if (this.closed) return;
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    const socket = new WebSocket(`${scheme}://${location.host}/ws/public/tracking/${encodeURIComponent(this.token)}/`);
    this.socket = socket;
    socket.onopen = () => {
      this.delay = 1000;
      this.state.textContent = '';
      this.state.dataset.state = 'online';
    };
    socket.onmessage = (event) => this.apply(JSON.parse(event.data));
    socket.onclose = (event) => {
      if (this.closed || this.socket !== socket) return;
      if (event.code === kLinkGone) return this.gone();
      this.state.dataset.state = 'offline';
      this.state.textContent = t('public_reconnecting');
      setTimeout(() => this.connect(), this.delay);
      this.delay = Math.min(this.delay * 2, 30000);
    };
  }

  apply(view) {
    const point = view.technician ? [view.technician.latitude, view.technician.longitude] : null;
    if (!point) this.trail = [];  // hidden again (on site): no line from an old position
    else {
      const last = this.trail[this.trail.length - 1];
      if (!last || last[0] !== point[0] || last[1] !== point[1]) this.trail.push(point);
    }
    this.view = view;
    this.render();
  }

  render() {
    const v = this.view;
    if (!v) return;
    const age = positionAge(v, this.staleAfterMs);
    const { stale } = age;
    this.status.textContent = t(`public_status_${v.status}`);
    if (v.technician && v.eta_seconds !== null && v.eta_seconds !== undefined) {
      const minutes = Math.max(1, Math.round(v.eta_seconds / 60));
      this.detail.textContent = t(stale ? 'public_eta_stale' : 'public_eta', {
        name: v.technician.display_name, minutes, at: clockTime(new Date(v.eta_at)),
        distance: `${decimal(v.distance_m / 1000, 1)} km`,
      });
    } else if (v.technician) {
      this.detail.textContent = t('public_on_the_way', { name: v.technician.display_name });
    } else {
      this.detail.textContent = '';
    }
    showAge(this.age, age);
    this.map.container.setAttribute('aria-label', `${this.status.textContent} ${this.detail.textContent}`.trim());
    this.map.show({ destination: v.destination, trail: this.trail, technician: Boolean(v.technician), stale });
  }

  // Expired, revoked, or the job is over: nothing more to show.
  gone() {
    this.stop();
    this.element.replaceChildren(this.title, h('p', { class: 'summary', role: 'status' }, t('public_gone')),
                                 h('p', {}, t('public_gone_detail')));
  }

  stop() {
    this.closed = true;
    this.socket?.close();
    clearInterval(this.ageTimer);
    this.map?.stop();
    this.map = null;
  }
}
