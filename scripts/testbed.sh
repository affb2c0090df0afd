#!/usr/bin/env bash
# The integration testbed: a real dockerd, sshd, container registry, Caddy and nginx on 127.0.0.1,
# plus the small test images, described for the tests in .testbed/env.json.
#
#   bash scripts/testbed.sh [up]   install what is missing, start what is not running, build images
#   bash scripts/testbed.sh down   stop what this script started (a dockerd it found running stays)
#   bash scripts/testbed.sh env    print .testbed/env (shell exports)
#
# `up` is idempotent: a process counts as running only when its pid file names a live process of the
# right program AND the service answers; anything else is (re)started. Ports: TESTBED_SSH_PORT
# (default 2222), TESTBED_REGISTRY_PORT (default 5000), TESTBED_CADDY_ADMIN_PORT (default 2019),
# TESTBED_CADDY_PORT (default 8780), TESTBED_NGINX_PORT (default 8781); an unset proxy port that
# something else holds is replaced by a free one, remembered in .testbed/ports/. All of it listens
# on 127.0.0.1 only. More hosts for multi-host deploys: a second and a third dockerd, each behind
# its own sshd (TESTBED_SSH2_PORT / TESTBED_SSH3_PORT, default 2223 / 2224) as its own user
# (TESTBED_ENGINE2_USER / TESTBED_ENGINE3_USER, default tinyforge2 / tinyforge3).
#
# Every service start waits until the service answers, at most TESTBED_START_TIMEOUT seconds (default
# 60); a service that exits meanwhile fails the start at once, with the tail of its own log.
# TESTBED_DIR (default .testbed/) holds the state: pid files, configs, logs, keys, env.json; a second
# instance needs its own TESTBED_DIR and ports (it reuses the running dockerd and never stops it).
# TESTBED_IMAGES=0 starts the services only, without building or pushing the test images.
# TESTBED_SWARM=0 (the default with TESTBED_IMAGES=0) leaves out the single-node Swarm: a dockerd of
# its own (socket /run/tf-swarm-HASH/docker.sock), `swarm init`, and Caddy as a container on its
# overlay network (TESTBED_SWARM_CADDY_PORT default 8790, TESTBED_SWARM_CADDY_ADMIN_PORT default
# 2029, vxlan on UDP TESTBED_SWARM_DATA_PORT default 4790).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TB="${TESTBED_DIR:-$ROOT/.testbed}"
START_TIMEOUT="${TESTBED_START_TIMEOUT:-60}"
SSH_PORT="${TESTBED_SSH_PORT:-2222}"
REGISTRY_PORT="${TESTBED_REGISTRY_PORT:-5000}"
REGISTRY="127.0.0.1:$REGISTRY_PORT"
DOCKER_SOCK=/var/run/docker.sock
# The docker CLI must talk to the engine managed here, whatever the caller's shell points it at.
export DOCKER_HOST="unix://$DOCKER_SOCK"
unset DOCKER_CONTEXT
HASH_LABEL=dev.tinyforge.testbed.hash
T0=$(date +%s%N)
BUILD_CTX=""
BUILT=""
trap '[ -z "$BUILD_CTX" ] || rm -rf "$BUILD_CTX"' EXIT

log() { printf '[testbed] %s\n' "$*"; }
die() {
  printf '[testbed] ERROR: %s\n' "$*" >&2
  exit 1
}
secs() { awk -v a="$1" -v b="$(date +%s%N)" 'BEGIN { printf "%.1f s", (b - a) / 1e9 }'; }

# A pid file counts only when the pid is alive and its command line still contains WANT (the config
# file for sshd and the registry): pids are reused, and `down` must never signal someone else's.
pid_alive() {
  local file="$1" want="$2" pid
  [ -s "$file" ] || return 1
  pid="$(<"$file")"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  [ -r "/proc/$pid/cmdline" ] || return 1
  # A zombie still has a /proc entry but no command line.
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q -- "$want"
}

# Stop the process in a pid file (only ever one this script started), TERM then KILL after 20 s.
stop_pid() {
  local file="$1" want="$2" name="$3" pid i
  if pid_alive "$file" "$want"; then
    pid="$(<"$file")"
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 200; i++)); do
      pid_alive "$file" "$want" || break
      sleep 0.1
    done
    if pid_alive "$file" "$want"; then
      kill -KILL "$pid" 2>/dev/null || true
      sleep 0.2
    fi
    log "$name: stopped (pid $pid)"
  fi
  rm -f "$file"
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# --- starting a service ---------------------------------------------------------------------------
# spawn PIDFILE LOG CMD...: run CMD in the foreground of its own session, in the background of this
# script, and record its pid. fd 9 (the lock) is closed so the service never holds it.
spawn() {
  local pidfile="$1" logfile="$2"
  shift 2
  setsid "$@" >>"$logfile" 2>&1 </dev/null 9>&- &
  echo $! >"$pidfile"
}

# A pid that exists and is not a zombie. Unlike pid_alive, this does not look at the command line: a
# child that has forked but not yet exec'd still shows this script's command line, and is starting.
pid_running() {
  local state
  state="$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1)" || return 1
  [ -n "$state" ] && [ "$state" != Z ]
}

# await_start NAME PIDFILE LOG CHECK...: wait until CHECK succeeds. The service is starting while its
# pid runs; once it is gone, the start fails at once with its log's tail; after START_TIMEOUT seconds
# it fails too (a loaded machine slows a start down, so the bound is generous).
await_start() {
  local name="$1" pidfile="$2" logfile="$3" pid rc=0 deadline=$((SECONDS + START_TIMEOUT))
  shift 3
  pid="$(<"$pidfile")"
  until "$@"; do
    if ! pid_running "$pid"; then
      wait "$pid" 2>/dev/null || rc=$?
      tail -n 20 "$logfile" >&2
      die "$name exited during start (exit status $rc, log: $logfile)"
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      tail -n 20 "$logfile" >&2
      die "$name did not answer within $START_TIMEOUT s (pid $pid still running, log: $logfile)"
    fi
    sleep 0.1
  done
}

# --- packages -------------------------------------------------------------------------------------
ensure_packages() {
  local missing=()
  command -v dockerd >/dev/null && command -v docker >/dev/null || missing+=(docker.io)
  [ -x /usr/sbin/sshd ] || missing+=(openssh-server)
  command -v ssh >/dev/null && command -v ssh-keygen >/dev/null || missing+=(openssh-client)
  command -v caddy >/dev/null || missing+=(caddy)
  command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx)
  # FROM scratch needs the static build; Debian's plain `busybox` package is dynamically linked.
  dpkg-query -W -f='${Status}' busybox-static 2>/dev/null | grep -q 'ok installed' || missing+=(busybox-static)
  command -v docker-registry >/dev/null || missing+=(docker-registry)
  command -v docker-compose >/dev/null || missing+=(docker-compose)
  command -v curl >/dev/null || missing+=(curl)
  # The dashboard's browser test drives Debian's chromium through playwright-core (no download).
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  # The example app's database image is assembled from Debian's PostgreSQL (test/images/postgres).
  [ -x /usr/lib/postgresql/15/bin/postgres ] || missing+=(postgresql-15)
  if [ ${#missing[@]} -eq 0 ]; then
    log "packages: all present"
    return
  fi
  local t
  t=$(date +%s%N)
  log "packages: installing ${missing[*]}"
  # Without systemd, package scripts may still start services through invoke-rc.d (nginx on :80 and
  # the registry on :5000 of every interface). A policy-rc.d that answers 101 forbids that.
  local policy_created=""
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod +x /usr/sbin/policy-rc.d
    policy_created=1
  fi
  local rc=0
  {
    apt-get update -qq &&
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
  } >"$TB/apt.log" 2>&1 || rc=$?
  [ -n "$policy_created" ] && rm -f /usr/sbin/policy-rc.d
  if [ "$rc" -ne 0 ]; then
    tail -n 30 "$TB/apt.log" >&2
    die "apt-get failed (log: $TB/apt.log)"
  fi
  log "packages: installed in $(secs "$t")"
}

# --- dockerd --------------------------------------------------------------------------------------
docker_answers() { docker info >/dev/null 2>&1; }

start_dockerd() {
  # dockerd refuses to start while /var/run/docker.pid names a live process, even an unrelated one
  # that reused the pid of a dockerd that died.
  if [ -s /var/run/docker.pid ] && ! pid_alive /var/run/docker.pid dockerd; then
    rm -f /var/run/docker.pid
  fi
  local t
  t=$(date +%s%N)
  spawn "$TB/dockerd.pid" "$TB/dockerd.log" dockerd --host "unix://$DOCKER_SOCK"
  await_start dockerd "$TB/dockerd.pid" "$TB/dockerd.log" docker_answers
  log "dockerd: started (pid $(<"$TB/dockerd.pid"), $(secs "$t"))"
}

# After another dockerd instance exited, the default bridge interface can be gone while the engine
# still answers; every `docker run` then fails with "could not find bridge docker0".
bridge_present() {
  local name
  name="$(docker network inspect bridge -f '{{ index .Options "com.docker.network.bridge.name" }}' 2>/dev/null || true)"
  [ -e "/sys/class/net/${name:-docker0}" ]
}

ensure_dockerd() {
  if docker_answers; then
    if pid_alive "$TB/dockerd.pid" dockerd; then
      log "dockerd: reused (pid $(<"$TB/dockerd.pid"))"
    else
      # Someone else's engine: use it, and never stop it in `down`.
      rm -f "$TB/dockerd.pid"
      log "dockerd: reused (already running, not started by this script)"
    fi
  else
    rm -f "$TB/dockerd.pid"
    start_dockerd
  fi
  if ! bridge_present; then
    if pid_alive "$TB/dockerd.pid" dockerd; then
      log "dockerd: bridge interface missing, restarting dockerd to recreate it"
      stop_pid "$TB/dockerd.pid" dockerd dockerd
      start_dockerd
      bridge_present || die "dockerd restarted but the bridge interface is still missing"
    else
      die "the running dockerd (not started here) has lost its bridge interface (\"could not find bridge docker0\"): restart it"
    fi
  fi
}

# --- sshd -----------------------------------------------------------------------------------------
ssh_check() {
  ssh -F /dev/null -i "$TB/id_ed25519" -o IdentitiesOnly=yes -o BatchMode=yes \
    -o UserKnownHostsFile="$TB/known_hosts" -o GlobalKnownHostsFile=/dev/null \
    -o StrictHostKeyChecking=yes -o ConnectTimeout=5 -o LogLevel=ERROR \
    -p "$SSH_PORT" root@127.0.0.1 true
}

ssh_check_quiet() { ssh_check 2>/dev/null; }

# Replace FILE with the content on stdin only when it differs; returns 0 when it changed.
write_if_changed() {
  local file="$1" tmp="$1.tmp"
  cat >"$tmp"
  if [ -f "$file" ] && cmp -s "$tmp" "$file"; then
    rm -f "$tmp"
    return 1
  fi
  mv "$tmp" "$file"
}

ensure_sshd() {
  mkdir -p /run/sshd
  chmod 0755 /run/sshd
  [ -f "$TB/ssh_host_ed25519_key" ] ||
    ssh-keygen -q -t ed25519 -N '' -C tinyforge-testbed-host -f "$TB/ssh_host_ed25519_key"
  [ -f "$TB/id_ed25519" ] ||
    ssh-keygen -q -t ed25519 -N '' -C tinyforge-testbed-client -f "$TB/id_ed25519"
  # ssh and sshd refuse private keys that others can read.
  chmod 600 "$TB/ssh_host_ed25519_key" "$TB/id_ed25519"

  local changed=""
  write_if_changed "$TB/authorized_keys" <"$TB/id_ed25519.pub" && changed=1
  write_if_changed "$TB/sshd_config" <<EOF && changed=1
# Generated by scripts/testbed.sh: the options verified in TESTBED.md, nothing else.
Port $SSH_PORT
ListenAddress 127.0.0.1
HostKey $TB/ssh_host_ed25519_key
PidFile $TB/sshd.pid
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
AuthorizedKeysFile $TB/authorized_keys
StrictModes no
AllowTcpForwarding yes
AllowStreamLocalForwarding yes
MaxStartups 100:30:200
Subsystem sftp internal-sftp
LogLevel INFO
EOF
  # known_hosts writes a non-default port as [host]:port.
  local pattern="[127.0.0.1]:$SSH_PORT"
  [ "$SSH_PORT" = 22 ] && pattern=127.0.0.1
  awk -v p="$pattern" '{ print p, $1, $2 }' "$TB/ssh_host_ed25519_key.pub" | write_if_changed "$TB/known_hosts" || true

  if pid_alive "$TB/sshd.pid" "$TB/sshd_config"; then
    if [ -z "$changed" ] && ssh_check; then
      log "sshd: reused 127.0.0.1:$SSH_PORT (pid $(<"$TB/sshd.pid"))"
      return
    fi
    stop_pid "$TB/sshd.pid" "$TB/sshd_config" sshd
  fi
  rm -f "$TB/sshd.pid"
  port_open "$SSH_PORT" &&
    die "127.0.0.1:$SSH_PORT is taken by a process this testbed did not start: set TESTBED_SSH_PORT"
  /usr/sbin/sshd -t -f "$TB/sshd_config" || die "sshd rejected $TB/sshd_config"
  # -D keeps sshd in the foreground: a daemonizing sshd detaches before it binds, so a bind failure
  # would only show as logins that never work. sshd writes the same pid to its PidFile.
  spawn "$TB/sshd.pid" "$TB/sshd.log" /usr/sbin/sshd -D -f "$TB/sshd_config" -E "$TB/sshd.log"
  await_start sshd "$TB/sshd.pid" "$TB/sshd.log" ssh_check_quiet
  log "sshd: started 127.0.0.1:$SSH_PORT (pid $(<"$TB/sshd.pid"))"
}

# --- registry -------------------------------------------------------------------------------------
registry_answers() { curl -fsS -o /dev/null --max-time 2 "http://$REGISTRY/v2/" 2>/dev/null; }

ensure_registry() {
  mkdir -p "$TB/registry"
  local changed=""
  write_if_changed "$TB/registry.yml" <<EOF && changed=1
# Generated by scripts/testbed.sh: Debian's docker-registry, plain HTTP on loopback (the docker
# engine allows http for 127.0.0.0/8 without an insecure-registries entry).
version: 0.1
log:
  level: warn
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $TB/registry
  delete:
    enabled: true
http:
  addr: $REGISTRY
EOF
  if pid_alive "$TB/registry.pid" "$TB/registry.yml"; then
    if [ -z "$changed" ] && registry_answers; then
      log "registry: reused $REGISTRY (pid $(<"$TB/registry.pid"))"
      return
    fi
    stop_pid "$TB/registry.pid" "$TB/registry.yml" registry
  fi
  rm -f "$TB/registry.pid"
  if port_open "$REGISTRY_PORT"; then
    # A registry someone else runs on this port serves the tests just as well.
    registry_answers || die "$REGISTRY is taken by something that is not a registry: set TESTBED_REGISTRY_PORT"
    log "registry: reused $REGISTRY (already running, not started by this script)"
    return
  fi
  spawn "$TB/registry.pid" "$TB/registry.log" docker-registry serve "$TB/registry.yml"
  await_start registry "$TB/registry.pid" "$TB/registry.log" registry_answers
  log "registry: started $REGISTRY (pid $(<"$TB/registry.pid"))"
}

# --- proxies --------------------------------------------------------------------------------------
# Caddy and nginx as a user's host runs them, each with its own config under .testbed/ so nothing
# touches /etc or /var/log. The proxy integration tests and the swap benchmark route through them.

free_port() {
  node -e 'const s = require("node:net").createServer(); s.listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); });'
}

# pick_port NAME ENV_VALUE DEFAULT PIDFILE WANT: the port a proxy listens on. An explicit env value
# wins; otherwise the port used last time (or DEFAULT) is kept while it is ours or free, and a free
# one is picked when someone else holds it (another clone's testbed on the same machine).
pick_port() {
  local file="$TB/ports/$1" env="$2" p="$3" pidfile="$4" want="$5"
  mkdir -p "$TB/ports"
  if [ -n "$env" ]; then
    echo "$env"
    return
  fi
  [ -s "$file" ] && p="$(<"$file")"
  if ! pid_alive "$pidfile" "$want" && port_open "$p"; then
    p="$(free_port)"
  fi
  echo "$p" >"$file"
  echo "$p"
}

# The one host setting the README tells Caddy users to make (section "Caddy's reloads and
# tcp_migrate_req"): Caddy opens a new SO_REUSEPORT socket for every config change, so for every
# swap, and closes the old one; Linux resets the connections still queued on the closed socket
# unless it may hand them to the new one. Without it a swap under load loses a few requests.
# The caddy and the proxies tests start here all live in this network namespace.
ensure_host_sysctls() {
  local f=/proc/sys/net/ipv4/tcp_migrate_req
  [ -e "$f" ] || die "this kernel has no net.ipv4.tcp_migrate_req (Linux 5.14+): Caddy's reloads would reset connections"
  [ "$(<"$f")" = 1 ] && return
  sysctl -qw net.ipv4.tcp_migrate_req=1 || die "cannot set net.ipv4.tcp_migrate_req=1"
  log "host: net.ipv4.tcp_migrate_req=1 (README: Caddy's reloads and tcp_migrate_req)"
}

caddy_answers() {
  curl -fsS -o /dev/null --max-time 2 -H "Host: 127.0.0.1:$CADDY_ADMIN_PORT" \
    "http://127.0.0.1:$CADDY_ADMIN_PORT/config/" 2>/dev/null
}

ensure_caddy() {
  local dir="$TB/caddy" changed=""
  mkdir -p "$dir/home" "$dir/data"
  CADDY_ADMIN_PORT="$(pick_port caddy-admin "${TESTBED_CADDY_ADMIN_PORT:-}" 2019 "$dir/caddy.pid" "$dir/caddy.json")"
  CADDY_PORT="$(pick_port caddy-http "${TESTBED_CADDY_PORT:-}" 8780 "$dir/caddy.pid" "$dir/caddy.json")"
  # No routes list: the driver must also work on a server that has none yet. persist: false keeps a
  # restart from bringing back routes that earlier runs left.
  write_if_changed "$dir/caddy.json" <<JSON && changed=1
{
  "admin": { "listen": "127.0.0.1:$CADDY_ADMIN_PORT", "config": { "persist": false } },
  "logging": { "logs": { "default": { "level": "WARN" } } },
  "storage": { "module": "file_system", "root": "$dir/data" },
  "apps": {
    "http": {
      "servers": {
        "srv0": { "listen": ["127.0.0.1:$CADDY_PORT"], "automatic_https": { "disable": true } }
      }
    }
  }
}
JSON
  if pid_alive "$dir/caddy.pid" "$dir/caddy.json"; then
    if [ -z "$changed" ] && caddy_answers; then
      log "caddy: reused admin 127.0.0.1:$CADDY_ADMIN_PORT, http 127.0.0.1:$CADDY_PORT (pid $(<"$dir/caddy.pid"))"
      return
    fi
    stop_pid "$dir/caddy.pid" "$dir/caddy.json" caddy
  fi
  rm -f "$dir/caddy.pid"
  ! port_open "$CADDY_ADMIN_PORT" || die "127.0.0.1:$CADDY_ADMIN_PORT is taken: set TESTBED_CADDY_ADMIN_PORT"
  ! port_open "$CADDY_PORT" || die "127.0.0.1:$CADDY_PORT is taken: set TESTBED_CADDY_PORT"
  # Caddy keeps state under HOME and the XDG dirs: point them into the testbed.
  spawn "$dir/caddy.pid" "$dir/caddy.log" env HOME="$dir/home" XDG_CONFIG_HOME="$dir/home/.config" \
    XDG_DATA_HOME="$dir/home/.local/share" caddy run --config "$dir/caddy.json"
  await_start caddy "$dir/caddy.pid" "$dir/caddy.log" caddy_answers
  log "caddy: started admin 127.0.0.1:$CADDY_ADMIN_PORT, http 127.0.0.1:$CADDY_PORT (pid $(<"$dir/caddy.pid"))"
}

# The catch-all server answers 404: anything else there is another program.
nginx_answers() {
  [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$NGINX_PORT/" 2>/dev/null)" = 404 ]
}

ensure_nginx() {
  local dir="$TB/nginx" changed="" bin
  bin="$(command -v nginx || echo /usr/sbin/nginx)"
  mkdir -p "$dir/conf.d" "$dir/tmp"
  NGINX_PORT="$(pick_port nginx-http "${TESTBED_NGINX_PORT:-}" 8781 "$dir/nginx.pid" "$dir/nginx.conf")"
  NGINX_CMD=("$bin" -p "$dir/" -c "$dir/nginx.conf" -e "$dir/error.log")
  write_if_changed "$dir/nginx.conf" <<CONF && changed=1
# Generated by scripts/testbed.sh. tinyforge's nginx driver writes one server block per route into
# conf.d/, then runs -t and -s reload through the command recorded in env.json.
worker_processes 2;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    # The default (1000) closes busy keep-alive connections on its own, which a load test would
    # count as resets even without a reload (TESTBED.md).
    keepalive_requests 1000000;
    client_body_temp_path $dir/tmp/body;
    proxy_temp_path $dir/tmp/proxy;
    fastcgi_temp_path $dir/tmp/fastcgi;
    uwsgi_temp_path $dir/tmp/uwsgi;
    scgi_temp_path $dir/tmp/scgi;
    server {
        listen 127.0.0.1:$NGINX_PORT default_server;
        return 404;
    }
    include $dir/conf.d/*.conf;
}
CONF
  if pid_alive "$dir/nginx.pid" "$dir/nginx.conf"; then
    if nginx_answers; then
      if [ -n "$changed" ]; then
        "${NGINX_CMD[@]}" -t -q || die "nginx rejected $dir/nginx.conf"
        "${NGINX_CMD[@]}" -s reload 9>&-
        log "nginx: reloaded 127.0.0.1:$NGINX_PORT (pid $(<"$dir/nginx.pid"))"
      else
        log "nginx: reused 127.0.0.1:$NGINX_PORT (pid $(<"$dir/nginx.pid"))"
      fi
      return
    fi
    stop_pid "$dir/nginx.pid" "$dir/nginx.conf" nginx
  fi
  rm -f "$dir/nginx.pid"
  ! port_open "$NGINX_PORT" || die "127.0.0.1:$NGINX_PORT is taken: set TESTBED_NGINX_PORT"
  "${NGINX_CMD[@]}" -t -q || die "nginx rejected $dir/nginx.conf (log: $dir/error.log)"
  # In the foreground, like every service here: its master's pid is the one recorded (nginx writes
  # the same to its pid file), and a failed bind shows as its exit.
  spawn "$dir/nginx.pid" "$dir/nginx.log" "${NGINX_CMD[@]}" -g 'daemon off;'
  await_start nginx "$dir/nginx.pid" "$dir/error.log" nginx_answers
  log "nginx: started 127.0.0.1:$NGINX_PORT (pid $(<"$dir/nginx.pid"))"
}

# --- images ---------------------------------------------------------------------------------------
tree_hash() { (cd "$1" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum) | sha256sum | cut -c1-16; }

# build_image TAG CONTEXT_DIR HASH [docker build args...]: builds only when the image is missing or
# its hash label differs, so a second `up` costs one `docker image inspect` per image.
build_image() {
  local tag="$1" ctx="$2" hash="$3" current out t
  shift 3
  current="$(docker image inspect -f "{{ index .Config.Labels \"$HASH_LABEL\" }}" "$tag" 2>/dev/null || true)"
  if [ "$current" = "$hash" ]; then
    log "image $tag: up to date"
    return
  fi
  t=$(date +%s%N)
  # No buildx plugin here: the classic builder resolves FROM tinyforge/busybox from the local store.
  out="$(DOCKER_BUILDKIT=0 docker build -q --label "$HASH_LABEL=$hash" --label dev.tinyforge.testbed=1 \
    -t "$tag" "$@" "$ctx" 2>&1)" || {
    printf '%s\n' "$out" >&2
    die "docker build of $tag failed"
  }
  BUILT=1
  log "image $tag: built ($(secs "$t"))"
}

# Push when the registry's manifest for the tag is not one of the local image's repo digests: covers
# a rebuilt image, a wiped registry and an earlier push that failed half-way.
push_image() {
  local tag="$1" remote="$REGISTRY/$1" repo name digest out
  repo="${tag%:*}"
  name="${tag##*:}"
  docker tag "$tag" "$remote"
  digest="$(curl -fsS -I --max-time 5 \
    -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' \
    "http://$REGISTRY/v2/$repo/manifests/$name" 2>/dev/null |
    awk 'tolower($1) == "docker-content-digest:" { print $2 }' | tr -d '\r' || true)"
  if [ -n "$digest" ] &&
    docker image inspect -f '{{ join .RepoDigests " " }}' "$remote" | grep -qF "$REGISTRY/$repo@$digest"; then
    log "push $remote: up to date"
    return
  fi
  out="$(docker push -q "$remote" 2>&1)" || {
    printf '%s\n' "$out" >&2
    die "docker push $remote failed"
  }
  log "push $remote: pushed"
}

ensure_images() {
  local ctx base_hash base_id web_hash crash_hash
  ctx="$(mktemp -d)"
  BUILD_CTX="$ctx" # removed by the EXIT trap, also when a build fails
  cp "$ROOT/test/images/busybox/Dockerfile" "$ctx/Dockerfile"
  cp /usr/bin/busybox "$ctx/busybox"
  base_hash="$(tree_hash "$ctx")"
  build_image tinyforge/busybox:latest "$ctx" "$base_hash"
  rm -rf "$ctx"

  # Derived images are rebuilt when their Dockerfile or the base image changes.
  base_id="$(docker image inspect -f '{{ .Id }}' tinyforge/busybox:latest)"
  web_hash="$( (tree_hash "$ROOT/test/images/web" && echo "$base_id") | sha256sum | cut -c1-16)"
  crash_hash="$( (tree_hash "$ROOT/test/images/crash" && echo "$base_id") | sha256sum | cut -c1-16)"
  build_image tinyforge/web:v1 "$ROOT/test/images/web" "$web_hash-v1" --build-arg VERSION=v1
  build_image tinyforge/web:v2 "$ROOT/test/images/web" "$web_hash-v2" --build-arg VERSION=v2
  build_image tinyforge/web:unhealthy "$ROOT/test/images/web" "$web_hash-unhealthy" \
    --build-arg VERSION=bad --build-arg HEALTHZ=no
  build_image tinyforge/web:crash "$ROOT/test/images/crash" "$crash_hash"
  # PostgreSQL from the host's packages; rebuilt when the scripts, the package or the base change.
  local pg_hash pg_ctx
  pg_hash="$( (tree_hash "$ROOT/test/images/postgres" && dpkg-query -W -f='${Version}' postgresql-15 &&
    echo "$base_id") | sha256sum | cut -c1-16)"
  if [ "$(docker image inspect -f "{{ index .Config.Labels \"$HASH_LABEL\" }}" tinyforge/postgres:15 2>/dev/null)" != "$pg_hash" ]; then
    pg_ctx="$(mktemp -d)"
    BUILD_CTX="$pg_ctx"
    sh "$ROOT/test/images/postgres/assemble.sh" "$pg_ctx"
    build_image tinyforge/postgres:15 "$pg_ctx" "$pg_hash"
    rm -rf "$pg_ctx"
  else
    log "image tinyforge/postgres:15: up to date"
  fi

  push_image tinyforge/web:v1
  push_image tinyforge/web:v2
  push_image tinyforge/web:unhealthy
  # A rebuild leaves the previous build untagged; drop those (images in use by a container stay).
  [ -z "$BUILT" ] || docker image prune -f --filter label=dev.tinyforge.testbed=1 >/dev/null
}

# --- more hosts: each its own Docker engine, its own sshd, its own user ------------------------
# Multi-host deploys need more machines; here each is another dockerd (own data root, exec root,
# socket, pid file and bridge, no iptables: ports published on 127.0.0.1 go through docker-proxy)
# behind its own sshd, logged into as its own user (so its home, and the deploy state under it, is
# not another host's). Its socket's group is that user's: nothing else reaches it as non-root.
# Tests reach engine N (2, 3) as engineN.host (ssh://USER@127.0.0.1:PORT?socket=SOCK); the test
# images are copied from the shared engine (docker save | docker load), and the registry serves all.
# Engine N's names: user tinyforgeN, /run/tinyforge-engineN, bridge tfhostNbr, 10.253.(N-2).1/24,
# sshd on 127.0.0.1:(2221+N); each overridable as TESTBED_ENGINEN_USER/_NAME/_BRIDGE/_CIDR and
# TESTBED_SSHN_PORT (a second testbed instance sets its own).
ENGINES="2 3"
declare -A ENGINE_USER ENGINE_SOCK SSH_PORTS

# Sets E_* for engine $1 (the caller declares them local).
engine_vars() {
  local n="$1" v
  v="TESTBED_ENGINE${n}_USER"
  E_USER="${!v:-tinyforge$n}"
  v="TESTBED_ENGINE${n}_NAME"
  E_NAME="${!v:-tinyforge-engine$n}"
  E_RUN="/run/$E_NAME"
  E_DATA="/var/lib/$E_NAME"
  E_SOCK="$E_RUN/docker.sock"
  v="TESTBED_ENGINE${n}_BRIDGE"
  E_BRIDGE="${!v:-tfhost${n}br}"
  v="TESTBED_ENGINE${n}_CIDR"
  E_CIDR="${!v:-10.253.$((n - 2)).1/24}"
  E_DIR="$TB/engine$n"
  ENGINE_USER[$n]="$E_USER"
  ENGINE_SOCK[$n]="$E_SOCK"
}

engine_answers() { docker -H "unix://$E_SOCK" info >/dev/null 2>&1; }

ensure_engine_user() {
  id "$E_USER" >/dev/null 2>&1 ||
    useradd --system --create-home --home-dir "/home/$E_USER" --shell /bin/sh "$E_USER"
  # A new account is locked ("!"), and sshd without PAM refuses a locked account even with a key:
  # "*" is no password at all, and not locked.
  [ "$(passwd -S "$E_USER" | awk '{ print $2 }')" != L ] || usermod -p '*' "$E_USER"
}

ensure_engine_bridge() {
  [ -e "/sys/class/net/$E_BRIDGE" ] && return
  local net="${E_CIDR%.*}."
  ip -4 route | grep -q "^${net}" && die "$E_CIDR is in use here: set TESTBED_ENGINE${1}_CIDR"
  ip link add "$E_BRIDGE" type bridge
  ip addr add "$E_CIDR" dev "$E_BRIDGE"
  ip link set "$E_BRIDGE" up
}

ensure_engine_dockerd() {
  local n="$1" t
  mkdir -p "$E_DIR" "$E_RUN/exec" "$E_DATA"
  if engine_answers; then
    if pid_alive "$E_DIR/dockerd.pid" "$E_SOCK"; then
      log "engine$n: reused $E_SOCK (pid $(<"$E_DIR/dockerd.pid"))"
    else
      # Another instance's (or someone's) engine: use it, and never stop it in `down`.
      rm -f "$E_DIR/dockerd.pid"
      log "engine$n: reused $E_SOCK (already running, not started by this script)"
    fi
    return
  fi
  stop_pid "$E_DIR/dockerd.pid" "$E_SOCK" "engine$n"
  ensure_engine_bridge "$n"
  t=$(date +%s%N)
  spawn "$E_DIR/dockerd.pid" "$E_DIR/dockerd.log" dockerd --data-root "$E_DATA" \
    --exec-root "$E_RUN/exec" --host "unix://$E_SOCK" --pidfile "$E_RUN/docker.pid" \
    --group "$E_USER" --bridge "$E_BRIDGE" --iptables=false --ip-forward=false --ip-masq=false
  await_start "engine$n" "$E_DIR/dockerd.pid" "$E_DIR/dockerd.log" engine_answers
  log "engine$n: started $E_SOCK (pid $(<"$E_DIR/dockerd.pid"), $(secs "$t"))"
}

# The test images, by id: one rebuilt on the shared engine is copied again.
ensure_engine_images() {
  local n="$1" image id
  for image in tinyforge/busybox:latest tinyforge/web:v1 tinyforge/web:v2 tinyforge/web:unhealthy tinyforge/web:crash; do
    id="$(docker image inspect -f '{{.Id}}' "$image" 2>/dev/null)" || continue
    [ "$(docker -H "unix://$E_SOCK" image inspect -f '{{.Id}}' "$image" 2>/dev/null)" = "$id" ] && continue
    docker save "$image" | docker -H "unix://$E_SOCK" load -q >/dev/null
    log "engine$n: copied $image"
  done
}

engine_ssh_check() {
  ssh -F /dev/null -i "$TB/id_ed25519" -o IdentitiesOnly=yes -o BatchMode=yes \
    -o UserKnownHostsFile="$E_DIR/known_hosts" -o GlobalKnownHostsFile=/dev/null \
    -o StrictHostKeyChecking=yes -o ConnectTimeout=5 -o LogLevel=ERROR \
    -p "$E_SSH_PORT" "$E_USER@127.0.0.1" true 2>/dev/null
}

ensure_engine_sshd() {
  local n="$1" changed="" v ordinal
  v="TESTBED_SSH${n}_PORT"
  E_SSH_PORT="$(pick_port "ssh$n" "${!v:-}" $((2221 + n)) "$E_DIR/sshd.pid" "$E_DIR/sshd_config")"
  SSH_PORTS[$n]="$E_SSH_PORT"
  case "$n" in 2) ordinal=second ;; 3) ordinal=third ;; *) ordinal="#$n" ;; esac
  [ -f "$E_DIR/ssh_host_ed25519_key" ] ||
    ssh-keygen -q -t ed25519 -N '' -C "tinyforge-testbed-host$n" -f "$E_DIR/ssh_host_ed25519_key"
  chmod 600 "$E_DIR/ssh_host_ed25519_key"
  write_if_changed "$E_DIR/sshd_config" <<EOF && changed=1
# Generated by scripts/testbed.sh: the $ordinal host's sshd (the first one's options, its own user).
Port $E_SSH_PORT
ListenAddress 127.0.0.1
HostKey $E_DIR/ssh_host_ed25519_key
PidFile $E_DIR/sshd.pid
AllowUsers $E_USER
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
AuthorizedKeysFile .ssh/authorized_keys
StrictModes no
AllowTcpForwarding yes
AllowStreamLocalForwarding yes
MaxStartups 100:30:200
Subsystem sftp internal-sftp
LogLevel INFO
EOF
  # In the user's own home: sshd reads it as that user, who cannot read a private TESTBED_DIR.
  local keys="/home/$E_USER/.ssh/authorized_keys"
  mkdir -p "${keys%/*}"
  grep -qxF "$(<"$TB/id_ed25519.pub")" "$keys" 2>/dev/null || cat "$TB/id_ed25519.pub" >>"$keys"
  chown -R "$E_USER:" "${keys%/*}"
  awk -v p="[127.0.0.1]:$E_SSH_PORT" '{ print p, $1, $2 }' "$E_DIR/ssh_host_ed25519_key.pub" |
    write_if_changed "$E_DIR/known_hosts" || true
  if pid_alive "$E_DIR/sshd.pid" "$E_DIR/sshd_config"; then
    if [ -z "$changed" ] && engine_ssh_check; then
      log "engine$n sshd: reused 127.0.0.1:$E_SSH_PORT (pid $(<"$E_DIR/sshd.pid"))"
      return
    fi
    stop_pid "$E_DIR/sshd.pid" "$E_DIR/sshd_config" "engine$n sshd"
  fi
  rm -f "$E_DIR/sshd.pid"
  port_open "$E_SSH_PORT" && die "127.0.0.1:$E_SSH_PORT is taken: set TESTBED_SSH${n}_PORT"
  /usr/sbin/sshd -t -f "$E_DIR/sshd_config" || die "sshd rejected $E_DIR/sshd_config"
  spawn "$E_DIR/sshd.pid" "$E_DIR/sshd.log" /usr/sbin/sshd -D -f "$E_DIR/sshd_config" -E "$E_DIR/sshd.log"
  await_start "engine$n sshd" "$E_DIR/sshd.pid" "$E_DIR/sshd.log" engine_ssh_check
  log "engine$n sshd: started 127.0.0.1:$E_SSH_PORT as $E_USER (pid $(<"$E_DIR/sshd.pid"))"
}

ensure_engine() {
  local E_USER E_NAME E_RUN E_DATA E_SOCK E_BRIDGE E_CIDR E_DIR E_SSH_PORT
  engine_vars "$1"
  ensure_engine_user
  ensure_engine_dockerd "$1"
  ensure_engine_sshd "$1"
  [ "${TESTBED_IMAGES:-1}" = 0 ] || ensure_engine_images "$1"
}

stop_engine() {
  local E_USER E_NAME E_RUN E_DATA E_SOCK E_BRIDGE E_CIDR E_DIR
  engine_vars "$1"
  stop_pid "$E_DIR/sshd.pid" "$E_DIR/sshd_config" "engine$1 sshd"
  stop_pid "$E_DIR/dockerd.pid" "$E_SOCK" "engine$1"
}

# --- swarm ----------------------------------------------------------------------------------------
# A single-node Swarm on a Docker engine of its own: `swarm init` on the shared engine would change
# it for every other test run. Its own data and exec roots, socket, pid file and bridge,
# no iptables (nothing here is routed beyond loopback: published ports go through docker-proxy). Its
# docker_gwbridge is created first under a bridge name of its own, so it never clashes with another
# engine's. Images are copied from the shared engine (docker save | load): nothing is pulled. The
# proxy is Caddy as a container on the testbed's overlay network, from Debian's caddy binary: the
# routing mesh and service VIPs need IPVS, which this machine lacks, so the proxy dials the tasks.
SWARM_DIR="$TB/swarm"
# A unix socket path must stay short: the run dir is /run/tf-swarm-HASH, HASH from TESTBED_DIR.
SWARM_ID="$(printf '%s' "$TB" | sha256sum | cut -c1-6)"
SWARM_RUN="/run/tf-swarm-$SWARM_ID"
SWARM_SOCK="$SWARM_RUN/docker.sock"
SWARM_NETWORK=tinyforge-testbed
SWARM_CADDY=tinyforge-testbed-caddy
# Set by ensure_swarm; empty when an instance runs without the swarm (write_env reads them).
SWARM_CADDY_ADMIN_PORT=""
SWARM_CADDY_PORT=""
swarm_docker() { DOCKER_HOST="unix://$SWARM_SOCK" docker "$@"; }
swarm_answers() { swarm_docker info >/dev/null 2>&1; }

# Its own default bridge, never `--bridge none`: a dockerd started without a bridge deletes the
# interface named docker0, which is the shared engine's, and every `docker run` there then fails.
ensure_swarm_bridge() {
  [ -e "/sys/class/net/tfsw$SWARM_ID" ] && return
  local subnet
  subnet="$(swarm_subnet bridge)"
  ip link add "tfsw$SWARM_ID" type bridge
  ip addr add "${subnet%.0/24}.1/24" dev "tfsw$SWARM_ID"
  ip link set "tfsw$SWARM_ID" up
}

start_swarm_dockerd() {
  mkdir -p "$SWARM_DIR" "$SWARM_RUN"
  ensure_swarm_bridge
  spawn "$SWARM_DIR/dockerd.pid" "$SWARM_DIR/dockerd.log" dockerd --data-root "$SWARM_DIR/data" \
    --exec-root "$SWARM_RUN/exec" -H "unix://$SWARM_SOCK" --pidfile "$SWARM_RUN/dockerd.pid" \
    --bridge "tfsw$SWARM_ID" --iptables=false --ip-forward=false --ip-masq=false
  await_start "swarm dockerd" "$SWARM_DIR/dockerd.pid" "$SWARM_DIR/dockerd.log" swarm_answers
  log "swarm dockerd: started unix://$SWARM_SOCK (pid $(<"$SWARM_DIR/dockerd.pid"))"
}

# A /24 under 10.251/16 that no interface here routes yet (remembered, so an `up` keeps it).
swarm_subnet() {
  local file="$SWARM_DIR/$1-subnet" used n
  if [ -s "$file" ]; then
    cat "$file"
    return
  fi
  used="$(ip -4 route; cat "$SWARM_DIR"/*-subnet 2>/dev/null || true)"
  for n in $(seq 10 250); do
    if ! grep -q "10\.251\.$n\." <<<"$used"; then
      echo "10.251.$n.0/24" | tee "$file"
      return
    fi
  done
  die "no free /24 under 10.251.0.0/16 for the swarm engine"
}

ensure_swarm_init() {
  [ "$(swarm_docker info -f '{{ .Swarm.LocalNodeState }}')" = active ] && return
  if ! swarm_docker network inspect docker_gwbridge >/dev/null 2>&1; then
    swarm_docker network create --subnet "$(swarm_subnet gw)" \
      --opt "com.docker.network.bridge.name=tfgw$SWARM_ID" \
      --opt com.docker.network.bridge.enable_icc=false \
      --opt com.docker.network.bridge.enable_ip_masquerade=false docker_gwbridge >/dev/null
  fi
  SWARM_PORT="$(pick_port swarm-listen "${TESTBED_SWARM_PORT:-}" 2378 "$SWARM_DIR/dockerd.pid" dockerd)"
  # The vxlan port is a UDP socket of the host: one of its own beside any other engine's 4789.
  swarm_docker swarm init --advertise-addr 127.0.0.1 --listen-addr "127.0.0.1:$SWARM_PORT" \
    --data-path-port "${TESTBED_SWARM_DATA_PORT:-4790}" --default-addr-pool 10.252.0.0/16 >/dev/null
  log "swarm: initialised (manager 127.0.0.1:$SWARM_PORT)"
}

# Copies an image from the shared engine when the swarm engine lacks it or has another build.
copy_to_swarm() {
  local want
  want="$(docker image inspect -f '{{ .Id }}' "$1")"
  [ "$(swarm_docker image inspect -f '{{ .Id }}' "$1" 2>/dev/null || true)" = "$want" ] && return
  docker save "$1" | swarm_docker load -q >/dev/null
  log "swarm image $1: copied"
}

# Debian's caddy is dynamically linked: the image carries it with the libraries ldd names.
ensure_swarm_caddy_image() {
  local ctx hash current out
  ctx="$(mktemp -d)"
  BUILD_CTX="$ctx"
  mkdir -p "$ctx/root/usr/bin"
  cp "$(command -v caddy)" "$ctx/root/usr/bin/caddy"
  ldd "$(command -v caddy)" | grep -o '/[^ ]*' | while read -r lib; do
    mkdir -p "$ctx/root$(dirname "$lib")"
    cp -L "$lib" "$ctx/root$lib"
  done
  printf 'FROM scratch\nCOPY root/ /\nENV HOME=/data XDG_CONFIG_HOME=/data/config XDG_DATA_HOME=/data/data\nCMD ["/usr/bin/caddy","run","--config","/etc/caddy/caddy.json"]\n' >"$ctx/Dockerfile"
  hash="$(tree_hash "$ctx")"
  current="$(swarm_docker image inspect -f "{{ index .Config.Labels \"$HASH_LABEL\" }}" tinyforge/caddy:testbed 2>/dev/null || true)"
  if [ "$current" != "$hash" ]; then
    out="$(DOCKER_BUILDKIT=0 swarm_docker build -q --label "$HASH_LABEL=$hash" -t tinyforge/caddy:testbed "$ctx" 2>&1)" || {
      printf '%s\n' "$out" >&2
      die "docker build of tinyforge/caddy:testbed on the swarm engine failed"
    }
    log "swarm image tinyforge/caddy:testbed: built"
  fi
  rm -rf "$ctx"
}

# swarm_port NAME ENV_VALUE DEFAULT: a port the swarm proxy's container publishes. An explicit env
# value wins, then the one recorded last time (docker-proxy holds it while the container runs, so it
# looks taken), then DEFAULT when free, else any free port.
swarm_port() {
  local file="$TB/ports/$1" p="$3"
  mkdir -p "$TB/ports"
  if [ -n "$2" ]; then
    p="$2"
  elif [ -s "$file" ]; then
    p="$(<"$file")"
  elif port_open "$p"; then
    p="$(free_port)"
  fi
  echo "$p" >"$file"
  echo "$p"
}

swarm_caddy_answers() {
  curl -fsS -o /dev/null --max-time 2 -H "Host: 127.0.0.1:$SWARM_CADDY_ADMIN_PORT" \
    "http://127.0.0.1:$SWARM_CADDY_ADMIN_PORT/config/" 2>/dev/null
}

ensure_swarm_caddy() {
  local dir="$SWARM_DIR/caddy" changed="" running
  mkdir -p "$dir"
  SWARM_CADDY_ADMIN_PORT="$(swarm_port swarm-caddy-admin "${TESTBED_SWARM_CADDY_ADMIN_PORT:-}" 2029)"
  SWARM_CADDY_PORT="$(swarm_port swarm-caddy-http "${TESTBED_SWARM_CADDY_PORT:-}" 8790)"
  # The admin API listens on the same port inside as it is published on: Caddy checks the Host.
  write_if_changed "$dir/caddy.json" <<JSON && changed=1
{
  "admin": { "listen": "0.0.0.0:$SWARM_CADDY_ADMIN_PORT", "config": { "persist": false } },
  "logging": { "logs": { "default": { "level": "WARN" } } },
  "apps": { "http": { "servers": { "srv0": { "listen": [":80"], "automatic_https": { "disable": true } } } } }
}
JSON
  # A container has a network namespace of its own: the README's tcp_migrate_req goes in --sysctl.
  running="$(swarm_docker inspect -f '{{ .State.Running }} {{ index .HostConfig.Sysctls "net.ipv4.tcp_migrate_req" }}' "$SWARM_CADDY" 2>/dev/null || true)"
  if [ "$running" = "true 1" ] && [ -z "$changed" ] && swarm_caddy_answers; then
    log "swarm caddy: reused admin 127.0.0.1:$SWARM_CADDY_ADMIN_PORT, http 127.0.0.1:$SWARM_CADDY_PORT"
    return
  fi
  swarm_docker rm -f "$SWARM_CADDY" >/dev/null 2>&1 || true
  swarm_docker network inspect "$SWARM_NETWORK" >/dev/null 2>&1 ||
    swarm_docker network create -d overlay --attachable "$SWARM_NETWORK" >/dev/null
  swarm_docker run -d --name "$SWARM_CADDY" --network "$SWARM_NETWORK" --restart unless-stopped \
    --sysctl net.ipv4.tcp_migrate_req=1 \
    -p "127.0.0.1:$SWARM_CADDY_PORT:80" -p "127.0.0.1:$SWARM_CADDY_ADMIN_PORT:$SWARM_CADDY_ADMIN_PORT" \
    -v "$dir:/etc/caddy:ro" tinyforge/caddy:testbed >/dev/null
  local deadline=$((SECONDS + START_TIMEOUT))
  until swarm_caddy_answers; do
    [ "$SECONDS" -lt "$deadline" ] || {
      swarm_docker logs --tail 20 "$SWARM_CADDY" >&2
      die "swarm caddy did not answer within $START_TIMEOUT s"
    }
    sleep 0.2
  done
  log "swarm caddy: started admin 127.0.0.1:$SWARM_CADDY_ADMIN_PORT, http 127.0.0.1:$SWARM_CADDY_PORT"
}

ensure_swarm() {
  mkdir -p "$SWARM_DIR"
  if swarm_answers; then
    log "swarm dockerd: reused unix://$SWARM_SOCK"
  else
    rm -f "$SWARM_DIR/dockerd.pid" "$SWARM_RUN/dockerd.pid"
    start_swarm_dockerd
  fi
  ensure_swarm_init
  [ "${TESTBED_IMAGES:-1}" = 0 ] || {
    local image
    for image in tinyforge/busybox:latest tinyforge/web:v1 tinyforge/web:v2 tinyforge/web:unhealthy; do
      copy_to_swarm "$image"
    done
  }
  ensure_swarm_caddy_image
  ensure_swarm_caddy
}

stop_swarm() {
  # Its containers (the proxy) and services stop with it; the swarm and data root stay for reuse.
  stop_pid "$SWARM_DIR/dockerd.pid" "$SWARM_SOCK" "swarm dockerd"
}

# --- env ------------------------------------------------------------------------------------------
write_env() {
  # node writes the JSON so every value is escaped correctly; the script comes from a quoted heredoc.
  TB="$TB" SSH_PORT="$SSH_PORT" REGISTRY="$REGISTRY" DOCKER_SOCK="$DOCKER_SOCK" \
    CADDY_ADMIN_PORT="$CADDY_ADMIN_PORT" CADDY_PORT="$CADDY_PORT" NGINX_PORT="$NGINX_PORT" \
    NGINX_CMD="$(printf '%s\n' "${NGINX_CMD[@]}")" \
    SSH2_PORT="${SSH_PORTS[2]:-}" ENGINE2_USER="${ENGINE_USER[2]:-}" ENGINE2_SOCK="${ENGINE_SOCK[2]:-}" \
    SSH3_PORT="${SSH_PORTS[3]:-}" ENGINE3_USER="${ENGINE_USER[3]:-}" ENGINE3_SOCK="${ENGINE_SOCK[3]:-}" \
    SWARM_UP="$SWARM_UP" SWARM_SOCK="$SWARM_SOCK" SWARM_NETWORK="$SWARM_NETWORK" \
    SWARM_CADDY_ADMIN_PORT="$SWARM_CADDY_ADMIN_PORT" SWARM_CADDY_PORT="$SWARM_CADDY_PORT" node - <<'JS'
const fs = require("node:fs");
const { TB, SSH_PORT, REGISTRY, DOCKER_SOCK, CADDY_ADMIN_PORT, CADDY_PORT, NGINX_PORT, NGINX_CMD } = process.env;
const engine = (n) => {
  const port = process.env[`SSH${n}_PORT`];
  const user = process.env[`ENGINE${n}_USER`];
  const sock = process.env[`ENGINE${n}_SOCK`];
  return port ? {
    host: `ssh://${user}@127.0.0.1:${port}?socket=${sock}`,
    sshPort: Number(port),
    sshUser: user,
    dockerSocket: sock,
    knownHostsFile: `${TB}/engine${n}/known_hosts`,
  } : undefined;
};
const { SWARM_UP, SWARM_SOCK, SWARM_NETWORK, SWARM_CADDY_ADMIN_PORT, SWARM_CADDY_PORT } = process.env;
const env = {
  sshHost: "127.0.0.1",
  sshPort: Number(SSH_PORT),
  sshUser: "root",
  sshKeyFile: `${TB}/id_ed25519`,
  knownHostsFile: `${TB}/known_hosts`,
  sshdLog: `${TB}/sshd.log`,
  registry: REGISTRY,
  dockerSocket: DOCKER_SOCK,
  webPort: 8080,
  images: {
    busybox: "tinyforge/busybox:latest",
    webV1: "tinyforge/web:v1",
    webV2: "tinyforge/web:v2",
    webUnhealthy: "tinyforge/web:unhealthy",
    webCrash: "tinyforge/web:crash",
    postgres: "tinyforge/postgres:15",
    registryWebV1: `${REGISTRY}/tinyforge/web:v1`,
    registryWebV2: `${REGISTRY}/tinyforge/web:v2`,
    registryWebUnhealthy: `${REGISTRY}/tinyforge/web:unhealthy`,
  },
  // proxy: { driver: caddy, admin, server } reaches it; requests go to 127.0.0.1:port.
  caddy: {
    admin: `http://127.0.0.1:${CADDY_ADMIN_PORT}`,
    adminPort: Number(CADDY_ADMIN_PORT),
    server: "srv0",
    port: Number(CADDY_PORT),
  },
  // proxy: { driver: nginx, config_dir, command, listen } reaches it; requests go to 127.0.0.1:port.
  nginx: {
    configDir: `${TB}/nginx/conf.d`,
    command: NGINX_CMD.split("\n").filter(Boolean),
    listen: `127.0.0.1:${NGINX_PORT}`,
    port: Number(NGINX_PORT),
    errorLog: `${TB}/nginx/error.log`,
  },
  // A second host: its own dockerd behind its own sshd and user; the same client key.
  engine2: engine(2),
  // A third: the same, its own engine, sshd and user (bench/hosts.ts measures 1, 2 and 3 hosts).
  engine3: engine(3),
  // A single-node Swarm on its own engine, reached over the same sshd:
  // hosts: ["swarm+ssh://root@127.0.0.1:SSH_PORT?socket=SOCKET"], swarm: { network }, and a
  // proxy: { driver: caddy, admin } whose Caddy runs as a container on that overlay network.
  swarm: SWARM_UP ? {
    socket: SWARM_SOCK,
    host: `swarm+ssh://root@127.0.0.1:${SSH_PORT}?socket=${SWARM_SOCK}`,
    network: SWARM_NETWORK,
    caddyAdmin: `http://127.0.0.1:${SWARM_CADDY_ADMIN_PORT}`,
    caddyAdminPort: Number(SWARM_CADDY_ADMIN_PORT),
    caddyServer: "srv0",
    caddyPort: Number(SWARM_CADDY_PORT),
  } : undefined,
};
const quote = (v) => `'${String(v).replaceAll("'", `'"'"'`)}'`;
const snake = (k) => k.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toUpperCase();
const lines = ["# Generated by scripts/testbed.sh: source it to reach the testbed from a shell."];
for (const [k, v] of Object.entries(env)) {
  if (!v) continue;
  if (k === "images") {
    for (const [ik, iv] of Object.entries(v)) lines.push(`export TESTBED_IMAGE_${snake(ik)}=${quote(iv)}`);
  } else if (typeof v === "object") {
    for (const [ik, iv] of Object.entries(v)) {
      lines.push(`export TESTBED_${snake(k)}_${snake(ik)}=${quote(Array.isArray(iv) ? iv.join(" ") : iv)}`);
    }
  } else lines.push(`export TESTBED_${snake(k)}=${quote(v)}`);
}
// The names the tinyforge CLI reads, so `tinyforge deploy` works against the testbed as is.
lines.push(`export TINYFORGE_SSH_KEY_FILE=${quote(env.sshKeyFile)}`);
lines.push(`export TINYFORGE_KNOWN_HOSTS_FILE=${quote(env.knownHostsFile)}`);
// Write then rename: a test starting meanwhile reads the old file or the new one, never half of one.
fs.writeFileSync(`${TB}/env.json.tmp`, `${JSON.stringify(env, null, 2)}\n`);
fs.writeFileSync(`${TB}/env.tmp`, `${lines.join("\n")}\n`);
fs.renameSync(`${TB}/env.json.tmp`, `${TB}/env.json`);
fs.renameSync(`${TB}/env.tmp`, `${TB}/env`);
JS
}

# --- commands -------------------------------------------------------------------------------------
lock() {
  mkdir -p "$TB"
  # Several engineers (and their test runs) share this tree: one up/down at a time.
  # Daemons are started with fd 9 closed (9>&-): an inherited descriptor would hold the lock forever.
  exec 9>"$TB/up.lock"
  flock -w 600 9 || die "another testbed.sh holds $TB/up.lock"
}

cmd_up() {
  [ "$(id -u)" = 0 ] || die "must run as root (dockerd, sshd as root, apt-get)"
  lock
  ensure_packages
  ensure_dockerd
  ensure_sshd
  ensure_registry
  ensure_host_sysctls
  ensure_caddy
  ensure_nginx
  [ "${TESTBED_IMAGES:-1}" = 0 ] || ensure_images
  # The second host and the swarm are the main testbed's: an instance without images (the
  # testbed's own tests) must not take over their fixed names, user and keys.
  if [ "${TESTBED_ENGINE2:-${TESTBED_IMAGES:-1}}" != 0 ]; then
    for n in $ENGINES; do ensure_engine "$n"; done
  fi
  SWARM_UP=""
  if [ "${TESTBED_SWARM:-${TESTBED_IMAGES:-1}}" != 0 ]; then
    ensure_swarm
    SWARM_UP=1
  fi
  write_env
  log "ready in $(secs "$T0"): $TB/env.json"
}

cmd_down() {
  lock
  stop_pid "$TB/registry.pid" "$TB/registry.yml" registry
  stop_swarm
  stop_pid "$TB/nginx/nginx.pid" "$TB/nginx/nginx.conf" nginx
  stop_pid "$TB/caddy/caddy.pid" "$TB/caddy/caddy.json" caddy
  stop_pid "$TB/sshd.pid" "$TB/sshd_config" sshd
  for n in $ENGINES; do stop_engine "$n"; done
  # Only a dockerd this script started has a pid file; one found running is left alone.
  stop_pid "$TB/dockerd.pid" dockerd dockerd
  # The description no longer matches anything running; keys and registry storage stay for reuse.
  rm -f "$TB/env.json" "$TB/env"
  log "down in $(secs "$T0")"
}

cmd_env() {
  [ -f "$TB/env" ] || die "no $TB/env: run bash scripts/testbed.sh up"
  cat "$TB/env"
}

case "${1:-up}" in
up) cmd_up ;;
down) cmd_down ;;
env) cmd_env ;;
*) die "usage: $0 [up|down|env]" ;;
esac
