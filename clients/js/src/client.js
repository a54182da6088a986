// ParleyClient: what a Parley client must do to get the protocol's guarantees, done once.
//  - connects with a token provider, reconnects with backoff + full jitter, and resumes every channel from its
//    own cursor (kept in the storage, so a reload resumes too);
//  - an outbox: every send is persisted before it goes out and re-sent with the same clientMsgId until it is
//    acknowledged, across reconnects and reloads (the gateway answers a retry with the original ack);
//  - per channel, an ordered stream: events strictly by seq, no repeat, gaps filled with `events after`;
//  - per channel, a materialized view (edits, deletions, reactions, threads, read cursor, unread counts);
//  - typed errors (ParleyError and its subclasses), honouring retryAfterMs of rate_limited / overloaded.

import { Backoff } from './backoff.js';
import { ChannelStream } from './channel-stream.js';
import { ChannelView } from './channel-view.js';
import { Connection } from './connection.js';
import { Emitter } from './emitter.js';
import { ParleyError } from './errors.js';
import { Outbox } from './outbox.js';
import { PresenceBook, TypingBook, TypingThrottle } from './presence.js';
import { memoryStorage } from './storage.js';

/** @typedef {import('./types.js').Frame} Frame */
/** @typedef {import('./types.js').Welcome} Welcome */
/** @typedef {import('./types.js').ChannelEvent} ChannelEvent */
/** @typedef {import('./types.js').ChannelInfo} ChannelInfo */
/** @typedef {import('./types.js').Ack} Ack */
/** @typedef {import('./types.js').Ok} Ok */
/** @typedef {import('./types.js').EventsPage} EventsPage */
/** @typedef {import('./outbox.js').OutboxEntry} OutboxEntry */
/** @typedef {import('./connection.js').StateChange} StateChange */
/** @typedef {import('./presence.js').PresenceState} PresenceState */

/**
 * @typedef {object} ClientOptions
 * @property {string|(() => string)} url ws:// or wss:// URL of the gateway's /ws
 * @property {import('./connection.js').TokenProvider} token called before every connect; with 'expired' or
 *   'refused' a fresh token is needed (return null to give up: state 'signed_out')
 * @property {string} device this client's device id (each device has its own live stream)
 * @property {import('./storage.js').ClientStorage} [storage] cursors and outbox (default: memory)
 * @property {boolean} [views] keep a materialized view of every channel (default true; bots may not need it)
 * @property {boolean} [batch] take live events in batches (`events` frames, default true): fewer frames on busy
 *   channels; the events reach the streams one by one in the same order either way
 * @property {boolean} [pull] follow every channel in pull mode (default false): the gateway sends `head` frames
 *   instead of events and the client pulls them with `events after`; a background tab or a mobile client. Channels
 *   chosen with `focus` or `setDelivery` are pushed again
 * @property {typeof WebSocket} [WebSocket] default globalThis.WebSocket
 * @property {import('./backoff.js').BackoffOptions} [backoff] reconnects and send retries
 * @property {number} [requestTimeoutMs] default 30,000
 * @property {() => string} [newId] ids for clientMsgId / requestId (default crypto.randomUUID)
 */

/**
 * @typedef {object} ClientEvents
 * @property {StateChange} state connecting, online, offline (with retryAt), signed_out, closed
 * @property {Welcome} welcome after every successful hello
 * @property {ChannelEvent} event every channel's events, per channel strictly by seq, no gap, no repeat
 * @property {{channel: string, seq: number}} caught_up the channel has every event up to seq; live follows
 * @property {{channel: string, upTo: number}} read my read cursor moved (this or another device)
 * @property {{channel: string, after: number, seq: number}} gap seq arrived after `after`: filling
 * @property {{entry: OutboxEntry, change: 'queued'|'acked'|'failed'|'retrying'|'discarded', ack?: Ack}} outbox
 * @property {{channel: string, error: ParleyError}} channel_removed a resume point was refused (not a member)
 * @property {{channels: ChannelInfo[]}} channels channels of mine past the welcome's list (welcome paging), now known
 * @property {{channel: string, head: number}} channel_reset my resume point was beyond the channel's head
 *   (`resume_ahead`): the channel now starts at `head`, its view again from scratch
 * @property {ParleyError} error an error frame that answers no request of this client
 * @property {PresenceState|{user: string, visible: false}} presence a watched user's presence changed (or the user is
 *   no longer visible: no channel shared any more)
 * @property {{channel: string, users: string[]}} typing who is typing in a channel changed (a new or refreshed
 *   indicator, an expiry, the typer's message)
 */

const CURSOR = 'cursor/';

/** @extends {Emitter<ClientEvents>} */
export class ParleyClient extends Emitter {
  /** @param {ClientOptions} options */
  constructor(options) {
    super();
    this.options = options;
    this.storage = options.storage || memoryStorage();
    this.keepViews = options.views !== false;
    this.newId = options.newId || (() => globalThis.crypto.randomUUID());
    this.requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
    this.outbox = new Outbox(this.storage);
    /** @type {string|null} the signed-in user (from the welcome) */
    this.user = null;
    /** @type {Map<string, ChannelInfo>} my channels as the last welcome listed them */
    this.channels = new Map();
    /** @type {Map<string, ChannelStream>} */
    this.streams = new Map();
    /** @type {Map<string, ChannelView>} */
    this.views = new Map();
    /** @type {Map<string, {resolve: (a: Ack) => void, reject: (e: Error) => void}>} sends awaited by this instance */
    this.waiting = new Map();
    /** clientMsgIds on the wire on the current connection */
    this.inflight = new Set();
    this.sendBackoff = new Backoff(options.backoff);
    /** @type {any} */
    this.outboxTimer = null;
    this.pausedUntil = 0;
    /** @type {Set<string>} channels whose cursor changed since the last flush */
    this.dirty = new Set();
    /** @type {any} */
    this.flushTimer = null;
    /** @type {((w: Welcome) => void)|null} */
    this.firstWelcome = null;
    /** @type {string[]} the users whose presence this client watches (again after every welcome) */
    this.watched = [];
    this.presenceBook = new PresenceBook();
    this.typingBook = new TypingBook();
    this.typingThrottle = new TypingThrottle();
    /** @type {any} */
    this.typingTimer = null;
    /** @type {Map<string, 'push'|'pull'>} channels whose delivery this client chose (sent again after every welcome) */
    this.delivery = new Map();
    /** @type {string|null} the channel on screen (pushed; the one before it goes back to pull) */
    this.focused = null;
    /** @type {Map<string, number>} per channel in pull mode, the highest head told */
    this.heads = new Map();
    /** set_status away, sent again after every welcome */
    this.away = false;
    this.conn = new Connection({
      url: options.url,
      token: options.token,
      device: options.device,
      WebSocket: options.WebSocket,
      backoff: options.backoff,
      resume: () => this.resumePoints(),
      batch: options.batch !== false,
      pull: options.pull === true,
      onWelcome: (w) => this.onWelcome(w),
      onFrame: (f) => this.onFrame(f),
      onState: (s) => this.emit('state', s),
    });
  }

  /**
   * Loads the cursors and the outbox a previous client left in the storage, then connects.
   * @returns {Promise<Welcome>} the first welcome
   */
  async start() {
    for (const key of await this.storage.keys(CURSOR)) {
      const seq = await this.storage.get(key);
      if (typeof seq === 'number') {
        this.stream(key.slice(CURSOR.length), seq);
      }
    }
    await this.outbox.load();
    const welcomed = new Promise((resolve) => {
      this.firstWelcome = resolve;
    });
    this.conn.start();
    return /** @type {Promise<Welcome>} */ (welcomed);
  }

  /** Closes the connection and writes the cursors; queued sends stay in the storage for the next client. */
  async close() {
    this.conn.stop();
    clearTimeout(this.typingTimer);
    clearTimeout(this.outboxTimer);
    for (const w of this.waiting.values()) {
      w.reject(new ParleyError('closed', 'the client was closed; the send stays in the outbox'));
    }
    this.waiting.clear();
    await this.flushCursors();
  }

  get state() {
    return this.conn.state;
  }

  /** Reconnect at once (e.g. the browser's `online` event), skipping the backoff wait. */
  reconnectNow() {
    this.conn.reconnectNow();
  }

  // ------------------------------------------------------------------ channels, cursors, views

  /**
   * The last seq of a channel this client has had delivered, in order (its resume point).
   * @param {string} channel
   */
  cursor(channel) {
    return this.streams.get(channel)?.cursor ?? null;
  }

  /** {channel: cursor} for hello. */
  resumePoints() {
    /** @type {Record<string, number>} */
    const r = {};
    for (const s of this.streams.values()) {
      if (s.cursor !== null) {
        r[s.channel] = s.cursor;
      }
    }
    return r;
  }

  /**
   * The materialized view of a channel (created on first use).
   * @param {string} channel
   * @returns {ChannelView}
   */
  view(channel) {
    let v = this.views.get(channel);
    if (!v) {
      v = new ChannelView(channel, this.user || '');
      const info = this.channels.get(channel);
      if (info) {
        v.applyInfo(info);
      }
      this.views.set(channel, v);
    }
    return v;
  }

  /**
   * @param {string} channel
   * @param {number|null} [cursor]
   */
  stream(channel, cursor = null) {
    let s = this.streams.get(channel);
    if (!s) {
      s = new ChannelStream(channel, cursor, {
        deliver: (ev) => this.deliver(ev),
        fetchAfter: (ch, after) => this.events(ch, { after, limit: 1000 }),
        onGap: (gap) => this.emit('gap', gap),
      });
      this.streams.set(channel, s);
    }
    return s;
  }

  /**
   * My cursor was beyond the channel's head (the server's history is shorter than mine, e.g. a new cluster): follow
   * it from its head and drop what I hold beyond (the view starts again; load pages into it as on a first visit).
   * @param {string} channel @param {number} head
   */
  resetChannel(channel, head) {
    const s = this.stream(channel);
    s.reset();
    s.cursor = head;
    this.markDirty(channel);
    if (this.views.delete(channel) && this.keepViews) {
      this.view(channel);
    }
    this.emit('channel_reset', { channel, head });
  }

  /** @param {string} channel */
  async forget(channel) {
    this.delivery.delete(channel);
    this.heads.delete(channel);
    if (this.focused === channel) {
      this.focused = null;
    }
    this.streams.delete(channel);
    this.views.delete(channel);
    this.channels.delete(channel);
    this.dirty.delete(channel);
    await this.storage.delete(CURSOR + channel);
  }

  // ------------------------------------------------------------------ from the gateway

  /** @param {Welcome} w */
  onWelcome(w) {
    this.user = w.user;
    this.inflight.clear();
    this.channels = new Map((w.channels || []).map((c) => [c.channel, c]));
    for (const c of this.channels.values()) {
      this.stream(c.channel).reset(); // resume replays whatever was held past a gap
      this.applyChannelInfo(c);
    }
    for (const v of this.views.values()) {
      v.me = w.user;
      if (!this.channels.has(v.name) && !this.streams.has(v.name)) {
        this.views.delete(v.name);
      }
    }
    this.presenceBook.clear();
    this.typingBook.clear();
    this.emit('welcome', w);
    if (this.away) {
      this.conn.send({ type: 'set_status', status: 'away' });
    }
    for (const [channel, mode] of this.delivery) {
      this.sendDelivery(channel, mode);
    }
    if (this.watched.length > 0) {
      this.requestPresence().catch((err) => this.emit('error', err));
    }
    if (this.firstWelcome) {
      this.firstWelcome(w);
      this.firstWelcome = null;
    }
    this.flushOutbox();
    if (w.more && w.next) {
      this.pageChannels(w.next).catch((err) => this.emit('error', err instanceof ParleyError ? err
        : new ParleyError('unavailable', `could not list my channels past ${w.next}: ${err}`)));
    }
  }

  /**
   * A channel of mine as the welcome or a `channels` page lists it: its stream starts at its head unless I resume
   * it, and its view takes the counts.
   * @param {ChannelInfo} c
   */
  applyChannelInfo(c) {
    this.channels.set(c.channel, c);
    const s = this.stream(c.channel);
    if (s.cursor === null) {
      s.cursor = c.head; // not resumed: the gateway streams from the head on; older events are history
      this.markDirty(c.channel);
    }
    if (this.keepViews) {
      const v = this.view(c.channel);
      v.me = this.user || '';
      v.applyInfo(c);
    }
  }

  /**
   * Welcome paging: the channels the welcome did not list, page by page after `after`.
   * @param {string} after
   */
  async pageChannels(after) {
    const found = [];
    for (let from = after; ;) {
      const page = await this.listChannels({ after: from });
      const list = /** @type {ChannelInfo[]} */ (page.channels || []);
      list.forEach((c) => this.applyChannelInfo(c));
      found.push(...list);
      if (!page.more || list.length === 0) {
        break;
      }
      from = list[list.length - 1].channel;
    }
    this.emit('channels', { channels: found });
  }

  /** @param {Frame} f */
  onFrame(f) {
    switch (f.type) {
      case 'event':
        this.stream(f.channel).offer(/** @type {ChannelEvent} */ (f));
        break;
      case 'events':
        if (f.live) {
          // a live batch (the reply to an events request has a requestId and never gets here): its events in order
          const s = this.stream(f.channel);
          for (const ev of /** @type {ChannelEvent[]} */ (f.events || [])) {
            s.offer(ev);
          }
        }
        break;
      case 'ack':
        this.settleSend(f.clientMsgId, /** @type {Ack} */ (f));
        break;
      case 'caught_up':
        this.emit('caught_up', { channel: f.channel, seq: f.seq });
        break;
      case 'head':
        this.pullTo(f.channel, f.seq);
        break;
      case 'behind':
        this.catchUp(f.channel, f.head);
        break;
      case 'read':
        this.onRead(f.channel, f.upTo);
        break;
      case 'presence': {
        const state = this.presenceBook.apply(/** @type {any} */ (f));
        this.emit('presence', state || { user: f.user, visible: false });
        break;
      }
      case 'presence_watch':
        this.onPresenceWatch(f); // the answer to a hello's presence (this client asks with presence_watch)
        break;
      case 'typing':
        this.typingBook.typed(f.channel, f.user, f.expiresIn, Date.now());
        this.emit('typing', { channel: f.channel, users: this.typers(f.channel) });
        this.scheduleTypingExpiry();
        break;
      case 'error':
        this.onError(f);
        break;
      default:
        break; // resync (a close follows), frames of newer gateways
    }
  }

  /** @param {ChannelEvent} ev delivered in order by the channel's stream */
  deliver(ev) {
    this.markDirty(ev.channel);
    if (this.keepViews) {
      this.view(ev.channel).apply(ev);
    }
    if (ev.kind === 'message' && ev.clientMsgId && ev.user === this.user && this.outbox.get(ev.clientMsgId)) {
      // committed: the event may overtake its ack
      this.settleSend(ev.clientMsgId, { type: 'ack', clientMsgId: ev.clientMsgId, channel: ev.channel, seq: ev.seq,
        messageId: ev.messageId || '' });
    }
    if (ev.kind === 'read' && ev.user === this.user && typeof ev.upTo === 'number') {
      this.emit('read', { channel: ev.channel, upTo: ev.upTo });
    }
    if (ev.kind === 'member_left' && ev.member === this.user) {
      this.channels.delete(ev.channel);
    }
    this.emit('event', ev);
    if (ev.kind === 'message' && this.typingBook.stopped(ev.channel, ev.user)) {
      this.emit('typing', { channel: ev.channel, users: this.typers(ev.channel) });
    }
  }

  /**
   * @param {string} channel
   * @param {number} upTo
   */
  onRead(channel, upTo) {
    if (this.keepViews) {
      this.view(channel).markRead(upTo);
    }
    this.emit('read', { channel, upTo });
  }

  /** @param {Frame} f an error that answers no pending request */
  onError(f) {
    const err = new ParleyError(f.code, f.message, { channel: f.channel, retryAfterMs: f.retryAfterMs, frame: f });
    if (f.clientMsgId) {
      return; // the answer to a send of an earlier connection or client: the outbox re-sends it anyway
    }
    if (f.code === 'not_a_member' && f.channel && !f.requestId) {
      this.forget(f.channel); // a resume point of a channel I left (or was never in)
      this.emit('channel_removed', { channel: f.channel, error: err });
      return;
    }
    if (f.code === 'resume_ahead' && f.channel && typeof f.head === 'number') {
      this.resetChannel(f.channel, f.head);
      return;
    }
    this.emit('error', err);
  }

  /**
   * Pull mode: the channel has events up to `head`; pull them (in order, into the stream) and emit `caught_up` once
   * the cursor reaches the highest head told meanwhile.
   * @param {string} channel
   * @param {number} head
   */
  async pullTo(channel, head) {
    const s = this.stream(channel);
    const known = this.heads.get(channel) ?? 0;
    this.heads.set(channel, Math.max(known, head));
    if (s.filling) {
      // a pull (or a gap fill) is running: go on to the highest head once it is done
      s.filling.then(() => this.pullTo(channel, this.heads.get(channel) ?? head), () => {});
      return;
    }
    const start = s.cursor;
    try {
      for (;;) {
        const target = this.heads.get(channel) ?? head;
        const before = s.cursor;
        if ((s.cursor ?? 0) >= target) {
          break;
        }
        await s.fill(target);
        if (s.cursor === before) {
          return; // no progress (the read side trails): the next head asks again
        }
      }
      if (s.cursor !== start) {
        this.emit('caught_up', { channel, seq: s.cursor ?? head });
      }
    } catch (e) {
      // offline: the next hello resumes from the cursor
    }
  }

  /**
   * How this connection follows a channel: `push` (its events, live) or `pull` (`head` frames, then `events after`).
   * Kept across reconnects. Pushing a channel resumes it from this client's cursor.
   * @param {string} channel
   * @param {'push'|'pull'} mode
   */
  setDelivery(channel, mode) {
    this.delivery.set(channel, mode);
    this.sendDelivery(channel, mode);
  }

  /**
   * The channel on screen: pushed live; the one on screen before goes back to pull (with the `pull` option, the
   * chat page's way: every channel pulled but the open one).
   * @param {string|null} channel
   */
  focus(channel) {
    const before = this.focused;
    this.focused = channel;
    if (before && before !== channel) {
      this.setDelivery(before, 'pull');
    }
    if (channel) {
      this.setDelivery(channel, 'push');
    }
  }

  /** @param {string} channel @param {'push'|'pull'} mode */
  sendDelivery(channel, mode) {
    /** @type {Record<string, any>} */
    const frame = { type: 'set_delivery', channel, mode };
    const cursor = this.cursor(channel);
    if (mode === 'push' && cursor !== null) {
      frame.after = cursor;
    }
    this.conn.send(frame); // offline: sent after the next welcome
  }

  /**
   * After `behind`: page through what was missed, then ask for live delivery again.
   * @param {string} channel
   * @param {number} head
   */
  async catchUp(channel, head) {
    const s = this.stream(channel);
    try {
      await s.fill(head);
      this.conn.send({ type: 'subscribe', channel, after: s.cursor ?? 0 });
    } catch (e) {
      // offline: the next hello resumes from the cursor
    }
  }

  // ------------------------------------------------------------------ cursors in the storage

  /** @param {string} channel */
  markDirty(channel) {
    this.dirty.add(channel);
    if (!this.flushTimer) {
      this.flushTimer = setTimeout(() => this.flushCursors(), 50);
    }
  }

  async flushCursors() {
    clearTimeout(this.flushTimer);
    this.flushTimer = null;
    const channels = [...this.dirty];
    this.dirty.clear();
    for (const ch of channels) {
      const c = this.cursor(ch);
      if (c !== null) {
        await this.storage.set(CURSOR + ch, c);
      }
    }
  }

  // ------------------------------------------------------------------ sending

  /**
   * Sends a message: persisted in the outbox first, then sent, and re-sent with the same clientMsgId until the
   * gateway acknowledges it — across reconnects, and across reloads through the storage.
   * @param {string} channel
   * @param {string} text
   * @param {{threadRoot?: number, clientMsgId?: string}} [options]
   * @returns {Promise<Ack>} resolves with the ack; rejects with a ParleyError when refused for good
   *   (the entry then stays in the outbox as failed: retry() or discard())
   */
  async send(channel, text, options = {}) {
    const clientMsgId = options.clientMsgId || 'm-' + this.newId();
    this.typingThrottle.reset(channel);
    const entry = await this.outbox.add({ clientMsgId, channel, text, threadRoot: options.threadRoot });
    const acked = this.awaitSend(clientMsgId);
    this.emit('outbox', { entry, change: 'queued' });
    this.flushOutbox();
    return acked;
  }

  /**
   * @param {string} clientMsgId
   * @returns {Promise<Ack>}
   */
  awaitSend(clientMsgId) {
    return new Promise((resolve, reject) => {
      this.waiting.set(clientMsgId, { resolve, reject });
    });
  }

  /**
   * Sends again a send that failed for good (e.g. after joining the channel).
   * @param {string} clientMsgId
   * @returns {Promise<Ack>}
   */
  async retry(clientMsgId) {
    const entry = await this.outbox.setState(clientMsgId, 'pending');
    if (!entry) {
      throw new ParleyError('invalid', `no send ${clientMsgId} in the outbox`);
    }
    const acked = this.awaitSend(clientMsgId);
    this.emit('outbox', { entry, change: 'retrying' });
    this.flushOutbox();
    return acked;
  }

  /** @param {string} clientMsgId gives up on a send */
  async discard(clientMsgId) {
    const entry = this.outbox.get(clientMsgId);
    if (entry && await this.outbox.remove(clientMsgId)) {
      this.waiting.get(clientMsgId)?.reject(new ParleyError('closed', 'discarded'));
      this.waiting.delete(clientMsgId);
      this.emit('outbox', { entry, change: 'discarded' });
    }
  }

  /**
   * Sends not acknowledged yet, oldest first.
   * @param {string} [channel]
   * @param {number|null} [threadRoot] with a channel: only replies of that thread (null: top-level ones)
   * @returns {OutboxEntry[]}
   */
  pending(channel, threadRoot) {
    return this.outbox.list((e) => (channel === undefined || e.channel === channel)
      && (threadRoot === undefined || e.threadRoot === threadRoot));
  }

  /** Sends every pending entry that is not on the wire yet (after a welcome, a queueing, a back-off pause). */
  flushOutbox() {
    if (!this.conn.isOnline()) {
      return;
    }
    const wait = this.pausedUntil - Date.now();
    if (wait > 0) {
      clearTimeout(this.outboxTimer);
      this.outboxTimer = setTimeout(() => this.flushOutbox(), wait);
      return;
    }
    for (const e of this.outbox.list((x) => x.state === 'pending' && !this.inflight.has(x.clientMsgId))) {
      this.transmit(e);
    }
  }

  /** @param {OutboxEntry} e */
  async transmit(e) {
    this.inflight.add(e.clientMsgId);
    /** @type {Frame} */
    const frame = { type: 'send', channel: e.channel, clientMsgId: e.clientMsgId, text: e.text };
    if (e.threadRoot) {
      frame.threadRoot = e.threadRoot;
    }
    try {
      const ack = /** @type {Ack} */ (await this.conn.request(frame, 'clientMsgId', this.requestTimeoutMs));
      this.sendBackoff.reset();
      await this.settleSend(e.clientMsgId, ack);
    } catch (err) {
      this.inflight.delete(e.clientMsgId);
      const pe = err instanceof ParleyError ? err : new ParleyError('internal_error', String(err));
      if (pe.code === 'disconnected' || pe.code === 'closed') {
        return; // stays pending: sent again after the next welcome (or by the next client on this storage)
      }
      if (pe.retryable) {
        // timeout, unavailable, rate_limited, overloaded: wait (at least what the server asked), same key again.
        // The gateway refuses the sends queued behind a refused one too (a connection's sends to a channel are
        // taken in order), so one burst of refusals is one back-off step, and the flush re-sends oldest first.
        const now = Date.now();
        const floor = pe.retryAfterMs ?? 0;
        this.pausedUntil = Math.max(this.pausedUntil, now + (this.pausedUntil > now ? floor : this.sendBackoff.next(floor)));
        clearTimeout(this.outboxTimer);
        this.outboxTimer = setTimeout(() => this.flushOutbox(), this.pausedUntil - Date.now());
        return;
      }
      const failed = await this.outbox.setState(e.clientMsgId, 'failed', { code: pe.code, message: pe.message });
      if (failed) {
        this.emit('outbox', { entry: failed, change: 'failed' });
      }
      this.waiting.get(e.clientMsgId)?.reject(pe);
      this.waiting.delete(e.clientMsgId);
    }
  }

  /**
   * The send is committed: forget it, resolve whoever waits.
   * @param {string} clientMsgId
   * @param {Ack} ack
   */
  async settleSend(clientMsgId, ack) {
    this.inflight.delete(clientMsgId);
    const entry = this.outbox.get(clientMsgId);
    const w = this.waiting.get(clientMsgId);
    this.waiting.delete(clientMsgId);
    if (entry && await this.outbox.remove(clientMsgId)) {
      this.emit('outbox', { entry, change: 'acked', ack });
    }
    w?.resolve(ack);
  }

  // ------------------------------------------------------------------ requests

  /**
   * Sends a frame with a requestId (one is added when missing) and resolves with its reply. A request refused with
   * `rate_limited` or `overloaded` was not carried out: it is sent again, with the same requestId, after the
   * server's `retryAfterMs` plus up to as much jitter, at most 5 times.
   * @param {Frame} frame
   * @returns {Promise<Frame>} rejects with a ParleyError (the gateway's error, `disconnected`, `request_timeout`);
   *   a command may be sent again with the same requestId: it never applies twice
   */
  async request(frame) {
    const f = frame.requestId ? frame : { ...frame, requestId: 'r-' + this.newId() };
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.conn.request(f, 'requestId', this.requestTimeoutMs);
      } catch (e) {
        const wait = e instanceof ParleyError && (e.code === 'rate_limited' || e.code === 'overloaded') ? e.retryAfterMs ?? 0 : 0;
        if (wait <= 0 || attempt >= 5) {
          throw e;
        }
        await new Promise((resolve) => setTimeout(resolve, wait + Math.random() * wait));
      }
    }
  }

  /**
   * @param {string} channel
   * @param {{private?: boolean, title?: string, requestId?: string}} [o]
   * @returns {Promise<Ok>}
   */
  createChannel(channel, o = {}) {
    return /** @type {Promise<Ok>} */ (this.request({ type: 'create_channel', channel, private: !!o.private, title: o.title,
      requestId: o.requestId }));
  }

  /** @param {string} channel @returns {Promise<Ok>} */
  join(channel) {
    return /** @type {Promise<Ok>} */ (this.request({ type: 'join', channel }));
  }

  /** @param {string} channel @returns {Promise<Ok>} */
  leave(channel) {
    return /** @type {Promise<Ok>} */ (this.request({ type: 'leave', channel }));
  }

  /** @param {string} channel @param {string} user @returns {Promise<Ok>} */
  addMember(channel, user) {
    return /** @type {Promise<Ok>} */ (this.request({ type: 'add_member', channel, user }));
  }

  /** @param {string} channel @param {number} seq @param {string} text @returns {Promise<Ok>} */
  edit(channel, seq, text) {
    return /** @type {Promise<Ok>} */ (this.request({ type: 'edit', channel, seq, text }));
  }

  /** @param {string} channel @param {number} seq @returns {Promise<Ok>} */
  deleteMessage(channel, seq) {
    return /** @type {Promise<Ok>} */ (this.request({ type: 'delete', channel, seq }));
  }

  /** @param {string} channel @param {number} seq @param {string} emoji @returns {Promise<Ok>} */
  react(channel, seq, emoji) {
    return /** @type {Promise<Ok>} */ (this.request({ type: 'react', channel, seq, emoji }));
  }

  /** @param {string} channel @param {number} seq @param {string} emoji @returns {Promise<Ok>} */
  unreact(channel, seq, emoji) {
    return /** @type {Promise<Ok>} */ (this.request({ type: 'unreact', channel, seq, emoji }));
  }

  /**
   * Moves my read cursor (only forward); my other devices and the unread counts follow.
   * @param {string} channel @param {number} seq @returns {Promise<Ok>}
   */
  markRead(channel, seq) {
    if (this.keepViews) {
      this.view(channel).markRead(seq);
    }
    return /** @type {Promise<Ok>} */ (this.request({ type: 'mark_read', channel, seq }));
  }

  /** @param {string[]} users the others @returns {Promise<Ok>} ok.channel is the direct channel's id */
  openDm(users) {
    return /** @type {Promise<Ok>} */ (this.request({ type: 'open_dm', users }));
  }

  /**
   * A page of raw events after (or before) a seq.
   * @param {string} channel
   * @param {{after?: number, before?: number, limit?: number}} [o]
   * @returns {Promise<EventsPage>}
   */
  events(channel, o = {}) {
    /** @type {Frame} */
    const f = { type: 'events', channel, limit: o.limit ?? 500 };
    if (o.before !== undefined) {
      f.before = o.before;
    } else {
      f.after = o.after ?? 0;
    }
    return /** @type {Promise<EventsPage>} */ (this.request(f));
  }

  /**
   * Messages in their current state before a seq.
   * @param {string} channel @param {{before?: number, limit?: number}} [o] @returns {Promise<Frame>}
   */
  history(channel, o = {}) {
    return this.request({ type: 'history', channel, before: o.before, limit: o.limit });
  }

  /**
   * A thread: its root and a page of replies, in their current state.
   * @param {string} channel @param {number} root @param {{after?: number, limit?: number}} [o] @returns {Promise<Frame>}
   */
  thread(channel, root, o = {}) {
    return this.request({ type: 'thread', channel, root, after: o.after ?? 0, limit: o.limit ?? 100 });
  }

  /**
   * A page of my channels in channel-id order, with heads and unread counts, fresh: `more` when others follow
   * (ask again with `after` set to the page's last channel).
   * @param {{after?: string, limit?: number}} [o] @returns {Promise<Frame>}
   */
  listChannels(o = {}) {
    return this.request({ type: 'channels', after: o.after, limit: o.limit });
  }

  // ------------------------------------------------------------------ presence and typing

  /**
   * Watches the presence of these users (at most the gateway's limit, 500 by default), replacing the last list;
   * watched again after every reconnect. Users this user shares no channel with are listed in the answer's
   * `notVisible` and never reported.
   * @param {string[]} users
   * @returns {Promise<Frame|null>} the gateway's answer, or null while offline (it is asked after the next welcome)
   */
  async watchPresence(users) {
    this.watched = [...new Set(users)];
    if (!this.conn.isOnline()) {
      return null;
    }
    return this.requestPresence();
  }

  /** @returns {Promise<Frame>} */
  async requestPresence() {
    const reply = await this.request({ type: 'presence_watch', users: this.watched });
    this.onPresenceWatch(reply);
    return reply;
  }

  /** @param {Frame} f a presence_watch answer */
  onPresenceWatch(f) {
    for (const state of this.presenceBook.applyWatch(/** @type {any} */ (f))) {
      this.emit('presence', state);
    }
  }

  /**
   * A watched user's presence as last told (undefined: unknown, not watched or not visible).
   * @param {string} user @returns {PresenceState|undefined}
   */
  presence(user) {
    return this.presenceBook.get(user);
  }

  /**
   * This device is away (until set online again) or online; kept across reconnects.
   * @param {'online'|'away'} status
   */
  setStatus(status) {
    this.away = status === 'away';
    this.conn.send({ type: 'set_status', status });
  }

  /**
   * The user is typing in a channel: call it on keystrokes; at most one `typing` frame per channel per 3 s goes out.
   * @param {string} channel @returns {boolean} whether a frame went out
   */
  typing(channel) {
    if (!this.conn.isOnline() || !this.typingThrottle.allow(channel, Date.now())) {
      return false;
    }
    return this.conn.send({ type: 'typing', channel });
  }

  /**
   * Who else is typing in a channel now.
   * @param {string} channel @returns {string[]}
   */
  typers(channel) {
    return this.typingBook.typers(channel, Date.now());
  }

  scheduleTypingExpiry() {
    clearTimeout(this.typingTimer);
    const next = this.typingBook.nextExpiry();
    if (next === null) {
      return;
    }
    this.typingTimer = setTimeout(() => {
      for (const channel of this.typingBook.expire(Date.now())) {
        this.emit('typing', { channel, users: this.typers(channel) });
      }
      this.scheduleTypingExpiry();
    }, Math.max(0, next - Date.now()) + 5);
  }

  /**
   * Loads the latest page of a channel's events into its view (what a chat screen shows first).
   * @param {string} channel @param {number} [limit] @returns {Promise<ChannelView>}
   */
  async loadLatest(channel, limit = 50) {
    const v = this.view(channel);
    const page = await this.events(channel, { before: Math.max(v.head, this.cursor(channel) ?? 0) + 1, limit });
    v.applyPage(page.events, page.head, !page.more);
    return v;
  }

  /**
   * Loads the page before the oldest loaded event into the view.
   * @param {string} channel @param {number} [limit] @returns {Promise<ChannelView>}
   */
  async loadOlder(channel, limit = 50) {
    const v = this.view(channel);
    if (!v.hasOlder()) {
      return v;
    }
    const page = await this.events(channel, { before: v.from ?? v.head + 1, limit });
    v.applyPage(page.events, page.head, !page.more);
    return v;
  }
}
