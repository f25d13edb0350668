// Jobs on a map: one job's place with the technician's position and trail, or the day's jobs
// and technicians for the dispatcher; with zoom, pan and a scale (Leaflet: Debian's
// libjs-leaflet, copied beside the page's files by the build). The tiles come from the operator's tile server (web.map_tiles_url) when there is one; without
// one, or while none has loaded, the same markers lie on a plain background and a note says
// why. A tile that fails leaves a hole, not a blank map.
import { CircleMarker, Control, LatLngBounds, Map as LeafletMap, Polyline, TileLayer } from './leaflet.esm.js';
import { h } from './dom.js';
import { t } from './i18n.js';

const kMaxZoom = 18;
const kFitMaxZoom = 16;  // a lone point is shown with its streets around it, not one house
const kFitPadding = [32, 32];
// Before the first position: France, whole.
const kStartCentre = [46.6, 2.4];
const kStartZoom = 5;

// Leaflet writes attributions as HTML; the operator's credit is text.
function asHtml(text) {
  const div = document.createElement('div');
  div.textContent = text;
  return div.innerHTML;
}

// The map every view shares: tiles (or the plain ground), zoom buttons, a metric scale, and
// following what it shows until the reader zooms or drags it.
class BaseMap {
  // tiles: the page's settings.map ({tiles_url, attribution}) or null
  constructor(tiles, label) {
    this.container = h('div', { class: 'map', role: 'region', 'aria-label': label });
    this.note = h('p', { class: 'legend', role: 'status' });
    this.element = h('div', { class: 'job-map' }, this.container, this.note);
    this.map = new LeafletMap(this.container, { maxZoom: kMaxZoom, attributionControl: Boolean(tiles),
                                                zoomControl: false });
    this.map.setView(kStartCentre, kStartZoom);
    new Control.Zoom({ zoomInTitle: t('zoom_in'), zoomOutTitle: t('zoom_out') }).addTo(this.map);
    new Control.Scale({ imperial: false }).addTo(this.map);
    // The map follows what it shows until the reader moves it themselves.
    this.following = true;
    this.fitting = false;
    this.map.on('zoomstart dragstart', () => { if (!this.fitting) this.following = false; });
    this.map.on('zoomend', () => { this.container.dataset.zoom = String(this.map.getZoom()); });
    this.container.dataset.zoom = String(kStartZoom);
    if (tiles) this.addTiles(tiles);
    else this.setTiles('none', t('map_no_tiles'));
    // Hidden in a tab at first, and phones turn: Leaflet measures its box again when it changes.
    this.resized = new ResizeObserver(() => {
      if (!this.container.clientWidth) return;
      this.map.invalidateSize({ animate: false });
      if (this.following) this.fit();
    });
    this.resized.observe(this.container);
  }

  addTiles(tiles) {
    let loaded = 0;
    const layer = new TileLayer(tiles.tiles_url, { maxZoom: kMaxZoom, attribution: asHtml(tiles.attribution || '') });
    layer.on('tileload', () => {
      loaded += 1;
      if (loaded === 1) this.setTiles('on', '');
    });
    layer.on('tileerror', () => { if (!loaded) this.setTiles('failed', t('map_unavailable')); });
    layer.addTo(this.map);
    this.setTiles('loading', '');
  }

  setTiles(state, note) {
    this.container.dataset.tiles = state;
    this.note.textContent = note;
    this.note.hidden = !note;
  }

  // Moves, adds or removes one marker; `name`, if given, shows on hover and focus.
  place(marker, latLng, className, radius, name) {
    if (!latLng) {
      marker?.remove();
      return null;
    }
    if (marker) {
      if (name) marker.setTooltipContent(name);
      return marker.setLatLng(latLng);
    }
    const made = new CircleMarker(latLng, { className, radius, interactive: Boolean(name) }).addTo(this.map);
    if (name) made.bindTooltip(name);
    return made;
  }

  // What fit() keeps in view: [lat, lon] pairs or LatLngs.
  points() { return []; }

  // Everything known in view.
  fit() {
    if (!this.container.clientWidth) return;  // not on screen: done once it is
    const points = this.points();
    if (!points.length) return;
    this.fitting = true;
    try {
      this.map.fitBounds(new LatLngBounds(points), { padding: kFitPadding, maxZoom: kFitMaxZoom, animate: false });
    } finally {
      this.fitting = false;
    }
  }

  stop() {
    this.resized.disconnect();
    this.map.remove();
  }
}

// One job: its place, the technician's position and trail.
export class JobMap extends BaseMap {
  constructor(tiles, label) {
    super(tiles, label);
    this.trail = new Polyline([], { className: 'trail', interactive: false }).addTo(this.map);
    this.destination = null;
    this.technician = null;
  }

  // destination: {latitude, longitude} | null; trail: [[lat, lon], ...] ending at the
  // technician's last position; technician: whether there is one now; stale: whether it is old.
  show({ destination, trail, technician, stale }) {
    this.destination = this.place(this.destination, destination && [destination.latitude, destination.longitude],
                                  'destination', 10);
    this.trail.setLatLngs(trail);
    const last = technician && trail.length ? trail[trail.length - 1] : null;
    this.technician = this.place(this.technician, last, 'technician', 9);
    this.technician?.getElement()?.classList.toggle('stale', Boolean(stale));
    if (this.following) this.fit();
  }

  points() {
    const points = [...this.trail.getLatLngs()];
    if (this.destination) points.push(this.destination.getLatLng());
    return points;
  }
}

// The day's work on one map, for the dispatcher: every open job, every technician who
// shares a position.
export class DayMap extends BaseMap {
  constructor(tiles, label) {
    super(tiles, label);
    this.jobs = new Map();  // request id -> marker
    this.technicians = new Map();  // technician id -> marker
  }

  // jobs: [{id, name, latitude, longitude}]; technicians: [{id, name, latitude, longitude, stale}]
  show(jobs, technicians) {
    this.jobs = this.replace(this.jobs, jobs, 'destination', 8);
    this.technicians = this.replace(this.technicians, technicians, 'technician', 8);
    for (const { id, stale } of technicians)
      this.technicians.get(id)?.getElement()?.classList.toggle('stale', Boolean(stale));
    if (this.following) this.fit();
  }

  replace(markers, items, className, radius) {
    const kept = new Map();
    for (const item of items) {
      kept.set(item.id, this.place(markers.get(item.id), [item.latitude, item.longitude], className, radius, item.name));
      markers.delete(item.id);
    }
    for (const gone of markers.values()) gone.remove();
    return kept;
  }

  points() {
    return [...this.jobs.values(), ...this.technicians.values()].map((m) => m.getLatLng());
  }
}
