// The page's model: my channels, their events by seq, what I have read, and my messages not yet committed.
// Pure data, no DOM: view.js draws it, main.js feeds it from the connection.
//
// Per channel the gateway delivers events in strictly increasing seq with no gap. The store still checks:
// an event at or below what it has is a duplicate (ignored), one beyond the next expected seq is a gap
// (reported, so main.js fetches the missing range with a history request).

/** How an event changes a channel's state, by kind. New kinds (edits, reactions...) add a reducer here. */
const REDUCERS = {
  channel_created(ch, ev) {
    ch.visibility = ev.visibility || ch.visibility;
    if (ev.title) {
      ch.title = ev.title;
    }
    if (ev.direct) {
      ch.direct = true;
      ch.members = ev.members || [];
    }
  },
  read(ch, ev, store) {
    // My read cursor moved (on this or another of my devices): unread markers follow everywhere.
    if (ev.user === store.user && ev.upTo > store.readSeq(ch.name)) {
      store.read[ch.name] = ev.upTo;
      store.saveRead();
    }
  },
  member_joined(ch, ev, store) {
    if (ev.member === store.user && ev.role) {
      ch.role = ev.role;
    }
  },
  member_left(ch, ev, store) {
    if (ev.member === store.user) {
      ch.left = true;
    }
  },
  message() {},
};

/** Kinds that count as "new messages" for unread markers (top-level messages only, as the server counts). */
const COUNTED = new Set(['message']);

/** Kinds that change a message rather than show up as a line of their own. */
export const MESSAGE_CHANGES = new Set(['edited', 'deleted', 'reaction_added', 'reaction_removed']);

/** Kinds that are not shown at all (read cursors; others' private events). */
export const INVISIBLE = new Set(['read', 'hidden']);

/**
 * The current state of the loaded messages of a channel, derived from its events in seq order: edits applied,
 * deletions as tombstones, reactions aggregated, thread replies attached to their root. Changes whose message is
 * not loaded (yet) are skipped; loading older events re-derives everything.
 * @returns {Map<number, object>} seq -> {seq, user, ts, text, deleted, editedAt, reactions: Map<emoji, string[]>,
 *          replies: number[], threadRoot, clientMsgId, messageId}
 */
export function deriveMessages(ch) {
  const msgs = new Map();
  for (const ev of ch.timeline()) {
    if (ev.kind === 'message') {
      msgs.set(ev.seq, {
        seq: ev.seq, user: ev.user, ts: ev.ts, text: ev.deleted ? null : ev.text, deleted: !!ev.deleted,
        editedAt: null, reactions: new Map(), replies: [], threadRoot: ev.threadRoot || null,
        clientMsgId: ev.clientMsgId, messageId: ev.messageId, mentions: ev.mentions || [],
      });
      const root = ev.threadRoot && msgs.get(ev.threadRoot);
      if (root) {
        root.replies.push(ev.seq);
      }
      continue;
    }
    const m = ev.messageSeq !== undefined ? msgs.get(ev.messageSeq) : null;
    if (!m) {
      continue;
    }
    if (ev.kind === 'edited' && !ev.deleted && !m.deleted) {
      m.text = ev.text;
      m.editedAt = ev.ts;
      m.mentions = ev.mentions || [];
    } else if (ev.kind === 'deleted') {
      m.deleted = true;
      m.text = null;
      m.reactions = new Map();
    } else if (ev.kind === 'reaction_added') {
      const users = m.reactions.get(ev.emoji) || [];
      if (!users.includes(ev.user)) {
        m.reactions.set(ev.emoji, [...users, ev.user]);
      }
    } else if (ev.kind === 'reaction_removed') {
      const users = (m.reactions.get(ev.emoji) || []).filter((u) => u !== ev.user);
      if (users.length) {
        m.reactions.set(ev.emoji, users);
      } else {
        m.reactions.delete(ev.emoji);
      }
    }
  }
  for (const m of msgs.values()) {
    if (m.threadRoot && m.deleted) {
      const root = msgs.get(m.threadRoot);
      if (root) {
        root.replies = root.replies.filter((r) => r !== m.seq);
      }
    }
  }
  return msgs;
}

export class Channel {
  constructor(name) {
    this.name = name;
    this.title = null;
    this.visibility = null;
    this.role = null;
    this.head = 0; // highest seq known to exist
    this.cursor = 0; // every event from `from` to cursor is here: the resume point
    this.from = null; // lowest seq loaded (null: nothing yet)
    this.events = new Map(); // seq -> event
    this.historyLoaded = false; // the latest page was requested
    this.left = false;
    this.direct = false; // a direct-message channel
    this.members = []; // its members (direct channels)
    this.serverUnread = 0; // unread and mentions as the server counted them at the last welcome / channel list
    this.serverMentions = 0;
    this.serverHead = 0; // the head those counts were taken at
  }

  /** The highest seq of a message in what is loaded: how far a read cursor may usefully move. */
  lastMessageSeq() {
    let last = 0;
    for (const ev of this.events.values()) {
      if (ev.kind === 'message' && ev.seq > last) {
        last = ev.seq;
      }
    }
    return last;
  }

  /** How a direct channel is shown: its other members. */
  displayName(me) {
    if (this.direct && this.members.length) {
      return this.members.filter((m) => m !== me).join(', ') || me;
    }
    return this.name;
  }

  /** Events in seq order. */
  timeline() {
    return [...this.events.values()].sort((a, b) => a.seq - b.seq);
  }

  hasOlder() {
    return this.from !== null && this.from > 1;
  }

  advanceCursor() {
    while (this.events.has(this.cursor + 1)) {
      this.cursor++;
    }
  }
}

export class ChatStore {
  constructor(user, storage = window.localStorage) {
    this.user = user;
    this.storage = storage;
    this.channels = new Map();
    this.outbox = new Map(); // clientMsgId -> {clientMsgId, channel, text, state: sending|sent|failed, error, seq}
    this.read = this.loadRead();
  }

  // ------------------------------------------------------------------ channels

  channel(name) {
    let ch = this.channels.get(name);
    if (!ch) {
      ch = new Channel(name);
      this.channels.set(name, ch);
    }
    return ch;
  }

  sortedChannels() {
    return [...this.channels.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  /** The welcome's channel list is the truth about membership: channels not in it are gone. */
  applyWelcome(welcome) {
    const listed = new Set();
    for (const c of welcome.channels || []) {
      listed.add(c.channel);
      const ch = this.channel(c.channel);
      ch.role = c.role || ch.role;
      ch.visibility = c.visibility || ch.visibility;
      ch.title = c.title || ch.title;
      ch.head = Math.max(ch.head, c.head || 0);
      ch.left = false;
      ch.serverUnread = c.unread || 0;
      ch.serverMentions = c.mentions || 0;
      ch.serverHead = c.head || 0;
      if (c.channel.startsWith('dm-')) {
        ch.direct = true;
      }
      if ((c.lastRead || 0) > this.readSeq(c.channel)) {
        this.read[c.channel] = c.lastRead; // read on another device
      }
      if (ch.from === null) {
        // Nothing loaded: the gateway streams from the head on; older events come from history.
        ch.cursor = Math.max(ch.cursor, c.head || 0);
      }
    }
    for (const name of [...this.channels.keys()]) {
      if (!listed.has(name)) {
        this.channels.delete(name);
      }
    }
    this.saveRead();
  }

  /** {channel: last seq I have}, for hello's resume. */
  resumePoints() {
    const r = {};
    for (const ch of this.channels.values()) {
      if (!ch.left && ch.cursor > 0) {
        r[ch.name] = ch.cursor;
      }
    }
    return r;
  }

  // ------------------------------------------------------------------ events

  /**
   * A live event.
   * @returns {{status: 'new'|'duplicate'|'gap', channel: Channel, event}} a gap means events before it are
   *          missing: fetch history after channel.cursor
   */
  applyLive(ev) {
    const ch = this.channel(ev.channel);
    if (ch.events.has(ev.seq) || (ch.from !== null && ev.seq <= ch.cursor)) {
      return { status: 'duplicate', channel: ch, event: ev };
    }
    if (ch.from === null) {
      // First event of a channel I had nothing of (I just joined or created it): what came before it is
      // history; the live stream continues from here.
      ch.cursor = ev.seq - 1;
    }
    const gap = ev.seq > ch.cursor + 1;
    this.put(ch, ev);
    return { status: gap ? 'gap' : 'new', channel: ch, event: ev };
  }

  /** Events from a history page (any order, any overlap with what is here). */
  applyHistory(channelName, events, head) {
    const ch = this.channel(channelName);
    for (const ev of events) {
      if (!ch.events.has(ev.seq)) {
        this.put(ch, ev);
      }
    }
    if (head !== undefined) {
      ch.head = Math.max(ch.head, head);
    }
    if (events.length === 0 && ch.from === null) {
      ch.from = ch.cursor + 1;
    }
    ch.advanceCursor();
    return ch;
  }

  put(ch, ev) {
    ch.events.set(ev.seq, ev);
    ch.head = Math.max(ch.head, ev.seq);
    ch.from = ch.from === null ? ev.seq : Math.min(ch.from, ev.seq);
    if (ev.seq === ch.cursor + 1) {
      ch.advanceCursor();
    }
    const reduce = REDUCERS[ev.kind];
    if (reduce) {
      reduce(ch, ev, this);
    }
    if (ev.kind === 'message' && ev.user === this.user && ev.clientMsgId && this.outbox.has(ev.clientMsgId)) {
      this.outbox.delete(ev.clientMsgId); // committed: the event replaces the pending bubble
    }
  }

  // ------------------------------------------------------------------ unread

  readSeq(name) {
    return this.read[name] || 0;
  }

  markRead(name) {
    const ch = this.channels.get(name);
    if (!ch) {
      return false;
    }
    const upTo = Math.max(ch.cursor, ch.head);
    if (upTo <= this.readSeq(name)) {
      return false;
    }
    this.read[name] = upTo;
    this.saveRead();
    return true;
  }

  /**
   * Unread messages of others after my read mark, counted on what is loaded.
   * @returns {{count: number, more: boolean}} more: there may be unread ones older than what is loaded
   */
  unread(name) {
    const ch = this.channels.get(name);
    if (!ch) {
      return { count: 0, more: false, mentions: 0 };
    }
    const mark = this.readSeq(name);
    const deleted = new Set([...ch.events.values()].filter((e) => e.kind === 'deleted').map((e) => e.messageSeq));
    const covered = ch.from !== null && ch.from <= mark + 1;
    // What is loaded counts when it reaches back to my read mark; before that, the server's count at the last
    // welcome plus what arrived since.
    const since = covered ? mark : Math.max(mark, ch.serverHead);
    let count = 0;
    let mentions = 0;
    for (const ev of ch.events.values()) {
      if (ev.seq > since && COUNTED.has(ev.kind) && ev.user !== this.user && !ev.threadRoot && !ev.deleted
          && !deleted.has(ev.seq)) {
        count++;
        if ((ev.mentions || []).includes(this.user)) {
          mentions++;
        }
      }
    }
    if (!covered && mark < ch.serverHead) {
      count += ch.serverUnread;
      mentions += ch.serverMentions;
    }
    const more = !covered && ch.from !== null && ch.from > mark + 1 && count > 0 && ch.serverHead === 0;
    return { count, more, mentions };
  }

  loadRead() {
    try {
      return JSON.parse(this.storage.getItem(`parley.read.${this.user}`) || '{}');
    } catch (e) {
      return {};
    }
  }

  saveRead() {
    try {
      this.storage.setItem(`parley.read.${this.user}`, JSON.stringify(this.read));
    } catch (e) {
      // private mode or full: unread markers just do not survive a reload
    }
  }

  // ------------------------------------------------------------------ my messages in flight

  queue(channel, text, clientMsgId, threadRoot = null) {
    const item = { clientMsgId, channel, text, threadRoot, state: 'sending', error: null, seq: null, at: Date.now() };
    this.outbox.set(clientMsgId, item);
    return item;
  }

  /** My messages in flight in a channel (thread replies only with their thread's root). */
  pendingFor(channel, threadRoot = null) {
    return [...this.outbox.values()].filter((m) => m.channel === channel && (m.threadRoot || null) === threadRoot);
  }

  /** Sends to (re)try after a (re)connect, oldest first. */
  unsent() {
    return [...this.outbox.values()].filter((m) => m.state === 'sending').sort((a, b) => a.at - b.at);
  }

  acked(clientMsgId, seq) {
    const m = this.outbox.get(clientMsgId);
    if (!m) {
      return;
    }
    const ch = this.channels.get(m.channel);
    if (ch && ch.events.has(seq)) {
      this.outbox.delete(clientMsgId);
    } else {
      m.state = 'sent';
      m.seq = seq;
    }
  }

  failed(clientMsgId, error) {
    const m = this.outbox.get(clientMsgId);
    if (m) {
      m.state = 'failed';
      m.error = error;
    }
  }
}
