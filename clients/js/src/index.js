// Parley's JavaScript client (ES modules, no dependencies; browsers and Node 20+). docs/clients.md tells how
// to use it; docs/contracts/asyncapi.yaml is the protocol it speaks.
export { ParleyClient } from './client.js';
export { ChannelView, MESSAGE_CHANGES, INVISIBLE } from './channel-view.js';
export { ChannelStream } from './channel-stream.js';
export { Connection, CloseCodes } from './connection.js';
export { Backoff } from './backoff.js';
export { Outbox } from './outbox.js';
export { memoryStorage, webStorage, indexedDbStorage } from './storage.js';
export { ParleyError, RateLimitedError, OverloadedError, AuthError, errorFromFrame, RETRYABLE } from './errors.js';
