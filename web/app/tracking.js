// The tracking tab: the technician's position and trail toward the job on a map (map.js),
// with distance, ETA and the position's age kept current by the user's /ws/ feed. A position
// older than the operator's limit (web.position_stale_seconds) is greyed, and the ETA is then
// said to be an estimate from it. The assigned technician can share their position from here
// while the job is under way.
import { api } from './api.js';
import { h } from './dom.js';
import { LiveConversation } from './live.js';
import { t } from './i18n.js';
import { JobMap } from './map.js';
import { positionAge, showAge, staleAfterMs } from './position_age.js';
import { clockTime, decimal } from './when.js';

const kPostEveryMs = 2000;  // the least time between two positions sent
// Phones report little while standing still (and some browsers only on movement): asking
// this often as well keeps the server's speed and ETA honest about a stopped technician.
const kAskEveryMs = 5000;
const kAgeEveryMs = 15000;  // "il y a 2 min" is said again this often

function kilometres(metres) {
  return `${decimal(metres / 1000, 2)} km`;
}

export class TrackingView {
  // settings: GET /api/web/settings/ (the map's tiles, if any, and when a position is stale)
  constructor(request, me, settings) {
    this.request = request;
    this.me = me;
    this.staleAfterMs = staleAfterMs(settings);
    this.trail = [];
    this.view = null;
    this.map = new JobMap(settings?.map || null, t('tracking'));
    this.summary = h('p', { class: 'summary', 'aria-live': 'polite' });
    this.age = h('p', { class: 'age' });
    this.share = h('button', { type: 'button', hidden: true, onclick: () => this.toggleSharing() });
    this.problem = h('p', { class: 'error', role: 'alert' });
    this.element = h('section', { class: 'tracking', 'aria-label': t('tracking') },
                     this.summary, this.age, this.map.element,
                     h('p', { class: 'legend' }, h('span', { class: 'key destination' }), t('legend_job'),
                       ' ', h('span', { class: 'key technician' }), t('legend_technician')),
                     this.share, this.problem);
  }

  async start() {
    this.apply(await api(`/api/tracking/${this.request.id}/`));
    this.feed = new LiveConversation(null, {
      onState: (state) => {
        if (state === 'online')
          api(`/api/tracking/${this.request.id}/`).then((v) => this.apply(v)).catch(() => {});
      },
      onFrame: (frame) => {
        if (frame.type === 'tracking' && frame.request_id === this.request.id) this.apply(frame);
      },
    });
    // A position grows old with nothing arriving: the age and the stale state follow the clock.
    this.ageTimer = setInterval(() => this.render(), kAgeEveryMs);
    this.refreshShareButton();
  }

  stop() {
    this.feed?.close();
    clearInterval(this.ageTimer);
    this.stopSharing();
    this.map.stop();
  }

  setRequest(request) {
    this.request = request;
    this.refreshShareButton();
  }

  // A full view (with its trail) or a live frame (the latest position only).
  apply(view) {
    if (Array.isArray(view.trail)) this.trail = view.trail.slice();
    else if (view.technician) {
      const last = this.trail[this.trail.length - 1];
      const point = [view.technician.latitude, view.technician.longitude];
      if (!last || last[0] !== point[0] || last[1] !== point[1]) this.trail.push(point);
    }
    this.view = view;
    this.render();
  }

  render() {
    const v = this.view;
    const age = positionAge(v, this.staleAfterMs);
    const { stale } = age;
    if (!v?.technician) {
      this.summary.textContent = v?.active === false ? t('tracking_over') : t('tracking_none');
    } else if (v.distance_m === null || v.distance_m === undefined) {
      this.summary.textContent = t('tracking_no_destination');
    } else {
      const minutes = Math.max(1, Math.round(v.eta_seconds / 60));
      this.summary.textContent = t(stale ? 'tracking_summary_stale' : 'tracking_summary', {
        distance: kilometres(v.distance_m), minutes,
        at: clockTime(new Date(v.eta_at)),
      });
    }
    showAge(this.age, age);
    this.map.container.setAttribute('aria-label', this.summary.textContent);
    this.map.show({ destination: v?.destination, trail: this.trail, technician: Boolean(v?.technician), stale });
  }

  // --- the technician's side ---------------------------------------------------------

  refreshShareButton() {
    const mine = this.me.role === 'technician' && this.request.technician_id === this.me.id;
    const underWay = ['assigned', 'en_route', 'on_site'].includes(this.request.status);
    this.share.hidden = !(mine && underWay && 'geolocation' in navigator);
    if (!underWay) this.stopSharing();
    this.share.textContent = t(this.watch === undefined ? 'share_start' : 'share_stop');
  }

  toggleSharing() {
    if (this.watch === undefined) this.startSharing();
    else this.stopSharing();
    this.refreshShareButton();
  }

  startSharing() {
    this.problem.textContent = '';
    // Only a refusal ends the sharing; a fix that did not come (timeout, no signal in a
    // tunnel) is noted, and the next one may well come.
    const failed = (error) => {
      if (error.code !== error.PERMISSION_DENIED) {
        this.problem.textContent = t('share_waiting');
        return;
      }
      this.problem.textContent = t('share_denied');
      this.stopSharing();
      this.refreshShareButton();
    };
    const options = { enableHighAccuracy: true, maximumAge: 0 };
    this.watch = navigator.geolocation.watchPosition((p) => this.queue(p.coords), failed, options);
    this.asking = setInterval(() => navigator.geolocation.getCurrentPosition(
      (p) => this.queue(p.coords), () => {}, options), kAskEveryMs);
  }

  stopSharing() {
    if (this.watch !== undefined) navigator.geolocation.clearWatch(this.watch);
    clearInterval(this.asking);
    this.watch = undefined;
    clearTimeout(this.postTimer);
    this.postTimer = undefined;
  }

  // At most one position every kPostEveryMs; the newest waiting one goes next.
  queue(coords) {
    this.waiting = coords;
    if (this.postTimer !== undefined) return;
    const wait = Math.max(0, (this.lastPost || 0) + kPostEveryMs - Date.now());
    this.postTimer = setTimeout(() => this.post(), wait);
  }

  async post() {
    this.postTimer = undefined;
    const c = this.waiting;
    this.waiting = undefined;
    if (!c || this.watch === undefined) return;
    this.lastPost = Date.now();
    const body = { latitude: c.latitude, longitude: c.longitude };
    if (c.accuracy !== null && c.accuracy !== undefined) body.accuracy = c.accuracy;
    if (c.speed !== null && c.speed !== undefined && c.speed >= 0) body.speed_mps = c.speed;
    if (c.heading !== null && c.heading !== undefined && c.heading >= 0 && c.heading < 360) body.heading = c.heading;
    try {
      await api(`/api/tracking/${this.request.id}/position/`, { method: 'POST', body });
      this.problem.textContent = '';
    } catch (error) {
      this.problem.textContent = t('share_failed', { detail: error.message });
    }
    if (this.waiting) this.queue(this.waiting);
  }
}
