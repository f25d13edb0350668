// What a message shows in the chat: its text, or its photo, voice note, clip, file or
// location. Attachments need the token, so their bytes are fetched here and shown from
// blob: URLs, each fetched once per page and let go when the page closes.
import { apiBlob } from './api.js';
import { h, withLinks } from './dom.js';
import { icon } from './icons.js';
import { currentLanguage, t, tOr } from './i18n.js';
import { openPhoto } from './viewer.js';

// Photos every browser shows; others (HEIC) are offered as downloads.
const kShownInline = ['image/jpeg', 'image/png', 'image/webp', 'image/gif'];

export function fileSize(bytes) {
  const [byte, ...units] = currentLanguage() === 'fr' ? ['o', 'Ko', 'Mo', 'Go'] : ['B', 'KB', 'MB', 'GB'];
  if (bytes < 1024) return `${bytes} ${byte}`;
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) { value /= 1024; unit += 1; }
  return `${new Intl.NumberFormat(currentLanguage(), { maximumFractionDigits: 1 }).format(value)} ${units[unit]}`;
}

function duration(ms) {
  const seconds = Math.round((ms || 0) / 1000);
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

export class AttachmentCache {
  constructor() { this.urls = new Map(); }  // attachment id -> Promise of a blob: URL

  url(id) {
    if (!this.urls.has(id)) {
      const made = apiBlob(`/api/chat/attachments/${id}/`).then((blob) => URL.createObjectURL(blob));
      made.catch(() => this.urls.delete(id));  // a later look may try again
      this.urls.set(id, made);
    }
    return this.urls.get(id);
  }

  // Seeds the cache with bytes this page just uploaded: no need to download them again.
  remember(id, blob) {
    if (!this.urls.has(id)) this.urls.set(id, Promise.resolve(URL.createObjectURL(blob)));
  }

  release() {
    for (const made of this.urls.values()) made.then((url) => URL.revokeObjectURL(url), () => {});
    this.urls.clear();
  }
}

// Sets `attribute` of `element` to the attachment's blob: URL once it is there; a failure
// shows in place of the media.
function load(cache, id, element, attribute, holder) {
  cache.url(id).then((url) => { element[attribute] = url; },
    (error) => holder.replaceChildren(h('span', { class: 'error' }, t('media_unavailable', { detail: error.message }))));
}

// A photo in the chat, a button that opens it full size.
function photo(c, cache) {
  const name = c.name || t('photo');
  const img = h('img', { alt: name, class: 'photo' });
  if (c.width && c.height) { img.width = c.width; img.height = c.height; }  // no jump when it loads
  const open = h('button', { type: 'button', class: 'photo-open', 'aria-label': t('photo_open', { name }),
                             onclick: () => { if (img.src) openPhoto(img.src, name); } }, img);
  const holder = h('span', { class: 'media' }, open);
  load(cache, c.attachment_id, img, 'src', holder);
  return holder;
}

function download(c, cache) {
  const link = h('a', { class: 'download', href: '#', download: c.name || 'fichier' },
                 `${c.name || t('file_unnamed')} (${fileSize(c.size || 0)})`);
  const holder = h('span', { class: 'media' }, link);
  // Fetched on demand: a document nobody opens costs nothing.
  link.addEventListener('click', async (e) => {
    if (link.getAttribute('href') !== '#') return;
    e.preventDefault();
    try {
      link.href = await cache.url(c.attachment_id);
      link.click();
    } catch (error) {
      holder.append(h('span', { class: 'error' }, ` ${t('media_unavailable', { detail: error.message })}`));
    }
  });
  return holder;
}

function voice(c, cache) {
  const audio = h('audio', { controls: true, preload: 'metadata',
                             'aria-label': t('voice', { duration: duration(c.duration_ms) }) });
  const holder = h('span', { class: 'media voice' }, audio, h('span', { class: 'duration' }, duration(c.duration_ms)));
  load(cache, c.attachment_id, audio, 'src', holder);
  return holder;
}

function video(c, cache) {
  const clip = h('video', { controls: true, playsinline: true, preload: 'metadata',
                            'aria-label': t('video', { duration: duration(c.duration_ms) }) });
  if (c.width && c.height) { clip.width = Math.min(c.width, 320); clip.height = clip.width * c.height / c.width; }
  const holder = h('span', { class: 'media' }, clip);
  load(cache, c.attachment_id, clip, 'src', holder);
  return holder;
}

function location(c) {
  const where = `${Number(c.latitude).toFixed(5)}, ${Number(c.longitude).toFixed(5)}`;
  return h('span', { class: 'media location' },
    h('span', { class: 'place' }, icon('location'), c.label ? `${c.label} (${where})` : t('location', { where })),
    c.map_url ? h('a', { href: c.map_url, target: '_blank', rel: 'noopener noreferrer' }, t('open_map')) : null);
}

// A call's entry in the log: started, ended with its length, missed or declined.
function callRecord(call) {
  const length = call.duration_ms !== undefined ? duration(call.duration_ms) : '';
  const key = call.event === 'ended' && call.reason ? `call_log_ended_${call.reason}` : `call_log_${call.event}`;
  return h('span', { class: 'text call-record' }, icon('video'), t(key, { duration: length }));
}

// A system message in the page's language, from what it records (`event`, `status`,
// `technician_id`); the server's English `text` only for an event the page does not know.
export function systemText(c, participants = []) {
  switch (c.event) {
    case 'assigned': {
      const technician = participants.find((p) => p.user_id === c.technician_id);
      return technician?.display_name ? t('system_assigned', { name: technician.display_name })
                                      : t('system_assigned_someone');
    }
    case 'status_changed':
      return tOr(`system_status_${c.status}`, c.text ?? '');
    default:
      return c.text ?? '';
  }
}

// `participants`: the conversation's, to name people in system messages.
export function messageBody(message, cache, participants = []) {
  const c = message.content || {};
  switch (message.message_type) {
    case 'text':
      return h('span', { class: 'text' }, withLinks(c.text ?? ''));
    case 'system':
      return h('span', { class: 'text' }, systemText(c, participants));
    case 'location':
      return location(c);
    case 'voice':
      return voice(c, cache);
    case 'video':
      return c.call ? callRecord(c.call) : video(c, cache);
    case 'file':
      return kShownInline.includes(c.content_type) ? photo(c, cache) : download(c, cache);
    default:
      return h('span', { class: 'text' }, message.message_type);
  }
}
