#!/usr/bin/env bash
# The DIY way tinyforge replaces, for the benchmark: the same blue-green steps with the docker CLI,
# one `ssh` per step (pull, run, read the port, probe until healthy, remove the old container).
# usage: baseline.sh SSH_TARGET SSH_PORT KEY KNOWN_HOSTS IMAGE NEW_NAME [OLD_NAME]
set -euo pipefail
target=$1 port=$2 key=$3 known=$4 image=$5 new=$6 old=${7:-}
r() { ssh -q -p "$port" -i "$key" -o UserKnownHostsFile="$known" -o StrictHostKeyChecking=yes -o BatchMode=yes "$target" "$@"; }
r docker pull -q "$image" >/dev/null
r docker run -d --name "$new" -p 127.0.0.1::8080 "$image" >/dev/null
hp=$(r docker port "$new" 8080/tcp | head -n1 | sed 's/.*://')
for _ in $(seq 1 30); do
  if r curl -fsS -o /dev/null "http://127.0.0.1:$hp/healthz"; then ok=1; break; fi
  sleep 0.3
done
[ "${ok:-}" = 1 ] || { r docker rm -f "$new" >/dev/null; exit 1; }
[ -z "$old" ] || r docker rm -f "$old" >/dev/null
echo "$hp"
