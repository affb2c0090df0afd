// An HTTP path the engine requests on a container's port (the health check, the bake's probe).
import { z } from "zod";

export function httpPath() {
  return (
    z
      .string()
      .startsWith("/", { error: 'must start with "/"' })
      // The path goes into an HTTP request line: a space or control character would break it.
      .regex(/^[^\s\p{Cc}]*$/u, {
        error: (iss) =>
          `must be a URL path without spaces or control characters (got ${JSON.stringify(iss.input)})`,
      })
  );
}
