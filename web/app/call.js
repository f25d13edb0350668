// Video calls on a communication page: WebRTC between the two browsers, with fieldlink's
// WebSocket carrying the signalling (call.* frames, docs/api.md "Video calls"). One call at
// a time: placing one, or a ring with accept and decline; then both videos, mute, camera
// off and hang up.
import { api } from './api.js';
import { h } from './dom.js';
import { t } from './i18n.js';
import { notifyIfHidden } from './alerts.js';

function newCallId() {
  return `call-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}

function clock(ms) {
  const seconds = Math.floor(ms / 1000);
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

export class CallView {
  // send(frame) puts a frame on the conversation's WebSocket (false when it is down).
  constructor(conversation, me, send) {
    this.conversation = conversation;
    this.me = me;
    this.send = send;
    this.call = null;  // {id, role: 'caller'|'callee', pc, stream, queued: [], state}
    this.status = h('p', { class: 'call-status', role: 'status' });
    this.local = h('video', { class: 'local', autoplay: true, playsinline: true, muted: true,
                              'aria-label': t('call_local_video') });
    this.remote = h('video', { class: 'remote', autoplay: true, playsinline: true,
                               'aria-label': t('call_remote_video') });
    this.acceptButton = h('button', { type: 'button', class: 'accept', onclick: () => this.accept() }, t('call_accept'));
    this.declineButton = h('button', { type: 'button', class: 'decline', onclick: () => this.decline() }, t('call_decline'));
    this.muteButton = h('button', { type: 'button', class: 'quiet', 'aria-pressed': 'false',
                                    onclick: () => this.toggle('audio', this.muteButton) }, t('call_mute'));
    this.cameraButton = h('button', { type: 'button', class: 'quiet', 'aria-pressed': 'false',
                                      onclick: () => this.toggle('video', this.cameraButton) }, t('call_camera_off'));
    this.hangupButton = h('button', { type: 'button', class: 'hangup', onclick: () => this.hangup() }, t('call_hangup'));
    this.element = h('section', { class: 'video-call', hidden: true, 'aria-label': t('call_panel') },
      this.status, h('div', { class: 'videos' }, this.remote, this.local),
      h('div', { class: 'call-actions' }, this.acceptButton, this.declineButton, this.muteButton,
        this.cameraButton, this.hangupButton));
  }

  // The call button's action: rings the other party.
  async start() {
    if (this.call) return;
    const call = { id: newCallId(), role: 'caller', queued: [] };
    this.call = call;
    this.show('calling');
    try {
      await this.prepare(call);
      const offer = await call.pc.createOffer();
      await call.pc.setLocalDescription(offer);
      if (this.call !== call) return;  // hung up meanwhile
      if (!this.send({ type: 'call.invite', conversation_id: this.conversation.id, call_id: call.id,
                       sdp: { type: offer.type, sdp: offer.sdp } }))
        throw new Error(t('offline'));
    } catch (error) {
      this.finish(t('call_failed', { detail: error.message }));
    }
  }

  onFrame(frame) {
    const call = this.call;
    if (frame.type === 'call.invite') {
      // Busy on this page already: the server tells the caller if they are in a call of ours.
      if (call) return;
      this.call = { id: frame.call_id, role: 'callee', offer: frame.sdp, queued: [] };
      this.show('ringing');
      notifyIfHidden(t('notify_call_title'), t('call_ringing'), `call-${frame.call_id}`, location.pathname);
      return;
    }
    if (!call || frame.call_id !== call.id) return;
    switch (frame.type) {
      case 'call.ringing':
        this.show('calling');
        break;
      case 'call.accepted':
        this.answered(frame.sdp);
        break;
      case 'call.ice':
        this.addCandidate(frame.candidate);
        break;
      case 'call.taken':
        this.finish(t('call_taken'));
        break;
      case 'call.ended':
        this.finish(t(`call_ended_${frame.reason}`, { duration: clock(frame.duration_ms || 0) }));
        break;
      default:
        break;
    }
  }

  // A refused frame (error with a code) about our call ends it with the reason.
  onError(frame) {
    if (this.call && ['not_found', 'invalid_call_state', 'invalid', 'conflict'].includes(frame.code))
      this.finish(t('call_failed', { detail: frame.detail }));
  }

  async accept() {
    const call = this.call;
    if (!call || call.role !== 'callee' || call.pc) return;
    this.show('connecting');
    try {
      await this.prepare(call);
      await call.pc.setRemoteDescription(call.offer);
      await this.flushCandidates(call);
      const answer = await call.pc.createAnswer();
      await call.pc.setLocalDescription(answer);
      if (this.call !== call) return;
      this.send({ type: 'call.accept', conversation_id: this.conversation.id, call_id: call.id,
                  sdp: { type: answer.type, sdp: answer.sdp } });
    } catch (error) {
      this.send({ type: 'call.hangup', conversation_id: this.conversation.id, call_id: call.id, reason: 'failed' });
      this.finish(t('call_failed', { detail: error.message }));
    }
  }

  decline() {
    if (!this.call) return;
    this.send({ type: 'call.decline', conversation_id: this.conversation.id, call_id: this.call.id });
    this.finish('');
  }

  hangup() {
    if (!this.call) return;
    this.send({ type: 'call.hangup', conversation_id: this.conversation.id, call_id: this.call.id });
    this.finish('');
  }

  stop() { this.hangup(); }

  // The camera, the microphone and a peer connection with the server's ICE servers.
  async prepare(call) {
    const [stream, ice] = await Promise.all([
      navigator.mediaDevices.getUserMedia({ audio: true, video: { width: 640, height: 480 } }),
      api('/api/chat/calls/ice_servers/'),
    ]);
    if (this.call !== call) {  // hung up while the browser asked
      for (const track of stream.getTracks()) track.stop();
      throw new Error(t('call_cancelled'));
    }
    call.stream = stream;
    this.local.srcObject = stream;
    const pc = new RTCPeerConnection({ iceServers: ice.ice_servers });
    call.pc = pc;
    for (const track of stream.getTracks()) pc.addTrack(track, stream);
    pc.onicecandidate = (e) => {
      this.send({ type: 'call.ice', conversation_id: this.conversation.id, call_id: call.id,
                  candidate: e.candidate ? e.candidate.toJSON() : null });
    };
    pc.ontrack = (e) => { this.remote.srcObject = e.streams[0]; };
    pc.onconnectionstatechange = () => {
      this.element.dataset.connection = pc.connectionState;
      if (pc.connectionState === 'connected' && this.call === call) {
        call.connectedAt = Date.now();
        this.show('connected');
      }
      if (pc.connectionState === 'failed' && this.call === call) {
        this.send({ type: 'call.hangup', conversation_id: this.conversation.id, call_id: call.id, reason: 'failed' });
        this.finish(t('call_failed', { detail: t('call_no_route') }));
      }
    };
  }

  async answered(sdp) {
    const call = this.call;
    // Before the awaits: the connection may well be up by the time they return, and its
    // "connected" must not be overwritten.
    this.show('connecting');
    try {
      await call.pc.setRemoteDescription(sdp);
      await this.flushCandidates(call);
    } catch (error) {
      this.send({ type: 'call.hangup', conversation_id: this.conversation.id, call_id: call.id, reason: 'failed' });
      this.finish(t('call_failed', { detail: error.message }));
    }
  }

  // Candidates may arrive before the other side's description: they wait for it.
  async addCandidate(candidate) {
    const call = this.call;
    if (!call.pc || !call.pc.remoteDescription) {
      call.queued.push(candidate);
      return;
    }
    await call.pc.addIceCandidate(candidate ?? null).catch(() => {});
  }

  async flushCandidates(call) {
    const queued = call.queued.splice(0);
    for (const candidate of queued) await call.pc.addIceCandidate(candidate ?? null).catch(() => {});
  }

  toggle(kind, button) {
    const tracks = kind === 'audio' ? this.call?.stream?.getAudioTracks() : this.call?.stream?.getVideoTracks();
    if (!tracks?.length) return;
    const off = tracks[0].enabled;
    for (const track of tracks) track.enabled = !off;
    button.setAttribute('aria-pressed', String(off));
    button.textContent = t(kind === 'audio' ? (off ? 'call_unmute' : 'call_mute') : (off ? 'call_camera_on' : 'call_camera_off'));
  }

  // state: calling, ringing, connecting, connected
  show(state) {
    this.element.hidden = false;
    this.element.dataset.state = state;
    const ringing = state === 'ringing';
    this.acceptButton.hidden = !ringing;
    this.declineButton.hidden = !ringing;
    this.muteButton.hidden = ringing;
    this.cameraButton.hidden = ringing;
    this.hangupButton.hidden = ringing;
    this.status.textContent = t(`call_${state}`);
  }

  // Ends our side: tracks stopped, connection closed; `note` stays shown a moment.
  finish(note) {
    const call = this.call;
    this.call = null;
    if (call) {
      call.pc?.close();
      for (const track of call.stream?.getTracks() || []) track.stop();
    }
    this.local.srcObject = null;
    this.remote.srcObject = null;
    delete this.element.dataset.connection;
    this.element.dataset.state = 'ended';
    this.status.textContent = note;
    for (const button of [this.acceptButton, this.declineButton, this.muteButton, this.cameraButton, this.hangupButton])
      button.hidden = true;
    clearTimeout(this.hideTimer);
    this.hideTimer = setTimeout(() => { if (!this.call) this.element.hidden = true; }, note ? 4000 : 0);
  }
}
