#!/bin/sh
# assemble.sh CONTEXT_DIR: fills a build context for tinyforge/postgres:15 from the host's Debian
# packages (postgresql-15), so the image needs no registry: the server, its client, every shared
# library they load (found with ldd) and the time zone data, at their Debian paths.
set -eu
ctx="$1"
here="$(cd "$(dirname "$0")" && pwd)"
root="$ctx/rootfs"
mkdir -p "$root"
copy() { mkdir -p "$root$(dirname "$1")" && cp -aL "$1" "$root$1"; }
for d in /usr/lib/postgresql/15 /usr/share/postgresql/15 /usr/share/zoneinfo; do
  mkdir -p "$root$(dirname "$d")"
  cp -a "$d" "$root$(dirname "$d")/"
done
# The JIT (LLVM, ~120 MB) is left out: postgres runs without it (jit = off).
rm -rf "$root/usr/lib/postgresql/15/lib/bitcode" "$root"/usr/lib/postgresql/15/lib/llvmjit*
for bin in /usr/lib/postgresql/15/bin/* "$root"/usr/lib/postgresql/15/lib/*.so; do
  ldd "$bin" 2>/dev/null | awk '/=> \// { print $3 } /^[ \t]*\/lib/ { print $1 }'
done | sort -u | while read -r lib; do copy "$lib"; done
cp "$here/Dockerfile" "$here/entrypoint.sh" "$ctx/"
