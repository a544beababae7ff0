# Step helpers of the kubectl scripts (sourced). The caller sets KUBECTL, KRONIKA (command that runs the launcher),
# WORK (a scratch dir) and STEPS=0. Every step asserts on kubectl's exit code or output; the first mismatch fails the
# run (exit 1) and says what was expected and what came.

# start_cluster: a fresh all-in-one cluster in $WORK/data on free ports with one simulated node; KUBECONFIG is its
# kubeconfig.
start_cluster() {
  $KRONIKA up -d --data-dir "$WORK/data" --api-port 0 --nodes 1 --runtime sim > "$WORK/up.log" 2>&1 \
    || { cat "$WORK/up.log" >&2; echo "FAIL: the cluster did not start" >&2; exit 1; }
  export KUBECONFIG="$WORK/data/kubeconfig"
}

# stop_cluster EXIT_CODE: stops the cluster of $WORK/data if there is one; after a failure, shows the end of its log.
stop_cluster() {
  if [ -d "$WORK/data" ]; then
    $KRONIKA down --data-dir "$WORK/data" > /dev/null 2>&1 || true
  fi
  if [ "$1" -ne 0 ] && [ -f "$WORK/data/kronika.log" ]; then
    echo "--- end of the cluster log:" >&2
    tail -n 40 "$WORK/data/kronika.log" >&2
  fi
}

k() { "$KUBECTL" --cache-dir "$WORK/cache" --request-timeout=60s "$@"; }

fail() { echo "FAIL [step $STEPS]: $*" >&2; exit 1; }

# ok DESCRIPTION CMD...: the command must succeed.
ok() {
  local what="$1"; shift; STEPS=$((STEPS + 1))
  local rc=0
  "$@" > "$WORK/out" 2> "$WORK/err" || rc=$?
  [ $rc -eq 0 ] || fail "$what: exit $rc from: $*"$'\n'"$(cat "$WORK/out" "$WORK/err")"
}

# fails DESCRIPTION CMD...: the command must fail.
fails() {
  local what="$1"; shift; STEPS=$((STEPS + 1))
  if "$@" > "$WORK/out" 2> "$WORK/err"; then
    fail "$what: expected a failure from: $*"$'\n'"$(cat "$WORK/out")"
  fi
}

# is DESCRIPTION EXPECTED CMD...: the command must succeed and print exactly EXPECTED (trailing newline ignored).
is() {
  local what="$1" expected="$2"; shift 2; STEPS=$((STEPS + 1))
  local got
  if ! got="$("$@" 2> "$WORK/err")"; then
    fail "$what: exit from: $*"$'\n'"$(cat "$WORK/err")"
  fi
  [ "$got" = "$expected" ] || fail "$what: expected [$expected], got [$got] from: $*"
}

# has DESCRIPTION TEXT CMD...: the command must succeed and its output (stdout+stderr) contain TEXT.
has() {
  local what="$1" text="$2"; shift 2; STEPS=$((STEPS + 1))
  if ! "$@" > "$WORK/out" 2>&1; then
    fail "$what: exit from: $*"$'\n'"$(cat "$WORK/out")"
  fi
  grep -qF -- "$text" "$WORK/out" || fail "$what: [$text] not in the output of: $*"$'\n'"$(cat "$WORK/out")"
}

# header DESCRIPTION EXPECTED CMD...: the first line of a table, spaces squeezed.
header() {
  local what="$1" expected="$2"; shift 2; STEPS=$((STEPS + 1))
  local got
  got="$("$@" 2> "$WORK/err" | head -n 1 | tr -s ' ' | sed 's/ $//')" || true
  [ "$got" = "$expected" ] || fail "$what: expected header [$expected], got [$got] from: $*"$'\n'"$(cat "$WORK/err")"
}

# eventually DESCRIPTION EXPECTED SECONDS CMD...: poll (deadline, no fixed sleep as synchronisation) until the
# command prints EXPECTED.
eventually() {
  local what="$1" expected="$2" seconds="$3"; shift 3; STEPS=$((STEPS + 1))
  local deadline=$((SECONDS + seconds)) got=""
  while [ $SECONDS -le $deadline ]; do
    got="$("$@" 2>/dev/null || true)"
    [ "$got" = "$expected" ] && return 0
    sleep 0.2
  done
  fail "$what: expected [$expected] within ${seconds}s, last got [$got] from: $*"
}
