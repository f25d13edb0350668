// The tracking tab: the technician's position and trail toward the job, over map tiles when
// the operator configured a tile server (web.map_tiles_url) and on a plain background when
// not or when the tiles do not load, with distance and ETA kept current by the user's /ws/
// feed. The assigned technician can share their position from here while the job is under way.
import { api } from './api.js';
import { h } from './dom.js';
import { LiveConversation } from './live.js';
import { t } from './i18n.js';
import { clockTime, decimal } from './when.js';

const kSvg = 'http://www.w3.org/2000/svg';
const kPostEveryMs = 2000;  // the least time between two positions sent
// Phones report little while standing still (and some browsers only on movement): asking
// this often as well keeps the server's speed and ETA honest about a stopped technician.
const kAskEveryMs = 5000;
const kSize = 320;
const kMargin = 24;
const kTile = 256;
const kMaxZoom = 18;
// The least span drawn, in world units (about 50 m): a lone point is not blown up to a street.
const kMinSpan = 0.0005 / 360;

// Web Mercator, as tile servers cut the world: longitude and latitude to [0, 1] squares.
function world([lat, lon]) {
  const sin = Math.sin(lat * Math.PI / 180);
  return [(lon + 180) / 360, 0.5 - Math.log((1 + sin) / (1 - sin)) / (4 * Math.PI)];
}

function tileUrl(template, z, x, y) {
  return template.replace('{z}', z).replace('{x}', x).replace('{y}', y);
}

function svg(tag, attributes = {}) {
  const element = document.createElementNS(kSvg, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  return element;
}

function kilometres(metres) {
  return `${decimal(metres / 1000, 2)} km`;
}

export class TrackingView {
  // settings: GET /api/web/settings/ (the map's tiles, if any)
  constructor(request, me, settings) {
    this.request = request;
    this.me = me;
    this.map = settings?.map || null;
    this.tilesFailed = false;
    this.trail = [];
    this.view = null;
    this.drawing = svg('svg', { viewBox: `0 0 ${kSize} ${kSize}`, class: 'plane', role: 'img' });
    this.credit = h('p', { class: 'legend credit', hidden: !this.map?.attribution }, this.map?.attribution || '');
    this.mapNote = h('p', { class: 'legend', role: 'status' });
    this.summary = h('p', { class: 'summary', 'aria-live': 'polite' });
    this.share = h('button', { type: 'button', hidden: true, onclick: () => this.toggleSharing() });
    this.problem = h('p', { class: 'error', role: 'alert' });
    this.element = h('section', { class: 'tracking', 'aria-label': t('tracking') },
                     this.summary, this.drawing, this.credit, this.mapNote,
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
    this.refreshShareButton();
  }

  stop() {
    this.feed?.close();
    this.stopSharing();
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
    if (!v?.technician) {
      this.summary.textContent = v?.active === false ? t('tracking_over') : t('tracking_none');
    } else if (v.distance_m === null || v.distance_m === undefined) {
      this.summary.textContent = t('tracking_no_destination');
    } else {
      const minutes = Math.max(1, Math.round(v.eta_seconds / 60));
      this.summary.textContent = t('tracking_summary', {
        distance: kilometres(v.distance_m), minutes,
        at: clockTime(new Date(v.eta_at)),
      });
    }
    this.draw();
  }

  // Everything known fits the square, in Web Mercator so it lines up with map tiles; with
  // tiles, the zoom is a whole tile level.
  draw() {
    const points = this.trail.slice();
    const destination = this.view?.destination;
    if (destination) points.push([destination.latitude, destination.longitude]);
    this.drawing.replaceChildren(svg('rect', { width: kSize, height: kSize, class: 'ground' }));
    this.drawing.setAttribute('aria-label', this.summary.textContent);
    const tiled = Boolean(this.map) && !this.tilesFailed;
    this.drawing.dataset.tiles = this.map ? (tiled ? 'on' : 'failed') : 'none';
    this.credit.hidden = !tiled || !this.map.attribution;
    if (!points.length) return;
    const xy = points.map(world);
    const xs = xy.map((p) => p[0]);
    const ys = xy.map((p) => p[1]);
    const span = Math.max(Math.max(...xs) - Math.min(...xs), Math.max(...ys) - Math.min(...ys), kMinSpan);
    let scale = (kSize - 2 * kMargin) / span;  // pixels per world unit
    let zoom = 0;
    if (tiled) {
      zoom = Math.max(0, Math.min(kMaxZoom, Math.floor(Math.log2(scale / kTile))));
      scale = kTile * 2 ** zoom;
    }
    const offsetX = kSize / 2 - ((Math.min(...xs) + Math.max(...xs)) / 2) * scale;
    const offsetY = kSize / 2 - ((Math.min(...ys) + Math.max(...ys)) / 2) * scale;
    const place = (point) => {
      const [x, y] = world(point);
      return [x * scale + offsetX, y * scale + offsetY];
    };
    if (tiled) this.drawTiles(zoom, offsetX, offsetY);
    if (this.trail.length > 1)
      this.drawing.append(svg('polyline', { class: 'trail',
        points: this.trail.map((p) => place(p).join(',')).join(' ') }));
    if (destination) {
      const [x, y] = place([destination.latitude, destination.longitude]);
      this.drawing.append(svg('rect', { class: 'destination', x: x - 7, y: y - 7, width: 14, height: 14 }));
    }
    if (this.view?.technician && this.trail.length) {
      const [x, y] = place(this.trail[this.trail.length - 1]);
      this.drawing.append(svg('circle', { class: 'technician', cx: x, cy: y, r: 8 }));
    }
  }

  // The tiles under the square. One that does not load turns the map off for this page: a
  // plain background with every position beats a map with holes or none at all.
  drawTiles(zoom, offsetX, offsetY) {
    const last = 2 ** zoom - 1;
    const layer = svg('g', { class: 'tiles' });
    for (let ty = Math.max(0, Math.floor(-offsetY / kTile)); ty <= Math.min(last, Math.floor((kSize - offsetY) / kTile)); ty += 1) {
      for (let tx = Math.max(0, Math.floor(-offsetX / kTile)); tx <= Math.min(last, Math.floor((kSize - offsetX) / kTile)); tx += 1) {
        const image = svg('image', { href: tileUrl(this.map.tiles_url, zoom, tx, ty), x: tx * kTile + offsetX,
                                     y: ty * kTile + offsetY, width: kTile, height: kTile });
        image.addEventListener('error', () => {
          if (this.tilesFailed) return;
          this.tilesFailed = true;
          this.mapNote.textContent = t('map_unavailable');
          this.draw();
        });
        layer.append(image);
      }
    }
    this.drawing.append(layer);
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
