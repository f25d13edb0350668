// A photo from the chat, full size, over the page: a modal <dialog>, so Escape, the close
// button and a click beside the photo all close it, and focus comes back where it was.
import { h } from './dom.js';
import { t } from './i18n.js';

export function openPhoto(src, name) {
  const close = h('button', { type: 'button', class: 'close' }, t('close'));
  const dialog = h('dialog', { class: 'viewer', 'aria-label': name },
                   h('img', { src, alt: name }), close);
  close.addEventListener('click', () => dialog.close());
  // The dialog's own box is the backdrop around the photo.
  dialog.addEventListener('click', (e) => { if (e.target === dialog) dialog.close(); });
  dialog.addEventListener('close', () => dialog.remove());
  document.body.append(dialog);
  dialog.showModal();
  close.focus();
}
