// How old the technician's last position is, and whether it counts as stale (older than
// the operator's web.position_stale_seconds): said the same way on the tracking tab, the
// tracking link's page and the dispatcher's map.
import { t } from './i18n.js';
import { ago } from './when.js';

const kDefaultStaleSeconds = 120;

// settings: GET /api/web/settings/ (or null: the default).
export function staleAfterMs(settings) {
  return (settings?.position_stale_seconds ?? kDefaultStaleSeconds) * 1000;
}

// A tracking view's position time and whether it is stale: {at: Date | null, stale}.
export function positionAge(view, staleMs) {
  const at = view?.technician?.recorded_at ? new Date(view.technician.recorded_at) : null;
  return { at, stale: Boolean(at) && Date.now() - at.getTime() > staleMs };
}

// "Dernière position : il y a 2 minutes", or the stale warning, in `element` (hidden
// without a position).
export function showAge(element, { at, stale }) {
  element.textContent = at ? t(stale ? 'position_stale' : 'position_age', { ago: ago(at) }) : '';
  element.classList.toggle('stale', stale);
  element.hidden = !at;
}
