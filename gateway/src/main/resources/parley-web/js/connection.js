// One WebSocket to the gateway that survives network drops: hello (with resume) on every (re)connect,
// request/reply matching, keep-alive pings, and reconnects with backoff. The protocol is in
// gateway/src/main/java/dev/parley/gateway/client/ClientProtocol.java.

const PING_EVERY_MS = 15000;
const PONG_WITHIN_MS = 10000;
const REQUEST_TIMEOUT_MS = 20000;
const BACKOFF_MS = [250, 500, 1000, 2000, 3000, 5000];

// Close codes (gateway hub/CloseCodes.java).
const CLOSE_NOT_AUTHENTICATED = 4001;
const CLOSE_TOKEN_EXPIRED = 4002;
const CLOSE_UNAUTHORIZED = 4003;
const CLOSE_SLOW_CONSUMER = 4008;

/** A failed request: the gateway's error frame ({code, message}) or a local reason (disconnected, timeout). */
export class RequestError extends Error {
  constructor(code, message) {
    super(message || code);
    this.code = code;
  }
}

export function newId(prefix) {
  const raw = (crypto.randomUUID ? crypto.randomUUID() : String(Math.random()).slice(2) + Date.now());
  return `${prefix}-${raw}`;
}

/**
 * @param options.url        ws:// or wss:// URL of /ws
 * @param options.device     device id sent in hello (one per browser tab)
 * @param options.token      () => Promise<string>: the token for the next hello
 * @param options.freshToken () => Promise<string|null>: a new token after the gateway refused or expired one
 * @param options.resume     () => {channel: lastSeenSeq}: what this client already has
 * @param options.onWelcome  (welcome) => void, after every successful hello
 * @param options.onFrame    (frame) => void, for every frame that is not a reply to a request
 * @param options.onState    ({state, detail}) => void: connecting | online | offline | signed_out
 */
export class Connection {
  constructor(options) {
    this.o = options;
    this.ws = null;
    this.state = 'idle';
    this.pending = new Map(); // "clientMsgId:x" / "requestId:x" -> {resolve, reject, timer}
    this.attempt = 0;
    this.stopped = false;
    this.pingTimer = null;
    this.pongTimer = null;
    this.retryTimer = null;
    this.tokenRefused = false;
    window.addEventListener('online', () => this.reconnectNow());
  }

  start() {
    this.stopped = false;
    this.open();
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    this.stopKeepAlive();
    if (this.ws) {
      this.ws.close(1000, 'signed out');
      this.ws = null;
    }
    this.failPending('disconnected', 'signed out');
  }

  isOnline() {
    return this.state === 'online';
  }

  /** Reconnect at once (the browser says the network is back, or the user asked). */
  reconnectNow() {
    if (this.stopped || this.state === 'online' || this.state === 'connecting') {
      return;
    }
    clearTimeout(this.retryTimer);
    this.attempt = 0;
    this.open();
  }

  setState(state, detail) {
    this.state = state;
    this.detail = detail;
    this.o.onState({ state, detail });
  }

  async open() {
    if (this.stopped) {
      return;
    }
    this.setState('connecting');
    let token;
    try {
      token = this.tokenRefused ? await this.o.freshToken() : await this.o.token();
    } catch (e) {
      this.scheduleRetry('cannot get a token: ' + e.message);
      return;
    }
    if (!token) {
      this.stopped = true;
      this.setState('signed_out', 'the gateway refused the token; sign in again');
      return;
    }
    if (this.stopped) {
      return;
    }
    let ws;
    try {
      ws = new WebSocket(this.o.url);
    } catch (e) {
      this.scheduleRetry(e.message);
      return;
    }
    this.ws = ws;
    let welcomed = false;
    ws.onopen = () => {
      ws.send(JSON.stringify({ type: 'hello', token, device: this.o.device, resume: this.o.resume() }));
    };
    ws.onmessage = (msg) => {
      if (ws !== this.ws) {
        return;
      }
      this.sawTraffic();
      let frame;
      try {
        frame = JSON.parse(msg.data);
      } catch (e) {
        console.warn('not JSON from the gateway', msg.data);
        return;
      }
      if (!welcomed) {
        if (frame.type === 'welcome') {
          welcomed = true;
          this.attempt = 0;
          this.tokenRefused = false;
          this.setState('online', frame.gateway);
          this.startKeepAlive();
          this.o.onWelcome(frame);
          return;
        }
        if (frame.type === 'error' && (frame.code === 'unauthorized' || frame.code === 'token_expired')) {
          this.tokenRefused = true;
        }
      }
      if (frame.type === 'pong') {
        return;
      }
      if (this.settle(frame)) {
        return;
      }
      this.o.onFrame(frame);
    };
    ws.onclose = (ev) => {
      if (ws !== this.ws) {
        return;
      }
      this.ws = null;
      this.stopKeepAlive();
      this.failPending('disconnected', 'the connection dropped');
      if (this.stopped) {
        return;
      }
      if (ev.code === CLOSE_UNAUTHORIZED || ev.code === CLOSE_TOKEN_EXPIRED || ev.code === CLOSE_NOT_AUTHENTICATED) {
        this.tokenRefused = true;
      }
      if (ev.code === CLOSE_SLOW_CONSUMER) {
        this.attempt = 0; // resync: reconnect at once and resume
      }
      this.scheduleRetry(ev.reason || (ev.code === 1006 ? 'network' : `closed, code ${ev.code}`));
    };
    ws.onerror = () => {
      // onclose follows and decides what to do
    };
  }

  scheduleRetry(reason) {
    if (this.stopped) {
      return;
    }
    const base = BACKOFF_MS[Math.min(this.attempt, BACKOFF_MS.length - 1)];
    const delay = Math.round(base * (0.75 + Math.random() * 0.5));
    this.attempt++;
    this.setState('offline', { reason, retryAt: Date.now() + delay });
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => this.open(), delay);
  }

  // ------------------------------------------------------------------ keep-alive

  startKeepAlive() {
    this.stopKeepAlive();
    this.pingTimer = setInterval(() => {
      if (!this.ws || this.ws.readyState !== WebSocket.OPEN) {
        return;
      }
      this.ws.send(JSON.stringify({ type: 'ping' }));
      if (!this.pongTimer) {
        // No frame at all within the window: the network is gone even if the socket does not know yet.
        this.pongTimer = setTimeout(() => this.ws && this.ws.close(4000, 'no pong'), PONG_WITHIN_MS);
      }
    }, PING_EVERY_MS);
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

  // ------------------------------------------------------------------ requests

  /** Sends a frame without waiting for anything; false when offline. */
  sendFrame(frame) {
    if (!this.ws || this.state !== 'online') {
      return false;
    }
    this.ws.send(JSON.stringify(frame));
    return true;
  }

  /**
   * Sends a frame that carries an id (requestId or clientMsgId) and resolves with the reply that carries
   * the same id (ack, ok, history), or rejects with a RequestError (error frame, disconnect, timeout).
   */
  request(frame, idField = 'requestId') {
    const key = `${idField}:${frame[idField]}`;
    return new Promise((resolve, reject) => {
      if (!this.sendFrame(frame)) {
        reject(new RequestError('disconnected', 'offline'));
        return;
      }
      const timer = setTimeout(() => {
        this.pending.delete(key);
        reject(new RequestError('timeout', 'no answer in time'));
      }, REQUEST_TIMEOUT_MS);
      this.pending.set(key, { resolve, reject, timer });
    });
  }

  settle(frame) {
    if (frame.type === 'event') {
      // A live event carries the clientMsgId of the send it came from, and may overtake the ack: it is
      // not the reply.
      return false;
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
        p.reject(new RequestError(frame.code, frame.message));
      } else {
        p.resolve(frame);
      }
      return true;
    }
    return false;
  }

  failPending(code, message) {
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      p.reject(new RequestError(code, message));
    }
    this.pending.clear();
  }
}
