// Who may see the dashboard: whoever holds TINYFORGE_API_TOKEN (as a bearer token, or as the
// session cookie the login form sets), or everyone when the operator puts the bot behind an auth
// proxy of their own (TINYFORGE_DASHBOARD=proxy). The cookie holds an HMAC of the token, not the
// token: a leaked cookie is not the API token, and changing the token logs everyone out.
import { createHmac, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";

export const COOKIE = "tinyforge_session";
const MAX_AGE_S = 7 * 24 * 3600;

export type Access = { kind: "token"; token: string } | { kind: "proxy" };

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function sessionValue(token: string): string {
  return createHmac("sha256", token).update("tinyforge dashboard session").digest("base64url");
}

export function cookieOf(req: IncomingMessage, name: string): string | undefined {
  for (const part of String(req.headers.cookie ?? "").split(";")) {
    const i = part.indexOf("=");
    if (i > 0 && part.slice(0, i).trim() === name) return part.slice(i + 1).trim();
  }
  return undefined;
}

/** A request the dashboard (and the events API it streams from) may answer. */
export function allowed(req: IncomingMessage, access: Access): boolean {
  if (access.kind === "proxy") return true;
  const bearer = /^Bearer (.+)$/i.exec(String(req.headers.authorization ?? ""))?.[1];
  if (bearer !== undefined) return same(bearer, access.token);
  const cookie = cookieOf(req, COOKIE);
  return cookie !== undefined && same(cookie, sessionValue(access.token));
}

export function tokenMatches(given: string, access: Access): boolean {
  return access.kind === "token" && same(given, access.token);
}

/** TLS at the bot, or at a proxy that says so: only then may the cookie be marked Secure. */
function overTls(req: IncomingMessage): boolean {
  const socket = req.socket as { encrypted?: boolean };
  return Boolean(socket.encrypted) || String(req.headers["x-forwarded-proto"] ?? "").startsWith("https");
}

export function loginCookie(req: IncomingMessage, token: string): string {
  return cookieHeader(req, sessionValue(token), MAX_AGE_S);
}

export function logoutCookie(req: IncomingMessage): string {
  return cookieHeader(req, "", 0);
}

function cookieHeader(req: IncomingMessage, value: string, maxAge: number): string {
  const secure = overTls(req) ? "; Secure" : "";
  return `${COOKIE}=${value}; Path=/; Max-Age=${maxAge}; HttpOnly; SameSite=Strict${secure}`;
}
