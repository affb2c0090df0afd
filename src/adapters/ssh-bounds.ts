// The SSH login's default bounds, apart from the client that applies them (ssh-login.ts): the
// CLI's head start (app/early-login.ts) reads them before the SSH client has loaded.

/** TCP connect + SSH handshake + authentication must finish within this. */
export const CONNECT_TIMEOUT_MS = 10_000;
/** A keepalive goes out after this much silence. */
export const KEEPALIVE_MS = 3_000;
/** Unanswered keepalives in a row that declare the connection dead (about 4× KEEPALIVE_MS). */
export const KEEPALIVE_MISSES = 3;
