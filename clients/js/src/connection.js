// One WebSocket to a gateway that survives drops: hello (with the resume points) on every (re)connect, a token
// from the provider each time, reconnects with exponential backoff and full jitter, keep-alive pings, and
// replies matched to their request by requestId / clientMsgId.

import { Backoff } from './backoff.js';
import { AuthError, ParleyError, errorFromFrame } from './errors.js';

/** @typedef {import('./types.js').Frame} Frame */
/** @typedef {import('./types.js').Welcome} Welcome */

/** Close codes of the gateway (docs/protocol.md "Close codes"). */
export const CloseCodes = Object.freeze({
  GOING_AWAY: 1001,
  TOO_BIG: 1009,
  TRY_AGAIN_LATER: 1013,
  NOT_AUTHENTICATED: 4001,
  TOKEN_EXPIRED: 4002,
  UNAUTHORIZED: 4003,
  SLOW_CONSUMER: 4008,
});

/**
 * Why the token provider is called: a first or ordinary reconnect, an expired token (close 4002), or a refused
 * one (close 4003): return a fresh token then, or null to stop (signed out).
 * @typedef {'connect'|'expired'|'refused'} TokenReason
 * @typedef {(reason: TokenReason) => Promise<string|null|undefined>|string|null|undefined} TokenProvider
 */

/**
 * @typedef {'idle'|'connecting'|'online'|'offline'|'signed_out'|'closed'} ConnectionState
 * @typedef {{state: ConnectionState, reason?: string, retryAt?: number, gateway?: string}} StateChange
 */

/**
 * @typedef {object} ConnectionOptions
 * @property {string|(() => string)} url ws:// or wss:// URL of /ws (a function may pick another gateway each time)
 * @property {TokenProvider} token
 * @property {string} device
 * @property {() => Record<string, number>} resume the resume points for the next hello
 * @property {boolean} [batch] ask for live events in batches (`events` frames; default false)
 * @property {boolean} [pull] follow every channel in pull mode (`head` frames; default false)
 * @property {(welcome: Welcome) => void} onWelcome
 * @property {(frame: Frame) => void} onFrame every frame that is not the reply to a request
 * @property {(change: StateChange) => void} onState
 * @property {typeof WebSocket} [WebSocket] default globalThis.WebSocket
 * @property {import('./backoff.js').BackoffOptions} [backoff]
 * @property {number} [pingEveryMs] default 15,000
 * @property {number} [pongWithinMs] default 10,000
 * @property {number} [welcomeWithinMs] default 20,000
 */

export class Connection {
  /** @param {ConnectionOptions} o */
  constructor(o) {
    this.o = o;
    this.WS = o.WebSocket || globalThis.WebSocket;
    if (!this.WS) {
      throw new Error('no WebSocket here: pass options.WebSocket (Node 20 needs --experimental-websocket; 22+ has it)');
    }
    this.backoff = new Backoff(o.backoff);
    /** @type {WebSocket|null} */
    this.ws = null;
    /** @type {ConnectionState} */
    this.state = 'idle';
    /** @type {Map<string, {resolve: (f: Frame) => void, reject: (e: Error) => void, timer: any}>} */
    this.pending = new Map();
    this.stopped = true;
    /** @type {TokenReason} */
    this.tokenReason = 'connect';
    /** @type {string|null} */
    this.lastToken = null;
    /** @type {any} */
    this.retryTimer = null;
    /** @type {any} */
    this.pingTimer = null;
    /** @type {any} */
    this.pongTimer = null;
    /** @type {any} */
    this.welcomeTimer = null;
    /** a floor for the next reconnect delay (a server's retryAfterMs) */
    this.retryAfterMs = 0;
  }

  start() {
    if (!this.stopped) {
      return;
    }
    this.stopped = false;
    this.open();
  }

  /** Closes for good (1000); pending requests fail with `closed`. */
  stop() {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    clearTimeout(this.welcomeTimer);
    this.stopKeepAlive();
    const ws = this.ws;
    this.ws = null;
    if (ws) {
      ws.close(1000, 'client closed');
    }
    this.failPending('closed', 'the client was closed');
    this.setState({ state: 'closed' });
  }

  isOnline() {
    return this.state === 'online';
  }

  /** Reconnect now (the network is back, or the user asked), skipping the backoff wait. */
  reconnectNow() {
    if (this.stopped || this.state === 'online' || this.state === 'connecting') {
      return;
    }
    clearTimeout(this.retryTimer);
    this.backoff.reset();
    this.open();
  }

  /** @param {StateChange} change */
  setState(change) {
    this.state = change.state;
    this.o.onState(change);
  }

  async open() {
    if (this.stopped) {
      return;
    }
    this.setState({ state: 'connecting' });
    let token;
    try {
      token = await this.o.token(this.tokenReason);
    } catch (e) {
      this.scheduleRetry('cannot get a token: ' + (e instanceof Error ? e.message : String(e)));
      return;
    }
    if (this.stopped) {
      return;
    }
    if (!token || (this.tokenReason === 'refused' && token === this.lastToken)) {
      this.signedOut('the gateway refused the token and no other one was given');
      return;
    }
    this.lastToken = token;
    const url = typeof this.o.url === 'function' ? this.o.url() : this.o.url;
    /** @type {WebSocket} */
    let ws;
    try {
      ws = new this.WS(url);
    } catch (e) {
      this.scheduleRetry(e instanceof Error ? e.message : String(e));
      return;
    }
    this.ws = ws;
    let welcomed = false;
    // no welcome in time (connect + hello): give up on this socket and retry
    this.welcomeTimer = setTimeout(() => this.dropped(ws, 4000, 'no welcome in time'), this.o.welcomeWithinMs ?? 20_000);
    ws.onopen = () => {
      if (ws !== this.ws) {
        return;
      }
      /** @type {Record<string, any>} */
      const hello = { type: 'hello', token, device: this.o.device, resume: this.o.resume() };
      if (this.o.batch) {
        hello.batch = true;
      }
      if (this.o.pull) {
        hello.pull = true;
      }
      ws.send(JSON.stringify(hello));
    };
    ws.onmessage = (msg) => {
      if (ws !== this.ws) {
        return;
      }
      this.sawTraffic();
      /** @type {Frame} */
      let frame;
      try {
        frame = JSON.parse(String(msg.data));
      } catch (e) {
        return; // not JSON: nothing a client can do with it
      }
      if (!welcomed) {
        if (frame.type === 'welcome') {
          welcomed = true;
          clearTimeout(this.welcomeTimer);
          this.backoff.reset();
          this.tokenReason = 'connect';
          this.retryAfterMs = 0;
          this.setState({ state: 'online', gateway: frame.gateway });
          this.startKeepAlive();
          this.o.onWelcome(/** @type {Welcome} */ (frame));
          return;
        }
        if (frame.type === 'error') {
          this.noteHelloError(frame);
        }
      } else if (frame.type === 'error' && frame.code === 'token_expired') {
        this.tokenReason = 'expired';
      }
      if (frame.type === 'pong' || this.settle(frame)) {
        return;
      }
      this.o.onFrame(frame);
    };
    ws.onclose = (ev) => this.dropped(ws, ev.code, ev.reason);
    // Some WebSocket implementations (Node 20's) report a failed connect with an error and no close event.
    ws.onerror = () => {
      if (ws.readyState !== 1) {
        this.dropped(ws, 1006, '');
      }
    };
  }

  /**
   * The socket is gone (closed, failed to connect, or abandoned): fail its requests and schedule a reconnect.
   * @param {WebSocket} ws
   * @param {number} code
   * @param {string} reason
   */
  dropped(ws, code, reason) {
    if (ws !== this.ws) {
      return;
    }
    this.ws = null;
    clearTimeout(this.welcomeTimer);
    this.stopKeepAlive();
    try {
      ws.close(4000, 'abandoned');
    } catch (e) {
      // already closing
    }
    this.failPending('disconnected', 'the connection dropped');
    if (this.stopped) {
      return;
    }
    if (code === CloseCodes.UNAUTHORIZED) {
      this.tokenReason = 'refused';
    } else if (code === CloseCodes.TOKEN_EXPIRED) {
      this.tokenReason = 'expired';
    }
    if (code === CloseCodes.SLOW_CONSUMER || code === CloseCodes.TOKEN_EXPIRED || code === CloseCodes.GOING_AWAY) {
      this.backoff.reset(); // nothing is wrong with the network: come back soon (still jittered)
    }
    this.scheduleRetry(reason || (code === 1006 ? 'network' : `closed with ${code}`));
  }

  /** @param {Frame} frame an error before the welcome */
  noteHelloError(frame) {
    if (frame.code === 'unauthorized') {
      this.tokenReason = 'refused';
    } else if (frame.code === 'token_expired') {
      this.tokenReason = 'expired';
    } else if (typeof frame.retryAfterMs === 'number') {
      this.retryAfterMs = frame.retryAfterMs;
    }
  }

  /** @param {string} reason */
  signedOut(reason) {
    this.stopped = true;
    this.failPending('unauthorized', reason);
    this.setState({ state: 'signed_out', reason });
  }

  /** @param {string} reason */
  scheduleRetry(reason) {
    if (this.stopped) {
      return;
    }
    const delay = this.backoff.next(this.retryAfterMs);
    this.retryAfterMs = 0;
    const retryAt = Date.now() + delay;
    this.setState({ state: 'offline', reason, retryAt });
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => this.open(), delay);
  }

  // ------------------------------------------------------------------ keep-alive

  startKeepAlive() {
    this.stopKeepAlive();
    this.pingTimer = setInterval(() => {
      const ws = this.ws;
      if (!ws || ws.readyState !== 1) {
        return;
      }
      ws.send('{"type":"ping"}');
      if (!this.pongTimer) {
        // no frame at all within the window: the network is gone even if the socket does not know yet
        this.pongTimer = setTimeout(() => this.dropped(ws, 4000, 'no pong'), this.o.pongWithinMs ?? 10_000);
      }
    }, this.o.pingEveryMs ?? 15_000);
  }

  sawTraffic() {
    clearTimeout(this.pongTimer);
    this.pongTimer = null;
  }

  stopKeepAlive() {
    clearInterval(this.pingTimer);
    clearTimeout(this.pongTimer);
    this.pingTimer = null;
    this.pongTimer = null;
  }

  // ------------------------------------------------------------------ frames and requests

  /**
   * Sends a frame without waiting for anything.
   * @param {object} frame
   * @returns {boolean} false when offline
   */
  send(frame) {
    if (!this.ws || this.state !== 'online') {
      return false;
    }
    this.ws.send(JSON.stringify(frame));
    return true;
  }

  /**
   * Sends a frame that carries an id and resolves with the reply that carries the same id (ack, ok, events...),
   * or rejects with a ParleyError (its error frame; `disconnected`; `request_timeout`).
   * @param {Frame} frame
   * @param {'requestId'|'clientMsgId'} [idField]
   * @param {number} [timeoutMs]
   * @returns {Promise<Frame>}
   */
  request(frame, idField = 'requestId', timeoutMs = 30_000) {
    const key = `${idField}:${frame[idField]}`;
    return new Promise((resolve, reject) => {
      if (!this.send(frame)) {
        reject(new ParleyError('disconnected', 'offline'));
        return;
      }
      const timer = setTimeout(() => {
        this.pending.delete(key);
        reject(new ParleyError('request_timeout', `no answer within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(key, { resolve, reject, timer });
    });
  }

  /**
   * @param {Frame} frame
   * @returns {boolean} whether it was the reply to a pending request
   */
  settle(frame) {
    if (frame.type === 'event') {
      return false; // a live event carries the clientMsgId of its send and may overtake the ack
    }
    for (const idField of ['requestId', 'clientMsgId']) {
      if (frame[idField] === undefined) {
        continue;
      }
      const key = `${idField}:${frame[idField]}`;
      const p = this.pending.get(key);
      if (!p) {
        continue;
      }
      this.pending.delete(key);
      clearTimeout(p.timer);
      if (frame.type === 'error') {
        p.reject(errorFromFrame(frame));
      } else {
        p.resolve(frame);
      }
      return true;
    }
    return false;
  }

  /**
   * @param {string} code
   * @param {string} message
   */
  failPending(code, message) {
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      p.reject(code === 'unauthorized' ? new AuthError(code, message) : new ParleyError(code, message));
    }
    this.pending.clear();
  }
}
