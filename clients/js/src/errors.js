// Typed errors: every `error` frame of the gateway (docs/protocol.md "Error codes") and the client's own
// reasons (disconnected, closed, request_timeout) become a ParleyError with a `code`.

/**
 * @typedef {'bad_frame'|'unknown_type'|'invalid'|'frame_too_large'|'not_authenticated'|'already_authenticated'
 *   |'unauthorized'|'hello_timeout'|'token_expired'|'unknown_channel'|'not_a_member'|'channel_exists'
 *   |'not_allowed'|'unknown_message'|'message_deleted'|'timeout'|'unavailable'|'internal_error'
 *   |'rate_limited'|'overloaded'} ServerErrorCode
 * @typedef {'disconnected'|'closed'|'request_timeout'} LocalErrorCode
 * @typedef {ServerErrorCode|LocalErrorCode|string} ErrorCode
 */

/** Codes after which the same request (same clientMsgId / requestId) may simply be sent again. */
export const RETRYABLE = new Set(['timeout', 'unavailable', 'rate_limited', 'overloaded', 'disconnected', 'request_timeout']);

/** A failed request or connection: the gateway's error frame, or a local reason. */
export class ParleyError extends Error {
  /**
   * @param {ErrorCode} code
   * @param {string} [message]
   * @param {{retryAfterMs?: number, channel?: string, frame?: object}} [details]
   */
  constructor(code, message, details = {}) {
    super(message || code);
    this.name = 'ParleyError';
    /** @type {ErrorCode} */
    this.code = code;
    /** @type {number|undefined} how long to wait before trying again (rate_limited, overloaded) */
    this.retryAfterMs = details.retryAfterMs;
    /** @type {string|undefined} */
    this.channel = details.channel;
    /** @type {object|undefined} the error frame as received */
    this.frame = details.frame;
  }

  /** True when sending the same request again (same key) can succeed. */
  get retryable() {
    return RETRYABLE.has(this.code);
  }
}

/** The client sent too much: wait `retryAfterMs`, then retry with the same key. */
export class RateLimitedError extends ParleyError {
  /** @param {string} [message] @param {{retryAfterMs?: number, channel?: string, frame?: object}} [details] */
  constructor(message, details = {}) {
    super('rate_limited', message, details);
    this.name = 'RateLimitedError';
  }
}

/** The service sheds load: wait `retryAfterMs`, then retry with the same key. */
export class OverloadedError extends ParleyError {
  /** @param {string} [message] @param {{retryAfterMs?: number, channel?: string, frame?: object}} [details] */
  constructor(message, details = {}) {
    super('overloaded', message, details);
    this.name = 'OverloadedError';
  }
}

/** The token was refused or expired and no fresh one could be had. */
export class AuthError extends ParleyError {
  /** @param {ErrorCode} code @param {string} [message] @param {{frame?: object}} [details] */
  constructor(code, message, details = {}) {
    super(code, message, details);
    this.name = 'AuthError';
  }
}

/**
 * The error an `error` frame describes.
 * @param {Record<string, any>} frame an error frame
 * @returns {ParleyError}
 */
export function errorFromFrame(frame) {
  const details = { retryAfterMs: typeof frame.retryAfterMs === 'number' ? frame.retryAfterMs : undefined,
    channel: frame.channel, frame };
  const code = frame.code || 'unknown';
  switch (code) {
    case 'rate_limited':
      return new RateLimitedError(frame.message, details);
    case 'overloaded':
      return new OverloadedError(frame.message, details);
    case 'unauthorized':
    case 'token_expired':
    case 'hello_timeout':
      return new AuthError(code, frame.message, details);
    default:
      return new ParleyError(code, frame.message, details);
  }
}
