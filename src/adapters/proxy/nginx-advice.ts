// What to add to the operator's own nginx.conf when `nginx -t` rejects a tinyforge block for a
// limit set there. Debian's stock nginx.conf leaves server_names_hash_bucket_size at 64 bytes (on
// 64-bit), which holds hostnames up to ~45 characters: `stage-preview-PROJECT-pr-123.DOMAIN` is
// often longer. Pure: the line is asserted in unit tests.

/**
 * The smallest power-of-two bucket nginx needs for a name of `length` characters (an entry is a
 * pointer, the name and two bytes, aligned to 8; a bucket also ends with a null pointer), never
 * less than 128.
 */
export function bucketSizeFor(length: number): number {
  const need = Math.ceil((8 + length + 2) / 8) * 8 + 8;
  let size = 128;
  while (size < need) size *= 2;
  return size;
}

/**
 * The line to add inside `http { }` when `nginx -t` output names a limit of nginx.conf, or
 * undefined when the failure is not one the operator's config can fix.
 */
export function nginxConfigFix(output: string, hostname: string): string | undefined {
  const bucket = /increase (?:either )?server_names_hash_(max_size|bucket_size)(?::\s*(\d+))?/.exec(output);
  if (!bucket) return undefined;
  const current = Number(/server_names_hash_bucket_size:\s*(\d+)/.exec(output)?.[1] ?? 64);
  const size = Math.max(bucketSizeFor(hostname.length), current * 2);
  if (/server_names_hash_max_size/.test(output)) {
    const max = Number(/server_names_hash_max_size:\s*(\d+)/.exec(output)?.[1] ?? 512);
    return `server_names_hash_max_size ${max * 2}; server_names_hash_bucket_size ${size};`;
  }
  return `server_names_hash_bucket_size ${size};`;
}
