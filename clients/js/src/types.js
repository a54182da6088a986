// The frames of docs/protocol.md (machine-readable: docs/contracts/asyncapi.yaml) as JSDoc types.
export {};

/**
 * An `event` frame: one entry of a channel's log, in the form live delivery, resume and `events` pages share.
 * @typedef {object} ChannelEvent
 * @property {'event'} [type]
 * @property {string} channel
 * @property {number} seq
 * @property {string} kind channel_created, member_joined, member_left, message, edited, deleted, reaction_added,
 *   reaction_removed, read, hidden, unknown (and kinds newer than this client)
 * @property {string} [eventId]
 * @property {number} ts epoch ms
 * @property {string} user who did it
 * @property {string} [messageId]
 * @property {string} [clientMsgId]
 * @property {string} [text]
 * @property {string[]} [mentions]
 * @property {number} [threadRoot]
 * @property {boolean} [deleted]
 * @property {number} [messageSeq]
 * @property {string} [emoji]
 * @property {string} [member]
 * @property {string} [role]
 * @property {string} [addedBy]
 * @property {string} [visibility]
 * @property {string} [title]
 * @property {boolean} [direct]
 * @property {string[]} [members]
 * @property {number} [upTo]
 */

/**
 * A channel as `welcome` and `channels` list it.
 * @typedef {object} ChannelInfo
 * @property {string} channel
 * @property {number} head
 * @property {string} [role]
 * @property {string} [visibility]
 * @property {string} [title]
 * @property {number} [lastRead]
 * @property {number} [unread]
 * @property {boolean} [unreadCapped]
 * @property {number} [mentions]
 */

/**
 * @typedef {object} Welcome
 * @property {'welcome'} type
 * @property {string} user
 * @property {string} gateway
 * @property {ChannelInfo[]} channels
 * @property {boolean} [more] more channels than the welcome lists: the client pages them with `channels` frames
 * @property {string} [next] the last channel listed (where the first `channels` page starts)
 * @property {{maxFrameChars: number, maxTextChars: number, maxCatchUp: number}} [limits]
 * @property {{batch?: boolean, batchWindowMs?: number}} [delivery] what the gateway agreed to (batched delivery)
 */

/**
 * The `ack` of a committed send.
 * @typedef {object} Ack
 * @property {'ack'} type
 * @property {string} clientMsgId
 * @property {string} channel
 * @property {number} seq
 * @property {string} messageId
 * @property {boolean} [duplicate]
 */

/**
 * The `ok` of a committed command.
 * @typedef {object} Ok
 * @property {'ok'} type
 * @property {string} requestId
 * @property {string} channel
 * @property {number} seq
 * @property {boolean} [duplicate]
 * @property {string} [unchanged]
 */

/**
 * An `events` page.
 * @typedef {object} EventsPage
 * @property {'events'} type
 * @property {string} channel
 * @property {ChannelEvent[]} events
 * @property {number} head
 * @property {boolean} more
 */

/**
 * Any frame from the gateway.
 * @typedef {{type: string, [field: string]: any}} Frame
 */
