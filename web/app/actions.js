// The quick actions under the message box: call, photo (the camera on phones, the file
// picker elsewhere), voice note, file, location and video clip. They gather what to send;
// the chat sends it.
import { h } from './dom.js';
import { icon } from './icons.js';
import { t } from './i18n.js';
import { kMaxRecordingMs, VoiceRecorder } from './recorder.js';

// Which message type a picked file goes out as; the server checks the bytes either way.
export function messageTypeOf(file) {
  if (file.type.startsWith('video/')) return 'video';
  if (file.type.startsWith('audio/')) return 'voice';
  return 'file';
}

function clock(ms) {
  const seconds = Math.floor(ms / 1000);
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

export class QuickActions {
  // handlers: onFile(file, messageType), onLocation(coords), onProblem(text). A video call
  // starts from the chat's header, not from here.
  constructor(phoneOfTheOther, handlers) {
    this.handlers = handlers;
    const picker = (accept, capture, type) => {
      const input = h('input', { type: 'file', accept, capture, hidden: true, tabindex: -1 });
      input.addEventListener('change', () => {
        const [file] = input.files;
        input.value = '';  // the same file may be picked again
        if (file) handlers.onFile(file, type ?? messageTypeOf(file));
      });
      return input;
    };
    const photo = picker('image/*', 'environment', 'file');
    const file = picker('', null, null);
    const clip = picker('video/*', 'environment', 'video');
    const button = (name, label, onclick) =>
      h('button', { type: 'button', class: 'action', 'aria-label': label, title: label, onclick },
        icon(name), h('span', { class: 'label' }, label));

    this.recordButton = button('voice', t('action_voice'), () => this.toggleRecording());
    this.cancelButton = h('button', { type: 'button', class: 'action quiet', hidden: true,
                                      onclick: () => this.cancelRecording() }, t('action_cancel'));
    this.recording = h('span', { class: 'recording', role: 'status', hidden: true });
    this.element = h('div', { class: 'quick-actions', role: 'toolbar', 'aria-label': t('actions') },
      phoneOfTheOther
        ? h('a', { class: 'action', href: `tel:${phoneOfTheOther}`, 'aria-label': t('action_call'), title: t('action_call') },
            icon('call'), h('span', { class: 'label' }, t('action_call')))
        : null,
      button('photo', t('action_photo'), () => photo.click()),
      VoiceRecorder.supported() ? this.recordButton : null,
      this.cancelButton, this.recording,
      button('file', t('action_file'), () => file.click()),
      'geolocation' in navigator ? button('location', t('action_location'), () => this.shareLocation()) : null,
      button('film', t('action_video'), () => clip.click()),
      photo, file, clip);
  }

  stop() { this.cancelRecording(); }

  shareLocation() {
    navigator.geolocation.getCurrentPosition(
      (position) => this.handlers.onLocation(position.coords),
      (error) => this.handlers.onProblem(error.code === error.PERMISSION_DENIED
        ? t('location_denied') : t('location_unavailable')),
      { enableHighAccuracy: true, timeout: 15000, maximumAge: 30000 });
  }

  async toggleRecording() {
    if (this.recorder) {
      await this.finishRecording();
      return;
    }
    this.recorder = new VoiceRecorder();
    try {
      await this.recorder.start();
    } catch (error) {
      this.recorder = null;
      this.handlers.onProblem(t('microphone_denied', { detail: error.message }));
      return;
    }
    this.showRecording(true);
    const tick = () => {
      const elapsed = this.recorder?.elapsedMs() ?? 0;
      this.recording.textContent = t('recording', { time: clock(elapsed) });
      if (elapsed >= kMaxRecordingMs) this.finishRecording();
    };
    tick();
    this.ticker = setInterval(tick, 500);
  }

  async finishRecording() {
    const file = await this.endRecording(true);
    if (file) this.handlers.onFile(file, 'voice');
  }

  cancelRecording() { this.endRecording(false); }

  async endRecording(keep) {
    const recorder = this.recorder;
    if (!recorder) return null;
    this.recorder = null;
    clearInterval(this.ticker);
    this.showRecording(false);
    return recorder.stop({ keep });
  }

  // While recording, the voice button stops and sends, beside a clock and a cancel button.
  showRecording(on) {
    const label = t(on ? 'action_voice_send' : 'action_voice');
    this.recordButton.classList.toggle('active', on);
    this.recordButton.querySelector('svg').replaceWith(icon(on ? 'stop' : 'voice'));
    this.recordButton.setAttribute('aria-label', label);
    this.recordButton.setAttribute('title', label);
    this.recordButton.querySelector('.label').textContent = label;
    this.cancelButton.hidden = !on;
    this.recording.hidden = !on;
  }
}
