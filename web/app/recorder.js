// Records a voice note with MediaRecorder: the microphone is asked for when recording starts
// and let go when it stops, so the browser's recording indicator means what it says.
const kTypes = ['audio/webm;codecs=opus', 'audio/ogg;codecs=opus', 'audio/mp4'];
export const kMaxRecordingMs = 5 * 60 * 1000;

export class VoiceRecorder {
  static supported() {
    return Boolean(navigator.mediaDevices?.getUserMedia && window.MediaRecorder);
  }

  // Resolves once recording runs; rejects if the microphone is refused or missing.
  async start() {
    this.stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    const mimeType = kTypes.find((type) => MediaRecorder.isTypeSupported(type));
    this.recorder = new MediaRecorder(this.stream, mimeType ? { mimeType } : undefined);
    this.chunks = [];
    this.recorder.ondataavailable = (e) => { if (e.data.size) this.chunks.push(e.data); };
    this.startedAt = Date.now();
    this.recorder.start(1000);
  }

  elapsedMs() { return this.startedAt ? Date.now() - this.startedAt : 0; }

  // The recording as a File (null if cancelled or empty).
  stop({ keep = true } = {}) {
    return new Promise((resolve) => {
      if (!this.recorder || this.recorder.state === 'inactive') { this.release(); resolve(null); return; }
      this.recorder.onstop = () => {
        const type = this.recorder.mimeType.split(';')[0] || 'audio/webm';
        const blob = new Blob(this.chunks, { type });
        this.release();
        if (!keep || !blob.size) { resolve(null); return; }
        const extension = type.includes('ogg') ? 'ogg' : type.includes('mp4') ? 'm4a' : 'webm';
        resolve(new File([blob], `message-vocal.${extension}`, { type }));
      };
      this.recorder.stop();
    });
  }

  release() {
    for (const track of this.stream?.getTracks() || []) track.stop();
    this.stream = null;
    this.startedAt = 0;
  }
}
