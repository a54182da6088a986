// REST calls of the page: only what the WebSocket does not do (getting a dev token).

/** Thrown when the gateway answers with an error body ({error, message}). */
export class ApiError extends Error {
  constructor(status, code, message) {
    super(message || code || `HTTP ${status}`);
    this.status = status;
    this.code = code;
  }
}

/** POST /api/dev/token {user} -> token. Only gateways in dev mode (PARLEY_DEV_MODE=true) issue them. */
export async function devToken(user) {
  let resp;
  try {
    resp = await fetch('/api/dev/token', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ user }),
    });
  } catch (e) {
    throw new ApiError(0, 'unreachable', 'the gateway cannot be reached: ' + e.message);
  }
  const body = await resp.json().catch(() => ({}));
  if (!resp.ok) {
    if (resp.status === 404) {
      throw new ApiError(404, 'dev_mode_off', 'this gateway does not issue dev tokens (PARLEY_DEV_MODE is off): use a token');
    }
    throw new ApiError(resp.status, body.error, body.message);
  }
  return body.token;
}

/** The user a JWT names (its sub claim), without verifying it: the gateway does that. */
export function tokenUser(token) {
  try {
    const payload = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    return JSON.parse(atob(payload)).sub || null;
  } catch (e) {
    return null;
  }
}
