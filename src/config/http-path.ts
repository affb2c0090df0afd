// An HTTP path the engine requests on a container's port (the health check, the bake's probe).
import { regex, startsWith, string } from "zod/mini";

export function httpPath() {
  return string().check(
    startsWith("/", { error: 'must start with "/"' }),
    // The path goes into an HTTP request line: a space or control character would break it.
    regex(/^[^\s\p{Cc}]*$/u, {
      error: (iss) =>
        `must be a URL path without spaces or control characters (got ${JSON.stringify(iss.input)})`,
    }),
  );
}
