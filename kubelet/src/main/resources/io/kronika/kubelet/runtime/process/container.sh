#!/bin/sh
# Kronika process runtime: the monitor of one container (as conmon is for CRI-O). It runs the container's main
# process with its output on the FIFOs the kubelet reads, forwards SIGTERM/SIGINT/SIGHUP to it, and records how it
# ended in $dir/exit. Usage: container.sh DIR [CGROUP_PROCS_FILE...] -- COMMAND [ARG...]
d="$1"; shift
cgroups=""
while [ "$#" -gt 0 ] && [ "$1" != "--" ]; do cgroups="$cgroups $1"; shift; done
shift
echo "$$" > "$d/monitor.pid"
if [ -s "$d/mounts" ]; then
  tab="$(printf '\t')"
  while IFS="$tab" read -r src dst ro; do
    if [ ! -e "$dst" ]; then
      if [ -d "$src" ]; then mkdir -p "$dst"; else mkdir -p "$(dirname "$dst")" && : > "$dst"; fi
    fi
    if ! mount --bind "$src" "$dst" 2> "$d/start-error"; then
      echo 128 > "$d/exit.tmp" && mv "$d/exit.tmp" "$d/exit"
      exit 0
    fi
    if [ "$ro" = "ro" ]; then mount -o remount,bind,ro "$dst"; fi
  done < "$d/mounts"
fi
exec 3<>"$d/stdout" 4<>"$d/stderr"
if [ -p "$d/stdin" ]; then exec 5<>"$d/stdin"; else exec 5</dev/null; fi
KRONIKA_CGROUPS="$cgroups" /bin/sh -c 'for f in $KRONIKA_CGROUPS; do echo $$ > "$f"; done; unset KRONIKA_CGROUPS; exec "$@"' sh "$@" <&5 >&3 2>&4 &
child=$!
echo "$child" > "$d/pid.tmp" && mv "$d/pid.tmp" "$d/pid"
trap 'kill -TERM "$child" 2>/dev/null' TERM
trap 'kill -INT "$child" 2>/dev/null' INT
trap 'kill -HUP "$child" 2>/dev/null' HUP
while :; do
  wait "$child"
  code=$?
  if kill -0 "$child" 2>/dev/null; then continue; fi
  break
done
echo "$code" > "$d/exit.tmp" && mv "$d/exit.tmp" "$d/exit"
