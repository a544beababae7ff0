#!/usr/bin/env bash
# Makes a Docker engine answer on this machine and builds the local images the kubelet's docker runtime and its
# tests use (no registry is reachable: images are made with `docker import`).
#
#   scripts/docker-engine.sh ensure   install docker.io and busybox-static if missing, start dockerd if no engine
#                                     answers, build kronika/busybox:local if missing (the default)
#   scripts/docker-engine.sh stop     stop the dockerd this script started (by its recorded PID)
#   scripts/docker-engine.sh status   say whether an engine answers
#
# Needs root to install packages and start dockerd. Idempotent; safe to call from every test run.
set -euo pipefail

IMAGE="${KRONIKA_BUSYBOX_IMAGE:-kronika/busybox:local}"
STATE_DIR="${KRONIKA_DOCKERD_STATE:-/tmp/kronika-dockerd}"
PID_FILE="$STATE_DIR/dockerd.pid"
LOG_FILE="$STATE_DIR/dockerd.log"

answers() { timeout 10 docker info >/dev/null 2>&1; }

install_packages() {
  local missing=()
  command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
  [[ -x /bin/busybox ]] || missing+=(busybox-static)
  command -v docker >/dev/null 2>&1 || missing+=(docker.io)
  if (( ${#missing[@]} == 0 )); then
    return
  fi
  if [[ $EUID -ne 0 ]]; then
    echo "docker-engine.sh: needs root to install ${missing[*]}" >&2
    exit 1
  fi
  echo "docker-engine.sh: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null 2>&1 \
    || { apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; }
}

start_engine() {
  if answers; then
    return
  fi
  install_packages
  if [[ $EUID -ne 0 ]]; then
    echo "docker-engine.sh: no Docker engine answers and starting dockerd needs root" >&2
    exit 1
  fi
  mkdir -p "$STATE_DIR"
  echo "docker-engine.sh: starting dockerd (log: $LOG_FILE)"
  nohup dockerd >"$LOG_FILE" 2>&1 &
  echo $! >"$PID_FILE"
  for _ in $(seq 1 120); do
    if answers; then
      echo "docker-engine.sh: dockerd answers (pid $(cat "$PID_FILE"))"
      return
    fi
    if ! kill -0 "$(cat "$PID_FILE")" 2>/dev/null; then
      echo "docker-engine.sh: dockerd exited; its log:" >&2
      tail -n 30 "$LOG_FILE" >&2
      exit 1
    fi
    sleep 0.5
  done
  echo "docker-engine.sh: dockerd did not answer within 60 s; its log:" >&2
  tail -n 30 "$LOG_FILE" >&2
  exit 1
}

build_busybox_image() {
  if docker image inspect "$IMAGE" >/dev/null 2>&1; then
    return
  fi
  install_packages
  local rootfs
  rootfs="$(mktemp -d)"
  mkdir -p "$rootfs/bin" "$rootfs/etc" "$rootfs/tmp" "$rootfs/root" "$rootfs/proc" "$rootfs/sys" "$rootfs/dev" "$rootfs/var/www"
  chmod 1777 "$rootfs/tmp"
  cp /bin/busybox "$rootfs/bin/busybox"
  for applet in $(/bin/busybox --list); do
    [[ "$applet" == busybox ]] || ln -sf busybox "$rootfs/bin/$applet"
  done
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' >"$rootfs/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$rootfs/etc/group"
  tar -C "$rootfs" -c . | docker import --change 'ENV PATH=/bin' --change 'CMD ["/bin/sh"]' - "$IMAGE" >/dev/null
  rm -rf "$rootfs"
  echo "docker-engine.sh: built $IMAGE"
}

case "${1:-ensure}" in
  ensure)
    start_engine
    build_busybox_image
    ;;
  stop)
    if [[ -f "$PID_FILE" ]] && kill -0 "$(cat "$PID_FILE")" 2>/dev/null; then
      kill "$(cat "$PID_FILE")"
      echo "docker-engine.sh: stopped dockerd $(cat "$PID_FILE")"
    fi
    rm -f "$PID_FILE"
    ;;
  status)
    if answers; then echo "a Docker engine answers"; else echo "no Docker engine answers"; exit 1; fi
    ;;
  *)
    echo "usage: $0 [ensure|stop|status]" >&2
    exit 2
    ;;
esac
