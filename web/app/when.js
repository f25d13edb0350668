// Dates and times as the page shows them, in the language chosen on the page (not the
// browser's).
import { currentLanguage, t } from './i18n.js';

const kDayMs = 24 * 60 * 60 * 1000;

function startOfDay(date) {
  return new Date(date.getFullYear(), date.getMonth(), date.getDate());
}

// Whether two times fall on the same local day.
export function sameDay(a, b) {
  return startOfDay(a).getTime() === startOfDay(b).getTime();
}

// "Aujourd'hui", "Hier", or the date ("mardi 1 décembre", with the year if it is not this one).
export function dayLabel(date, now = new Date()) {
  // Rounded: a day with a clock change lasts 23 or 25 hours.
  const days = Math.round((startOfDay(now) - startOfDay(date)) / kDayMs);
  if (days === 0) return t('today');
  if (days === 1) return t('yesterday');
  const options = { weekday: 'long', day: 'numeric', month: 'long' };
  if (date.getFullYear() !== now.getFullYear()) options.year = 'numeric';
  return new Intl.DateTimeFormat(currentLanguage(), options).format(date);
}

// "14:05" in French, "2:05 PM" in English.
export function clockTime(date) {
  return new Intl.DateTimeFormat(currentLanguage(), { hour: 'numeric', minute: '2-digit' }).format(date);
}

// "2 déc. 2026, 14:05": a day and a time together (the request's timeline).
export function dayAndTime(date) {
  return new Intl.DateTimeFormat(currentLanguage(), { dateStyle: 'medium', timeStyle: 'short' }).format(date);
}

// "2,51" in French, "2.51" in English.
export function decimal(value, digits) {
  return new Intl.NumberFormat(currentLanguage(), { minimumFractionDigits: digits, maximumFractionDigits: digits })
    .format(value);
}

// "il y a 2 minutes", "2 minutes ago", "maintenant": how long ago, in the largest whole unit.
export function ago(date, now = new Date()) {
  const seconds = Math.max(0, Math.round((now - date) / 1000));
  const format = new Intl.RelativeTimeFormat(currentLanguage(), { numeric: 'auto' });
  if (seconds < 60) return format.format(seconds <= 10 ? 0 : -seconds, 'second');  // 'now'
  if (seconds < 3600) return format.format(-Math.floor(seconds / 60), 'minute');
  if (seconds < 86400) return format.format(-Math.floor(seconds / 3600), 'hour');
  return format.format(-Math.floor(seconds / 86400), 'day');
}
