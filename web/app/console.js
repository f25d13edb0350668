// The dispatcher's console, their home page: the figures of the jobs they follow with the
// last day's messages per hour, then three tabs. The queue: pending requests, oldest first,
// each assigned from a list of technicians with their open jobs and whether they are online.
// The board: every open request with its status, technician, last message, unread count and
// response times, filtered and sorted; each opens its chat. The map of the day: open jobs and
// the technicians sharing a position. Kept current by the dispatcher's /ws/ feed.
import { api, apiDashboard, apiPages } from './api.js';
import { hourlyChart } from './chart.js';
import { h, setTitle } from './dom.js';
import { errorText, t } from './i18n.js';
import { LiveConversation } from './live.js';
import { DayMap } from './map.js';
import { messageSummary } from './alerts.js';
import { systemText } from './media.js';
import { positionAge, staleAfterMs } from './position_age.js';
import { ago, decimal } from './when.js';

const kOpen = ['pending', 'assigned', 'en_route', 'on_site'];
const kRefreshAfterMs = 300;  // frames come in bursts: one refresh for the lot
const kAgeEveryMs = 30000;
const kFigures = ['conversation_count', 'total_messages', 'unread_messages', 'average_response_time_seconds',
                  'median_response_time_seconds', 'active_conversations'];
const kSorts = {
  oldest: (a, b) => a.request.created_at.localeCompare(b.request.created_at),
  newest: (a, b) => b.request.created_at.localeCompare(a.request.created_at),
  unread: (a, b) => (b.unread ?? -1) - (a.unread ?? -1),
  response: (a, b) => (b.stats?.average_response_time_seconds ?? -1) - (a.stats?.average_response_time_seconds ?? -1),
};

// "45 s", "2 min 05 s", "1 h 12 min"; "—" when there is nothing to measure.
export function duration(seconds) {
  if (seconds === null || seconds === undefined) return '—';
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
}

// The last message of a job as one line: what it says, or what it carries.
function lastText(message) {
  return message.message_type === 'system' ? systemText(message.content || {}) : messageSummary(message);
}

function figureText(key, value) {
  if (key.endsWith('_seconds')) return duration(value);
  return value === null || value === undefined ? '—' : String(value);
}

export class ConsoleView {
  constructor(me, settings) {
    this.me = me;
    this.settings = settings;
    this.status = 'open';
    this.sort = 'oldest';
    this.positions = new Map();  // request id -> its tracking view (technician, stale...)
    this.figures = h('dl', { class: 'figures' });
    this.chart = h('figure', { class: 'activity' });
    this.problem = h('p', { class: 'error', role: 'alert' });
    this.queue = h('ul', { class: 'requests queue', 'aria-label': t('console_queue') });
    this.board = h('ul', { class: 'requests board', 'aria-label': t('console_board') });
    this.people = h('ul', { class: 'people' });
    this.map = new DayMap(settings?.map || null, t('console_map'));
    const panels = {
      queue: h('section', {}, this.queue),
      board: h('section', {}, this.boardControls(), this.board),
      map: h('section', {}, this.map.element,
             h('p', { class: 'legend' }, h('span', { class: 'key destination' }), t('legend_job'),
               ' ', h('span', { class: 'key technician' }), t('legend_technician')),
             this.people),
    };
    const tabs = Object.keys(panels).map((name) => h('button', {
      type: 'button', role: 'tab', id: `tab-${name}`, 'aria-controls': `panel-${name}`,
      onclick: () => this.select(name) }, t(`console_${name}`)));
    this.tabs = tabs;
    this.panels = panels;
    for (const [name, panel] of Object.entries(panels)) {
      panel.id = `panel-${name}`;
      panel.setAttribute('role', 'tabpanel');
      panel.setAttribute('aria-labelledby', `tab-${name}`);
    }
    this.element = h('div', { class: 'console' },
                     h('h1', {}, t('console_title')), this.figures, this.chart, this.problem,
                     h('nav', { class: 'tabs', role: 'tablist', 'aria-label': t('console_title') }, tabs),
                     ...Object.values(panels));
    this.select('queue');
  }

  select(name) {
    for (const tab of this.tabs) tab.setAttribute('aria-selected', String(tab.id === `tab-${name}`));
    for (const [key, panel] of Object.entries(this.panels)) panel.hidden = key !== name;
    this.shown = name;
    if (name === 'map') this.loadPositions().catch((e) => this.fail(e));
  }

  boardControls() {
    const statuses = ['open', ...kOpen];
    const filter = h('select', { id: 'board-status', onchange: () => { this.status = filter.value; this.renderBoard(); } },
                     statuses.map((s) => h('option', { value: s }, s === 'open' ? t('console_all_open') : t(`status_${s}`))));
    const sort = h('select', { id: 'board-sort', onchange: () => { this.sort = sort.value; this.renderBoard(); } },
                   Object.keys(kSorts).map((s) => h('option', { value: s }, t(`console_sort_${s}`))));
    return h('div', { class: 'controls' },
             h('label', { for: 'board-status' }, t('console_filter')), filter,
             h('label', { for: 'board-sort' }, t('console_sort')), sort);
  }

  async start() {
    setTitle(0, t('console_title'));
    await this.refresh();
    if (this.stopped) return;  // left before the first answer came
    this.feed = new LiveConversation(null, {
      onState: (state) => { if (state === 'online') this.refreshSoon(); },
      onFrame: (frame) => {
        if (frame.type === 'tracking') this.onTracking(frame);
        else if (['message', 'read', 'notification', 'presence'].includes(frame.type)) this.refreshSoon();
      },
    });
    this.ageTimer = setInterval(() => this.renderQueue(), kAgeEveryMs);
  }

  stop() {
    this.stopped = true;
    this.feed?.close();
    clearTimeout(this.pending);
    clearInterval(this.ageTimer);
    this.map.stop();
  }

  refreshSoon() {
    clearTimeout(this.pending);
    this.pending = setTimeout(() => this.refresh().catch((e) => this.fail(e)), kRefreshAfterMs);
  }

  fail(error) {
    this.problem.textContent = t('error', { detail: errorText(error.code, error.message) });
  }

  async refresh() {
    const [requests, technicians, conversations, dashboard] = await Promise.all([
      api(`/api/requests/?status=${kOpen.join(',')}&order=created_at`),
      api('/api/users/?role=technician'),
      apiPages(`/api/chat/conversations/?status=${kOpen.join(',')}&limit=200`),
      apiDashboard(`/api/chat/dashboard/?hours=24&status=${kOpen.join(',')}&limit=200`)]);
    this.problem.textContent = '';
    this.technicians = technicians.filter((u) => !u.disabled);
    this.names = new Map(technicians.map((u) => [u.id, u.display_name || u.username]));
    const byConversation = new Map(conversations.map((c) => [c.id, c]));
    const stats = new Map(dashboard.conversations.map((c) => [c.conversation_id, c]));
    this.rows = requests.map((request) => {
      const conversation = byConversation.get(request.conversation_id);
      return { request, unread: conversation?.unread_count, last: conversation?.last_message,
               stats: stats.get(request.conversation_id) };
    });
    this.renderFigures(dashboard);
    this.renderQueue();
    this.renderBoard();
    if (this.shown === 'map') await this.loadPositions();
  }

  renderFigures(dashboard) {
    this.figures.replaceChildren(...kFigures.filter((key) => key in dashboard).map((key) => h('div', { 'data-key': key },
      h('dt', {}, t(`figure_${key}`)), h('dd', {}, figureText(key, dashboard[key])))));
    this.chart.replaceChildren(h('figcaption', {}, t('chart_title')), hourlyChart(dashboard.messages_per_hour || []));
  }

  // A technician picker and its button: assigns a pending request, or hands an open one to
  // someone else.
  assignControl(request) {
    const id = `assign-${request.id}`;
    const choose = h('select', { id },
      this.technicians.map((u) => h('option', { value: u.id, selected: u.id === request.technician_id },
        t(u.online ? 'technician_choice_online' : 'technician_choice_offline',
          { name: u.display_name || u.username, count: u.open_requests }))));
    const label = request.technician_id ? t('reassign') : t('assign');
    const button = h('button', { type: 'button', onclick: async () => {
      button.disabled = true;
      try {
        await api(`/api/requests/${request.id}/assign/`, { method: 'POST', body: { technician_id: Number(choose.value) } });
        await this.refresh();
      } catch (error) {
        this.fail(error);
        button.disabled = false;
      }
    } }, label);
    if (!this.technicians.length) return h('p', { class: 'legend' }, t('no_technicians'));
    return h('div', { class: 'assign' }, h('label', { for: id, class: 'visually-hidden' }, t('technician')), choose, button);
  }

  renderQueue() {
    if (!this.rows) return;
    const pending = this.rows.filter((r) => r.request.status === 'pending');
    this.queue.replaceChildren(...pending.map(({ request }) => h('li', { class: 'request', 'data-request': request.id },
      h('div', { class: 'what' },
        h('a', { href: `/communication/${request.id}`, 'data-link': true }, request.title),
        h('span', { class: 'address' }, request.address || t('no_address')),
        h('span', { class: 'status' }, t('waiting_since', { ago: ago(new Date(request.created_at)) }))),
      this.assignControl(request))));
    if (!pending.length) this.queue.replaceChildren(h('li', {}, t('queue_empty')));
    this.tabs[0].textContent = pending.length ? `${t('console_queue')} (${pending.length})` : t('console_queue');
  }

  renderBoard() {
    if (!this.rows) return;
    const shown = this.rows.filter((r) => r.request.status !== 'pending' || this.status === 'pending')
      .filter((r) => this.status === 'open' || r.request.status === this.status)
      .sort(kSorts[this.sort]);
    this.board.replaceChildren(...shown.map((row) => this.boardRow(row)));
    if (!shown.length) this.board.replaceChildren(h('li', {}, t('board_empty')));
  }

  boardRow({ request, unread, last, stats }) {
    const technician = request.technician_id ? this.names.get(request.technician_id) ?? '—' : t('nobody_yet');
    return h('li', { class: 'request', 'data-request': request.id },
      h('div', { class: 'what' },
        h('a', { href: `/communication/${request.id}`, 'data-link': true }, request.title),
        h('span', { class: `status ${request.status}` }, t(`status_${request.status}`)),
        h('span', {}, t('board_technician', { name: technician })),
        last ? h('span', { class: 'last' }, lastText(last)) : null,
        h('span', { class: 'response' }, t('board_response', {
          average: duration(stats?.average_response_time_seconds), median: duration(stats?.median_response_time_seconds) }))),
      unread ? h('span', { class: 'badge' }, t('unread', { count: unread })) : null,
      request.status === 'pending' ? null : this.assignControl(request));
  }

  // Where each technician on a job is: once when the map is shown, then from tracking frames.
  async loadPositions() {
    const tracked = (this.rows || []).filter((r) => r.request.technician_id && r.request.status !== 'pending');
    const views = await Promise.all(tracked.map((r) => api(`/api/tracking/${r.request.id}/`).catch(() => null)));
    this.positions = new Map();
    tracked.forEach((r, i) => { if (views[i]) this.positions.set(r.request.id, views[i]); });
    this.renderMap();
  }

  onTracking(frame) {
    this.positions.set(frame.request_id, { ...this.positions.get(frame.request_id), ...frame });
    if (this.shown === 'map') this.renderMap();
  }

  renderMap() {
    const staleMs = staleAfterMs(this.settings);
    const jobs = (this.rows || []).filter((r) => r.request.latitude !== null && r.request.latitude !== undefined)
      .map(({ request }) => ({ id: request.id, name: request.title, latitude: request.latitude, longitude: request.longitude }));
    const technicians = new Map();  // one marker each, at their newest position
    const lines = [];
    for (const row of this.rows || []) {
      const view = this.positions.get(row.request.id);
      if (!view?.technician || view.active === false) continue;
      const name = this.names.get(row.request.technician_id) ?? '';
      const { at, stale } = positionAge(view, staleMs);
      const known = technicians.get(row.request.technician_id);
      if (!known || known.at < at) {
        technicians.set(row.request.technician_id, { id: row.request.technician_id, name, stale, at,
                                                      latitude: view.technician.latitude,
                                                      longitude: view.technician.longitude });
      }
      lines.push(h('li', { 'data-technician': row.request.technician_id, class: stale ? 'stale' : '' },
        view.distance_m === null || view.distance_m === undefined
          ? t('map_line', { name, job: row.request.title, ago: ago(at) })
          : t('map_line_eta', { name, job: row.request.title, ago: ago(at),
                                distance: `${decimal(view.distance_m / 1000, 1)} km`,
                                minutes: Math.max(1, Math.round(view.eta_seconds / 60)) })));
    }
    this.map.show(jobs, [...technicians.values()]);
    this.people.replaceChildren(...lines);
    if (!lines.length) this.people.replaceChildren(h('li', {}, t('map_nobody')));
  }
}
