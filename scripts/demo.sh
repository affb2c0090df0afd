#!/usr/bin/env bash
# The README's first command: set up the testbed (local dockerd + a loopback sshd), then deploy
# examples/hello through SSH as a user would — v1, then v2 blue-green — and show what serves.
set -euo pipefail
cd "$(dirname "$0")/.."

[ -d node_modules ] || npm ci --no-audit --no-fund
bash scripts/testbed.sh up
[ -f dist/cli.cjs ] && [ -f dist/launch.js ] || npm run build --silent

export TINYFORGE_SSH_KEY_FILE="$PWD/.testbed/id_ed25519"
export TINYFORGE_KNOWN_HOSTS_FILE="$PWD/.testbed/known_hosts"
tinyforge() { node "$PWD/bin/tinyforge.js" "$@"; }

# The app's checkout: a copy of the example in its own git repo (the SHA names each release).
app=$(mktemp -d -t tinyforge-demo-XXXX)
cp -r examples/hello/. "$app/"
git -C "$app" init -q -b main
commit() { git -C "$app" add -A && git -C "$app" -c user.name=demo -c user.email=demo@example.invalid commit -qm "$1"; }
commit "v1"

echo "== tinyforge validate"
tinyforge -c "$app/tinyforge.yml" validate

echo "== deploy v1"
tinyforge -c "$app/tinyforge.yml" deploy web --stage production
url=$(tinyforge -c "$app/tinyforge.yml" status web --json | node -e 'process.stdin.on("data",d=>console.log(JSON.parse(d)[0].url))')
echo "   $url serves: $(curl -fsS "$url")"

echo "== deploy v2 (blue-green: v2 starts beside v1, passes /healthz, then v1 is retired)"
sed -i 's/v1/v2/' "$app/www/index.html"
commit "v2"
tinyforge -c "$app/tinyforge.yml" deploy web --stage production
url=$(tinyforge -c "$app/tinyforge.yml" status web --json | node -e 'process.stdin.on("data",d=>console.log(JSON.parse(d)[0].url))')
echo "   $url serves: $(curl -fsS "$url")"

echo "== status"
tinyforge -c "$app/tinyforge.yml" status
echo
echo "The app checkout is $app; state and history are in ~/.tinyforge/hello on the host."
