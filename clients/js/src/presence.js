// Presence and typing: state that matters for seconds (docs/protocol.md, "Presence and typing"). Never resumed:
// after every welcome the client watches again and starts from what the gateway answers.

/**
 * A watched user's presence as the gateway last told it.
 * @typedef {object} PresenceState
 * @property {string} user
 * @property {'online'|'away'|'offline'} status
 * @property {number} [lastSeen] epoch ms: the last activity, or when the user went offline
 */

/** The presence of the users this client watches, from `presence_watch` answers and `presence` frames. */
export class PresenceBook {
  constructor() {
    /** @type {Map<string, PresenceState>} */
    this.users = new Map();
    /** @type {Set<string>} watched users this user shares no channel with: the gateway tells nothing of them */
    this.hidden = new Set();
  }

  /**
   * A `presence_watch` answer: the state of every watched user, replacing what was known.
   * @param {{users?: PresenceState[], notVisible?: string[]}} frame
   * @returns {PresenceState[]} the visible users' states
   */
  applyWatch(frame) {
    this.users.clear();
    this.hidden = new Set(frame.notVisible || []);
    for (const u of frame.users || []) {
      this.users.set(u.user, { user: u.user, status: u.status, lastSeen: u.lastSeen });
    }
    return [...this.users.values()];
  }

  /**
   * A `presence` frame: a change, or `visible: false` (no longer shares a channel).
   * @param {{user: string, status?: 'online'|'away'|'offline', lastSeen?: number, visible?: boolean}} frame
   * @returns {PresenceState|null} the new state, or null when the user is no longer visible
   */
  apply(frame) {
    if (frame.visible === false) {
      this.users.delete(frame.user);
      this.hidden.add(frame.user);
      return null;
    }
    const state = { user: frame.user, status: frame.status || 'offline', lastSeen: frame.lastSeen };
    this.hidden.delete(frame.user);
    this.users.set(frame.user, state);
    return state;
  }

  /** @param {string} user @returns {PresenceState|undefined} */
  get(user) {
    return this.users.get(user);
  }

  clear() {
    this.users.clear();
    this.hidden.clear();
  }
}

/** Who is typing where: each indicator lasts `expiresIn` ms unless refreshed, and ends with the typer's message. */
export class TypingBook {
  constructor() {
    /** @type {Map<string, Map<string, number>>} channel -> user -> expires at (epoch ms) */
    this.channels = new Map();
  }

  /**
   * A `typing` frame.
   * @param {string} channel @param {string} user @param {number} expiresIn @param {number} now
   */
  typed(channel, user, expiresIn, now) {
    let users = this.channels.get(channel);
    if (!users) {
      users = new Map();
      this.channels.set(channel, users);
    }
    users.set(user, now + Math.max(0, expiresIn));
  }

  /**
   * The user's message arrived: the indicator ends.
   * @param {string} channel @param {string} user @returns {boolean} whether one was shown
   */
  stopped(channel, user) {
    const users = this.channels.get(channel);
    return !!users && users.delete(user);
  }

  /**
   * The users typing in a channel now, sorted.
   * @param {string} channel @param {number} now @returns {string[]}
   */
  typers(channel, now) {
    const users = this.channels.get(channel);
    if (!users) {
      return [];
    }
    return [...users.entries()].filter(([, until]) => until > now).map(([u]) => u).sort();
  }

  /**
   * Drops what expired.
   * @param {number} now @returns {string[]} the channels whose typers changed
   */
  expire(now) {
    /** @type {string[]} */
    const changed = [];
    for (const [channel, users] of this.channels) {
      for (const [user, until] of users) {
        if (until <= now) {
          users.delete(user);
          if (!changed.includes(channel)) {
            changed.push(channel);
          }
        }
      }
      if (users.size === 0) {
        this.channels.delete(channel);
      }
    }
    return changed;
  }

  /** @returns {number|null} the next expiry (epoch ms), for a timer */
  nextExpiry() {
    let next = null;
    for (const users of this.channels.values()) {
      for (const until of users.values()) {
        next = next === null ? until : Math.min(next, until);
      }
    }
    return next;
  }

  clear() {
    this.channels.clear();
  }
}

/** At most one `typing` frame per channel per interval (the gateway drops more anyway). */
export class TypingThrottle {
  /** @param {number} intervalMs */
  constructor(intervalMs = 3000) {
    this.intervalMs = intervalMs;
    /** @type {Map<string, number>} */
    this.last = new Map();
  }

  /** @param {string} channel @param {number} now @returns {boolean} whether to send one now */
  allow(channel, now) {
    const last = this.last.get(channel);
    if (last !== undefined && now - last < this.intervalMs) {
      return false;
    }
    this.last.set(channel, now);
    return true;
  }

  /** @param {string} channel a message was sent: the next keystroke is a new burst */
  reset(channel) {
    this.last.delete(channel);
  }
}
