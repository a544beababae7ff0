#!/usr/bin/env bash
# Time travel with kubectl. A fresh all-in-one cluster lives through a small incident: a deployment is rolled out,
# scaled, given a new image, loses the node it runs on (its pods move to the other node) and is rolled back. At
# five moments the script captures `kubectl get <kinds> -A -o json` live, with the revision it was served at.
# Afterwards the same command through a `kronika history kubeconfig --revision R` kubeconfig (and once through
# --server .../history/revision/R, once through /history/time/T) must print exactly what was captured; describe,
# a watch from a past revision and a refused write are checked too.
#
#   tests/kubectl/history.sh     starts its own cluster (launcher/target/kronika.jar) on free ports in a temp dir,
#                                with one in-process simulated node and a second one in its own process, and always
#                                stops both
#
# The captured kinds are the ones the scenario changes and that only change through it or the components it starts:
# deployments, replicasets, pods, services, configmaps and nodes. Leases and events are left out: they are written
# continuously (lease renewals) or by controllers in reaction, and add nothing to the question asked here.
#
# Environment: KUBECTL (default /usr/bin/kubectl), KRONIKA (command that runs the launcher, default
# "java -jar <repo>/launcher/target/kronika.jar").
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
KUBECTL="${KUBECTL:-/usr/bin/kubectl}"
KRONIKA="${KRONIKA:-java -jar $ROOT/launcher/target/kronika.jar}"
KINDS="deployments.apps,replicasets.apps,pods,services,configmaps,nodes"
NS=shop
[ -x "$KUBECTL" ] || { echo "FAIL: kubectl not found at $KUBECTL" >&2; exit 1; }
command -v jq > /dev/null || { echo "FAIL: jq is needed (apt-get install jq)" >&2; exit 1; }

WORK="$(mktemp -d "${TMPDIR:-/tmp}/kronika-history.XXXXXX")"
STEPS=0
KUBELET_PID=""
WATCH_PID=""
# shellcheck source=tests/kubectl/lib.sh
source "$ROOT/tests/kubectl/lib.sh"
cleanup() {
  local code=$?
  [ -n "$WATCH_PID" ] && kill "$WATCH_PID" 2>/dev/null || true
  [ -n "$KUBELET_PID" ] && kill -9 "$KUBELET_PID" 2>/dev/null || true
  stop_cluster $code
  if [ $code -ne 0 ] && [ -f "$WORK/kubelet.log" ]; then
    echo "--- end of the second node's log:" >&2
    tail -n 20 "$WORK/kubelet.log" >&2
  fi
  rm -rf "$WORK"
  exit $code
}
trap cleanup EXIT

start_cluster
API="$(jq -r .apiUrl "$WORK/data/kronika.status.json")"
LIVE_NODE="$(k get nodes -o jsonpath='{.items[0].metadata.name}')"

# The node that will die runs in its own process.
$KRONIKA kubelet --data-dir "$WORK/data" --node doomed --runtime sim --root-dir "$WORK/doomed" > "$WORK/kubelet.log" 2>&1 &
KUBELET_PID=$!
ready() { k get node "$1" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}'; }
eventually "the second node registers and is Ready" "True" 120 ready doomed

# The revision the API serves now: the resourceVersion of a list (every list is cut at the view's revision).
revision() { k get --raw '/api/v1/namespaces?limit=1' | jq -r .metadata.resourceVersion; }

# capture N: `get $KINDS -A -o json` live, kept only if the revision was the same before and after it (else nothing
# in the cluster may have changed between the lists kubectl makes one kind at a time); retried until it was.
capture() {
  local n="$1" before after
  STEPS=$((STEPS + 1))
  for _ in $(seq 1 100); do
    before="$(revision)"
    k get "$KINDS" -A -o json > "$WORK/live-$n.json"
    after="$(revision)"
    if [ "$before" = "$after" ]; then
      echo "$before" > "$WORK/revision-$n"
      echo "moment $n: revision $before, $(jq '.items | length' "$WORK/live-$n.json") objects"
      return 0
    fi
  done
  fail "moment $n: the cluster never held still for one kubectl get (last revisions $before, $after)"
}

# running_web NODE IMAGE: how many web pods run Ready, not terminating, on NODE with IMAGE.
running_web() {
  k get pods -n "$NS" -l app=web -o json | jq --arg node "$1" --arg image "$2" '[.items[]
    | select(.metadata.deletionTimestamp == null and .spec.nodeName == $node and .spec.containers[0].image == $image)
    | select([.status.conditions[]? | select(.type == "Ready" and .status == "True")] | length > 0)] | length'
}

# --- the scenario ------------------------------------------------------------------------------------------------
ok "cordon the first node, so that the deployment starts on the one that will die" k cordon "$LIVE_NODE"
ok "create namespace" k create namespace "$NS"
ok "create configmap" k -n "$NS" create configmap web-config --from-literal=greeting=hello
ok "create service" k -n "$NS" create service clusterip web --tcp=80:8080
cat > "$WORK/web.yaml" <<YAML
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: $NS}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      # leave an unreachable node after 2 s instead of Kubernetes' default 300 s
      tolerations: [{key: node.kubernetes.io/unreachable, operator: Exists, effect: NoExecute, tolerationSeconds: 2}]
      containers: [{name: web, image: "registry.example/web:1"}]
YAML
ok "deploy" k apply -f "$WORK/web.yaml"
ok "the deployment rolls out" k -n "$NS" rollout status deploy/web --timeout=120s
eventually "both pods run on the second node" "2" 60 running_web doomed registry.example/web:1
capture 1

ok "scale to 4" k -n "$NS" scale deploy/web --replicas=4
ok "the scale-up rolls out" k -n "$NS" rollout status deploy/web --timeout=120s
eventually "four pods run on the second node" "4" 60 running_web doomed registry.example/web:1
capture 2
MOMENT_2_TIME="$(date -u +%Y-%m-%dT%H:%M:%S.%3NZ)"
is "nothing happened between moment 2 and its time" "$(cat "$WORK/revision-2")" revision

ok "roll out a new image" k -n "$NS" set image deploy/web web=registry.example/web:2
ok "the new image rolls out" k -n "$NS" rollout status deploy/web --timeout=120s
eventually "four new pods run on the second node" "4" 60 running_web doomed registry.example/web:2
capture 3

ok "uncordon the first node" k uncordon "$LIVE_NODE"
kill -9 "$KUBELET_PID"
wait "$KUBELET_PID" 2> /dev/null || true
KUBELET_PID=""
echo "the second node died; its lease expires after 40 s, then its pods are evicted and replaced"
eventually "the second node is NotReady (Unknown)" "Unknown" 120 ready doomed
eventually "four pods run on the first node" "4" 120 running_web "$LIVE_NODE" registry.example/web:2
capture 4

ok "roll back" k -n "$NS" rollout undo deploy/web
ok "the rollback rolls out" k -n "$NS" rollout status deploy/web --timeout=120s
eventually "four old-image pods run on the first node" "4" 120 running_web "$LIVE_NODE" registry.example/web:1
capture 5

# --- the past, as it was -----------------------------------------------------------------------------------------
# past N CMD...: kubectl with the kubeconfig of moment N (its own discovery cache: the past has its own API).
past() { local n="$1"; shift; "$KUBECTL" --kubeconfig "$WORK/past-$n.kubeconfig" --cache-dir "$WORK/cache-$n" --request-timeout=60s "$@"; }

# same WHAT EXPECTED-FILE ACTUAL-FILE: byte for byte, else the first differences.
same() {
  STEPS=$((STEPS + 1))
  cmp -s "$2" "$3" && return 0
  diff <(jq -S . "$2") <(jq -S . "$3") | head -n 40 >&2 || true
  fail "$1: $3 differs from $2"
}

for n in 1 2 3 4 5; do
  R="$(cat "$WORK/revision-$n")"
  ok "history kubeconfig for moment $n" $KRONIKA history kubeconfig --data-dir "$WORK/data" --revision "$R" --out "$WORK/past-$n.kubeconfig"
  is "its server is the time-travel URL" "$API/history/revision/$R" \
    "$KUBECTL" --kubeconfig "$WORK/past-$n.kubeconfig" config view --minify -o jsonpath='{.clusters[0].cluster.server}'
  ok "get -A -o json at revision $R" past "$n" get "$KINDS" -A -o json
  cp "$WORK/out" "$WORK/past-$n.json"
  same "moment $n (revision $R)" "$WORK/live-$n.json" "$WORK/past-$n.json"
done

R3="$(cat "$WORK/revision-3")"
ok "--server .../history/revision/R works as well" k --server "$API/history/revision/$R3" get "$KINDS" -A -o json
cp "$WORK/out" "$WORK/server-3.json"
same "moment 3 through --server" "$WORK/live-3.json" "$WORK/server-3.json"

ok "history kubeconfig for moment 2 by its time" \
  $KRONIKA history kubeconfig --data-dir "$WORK/data" --time "$MOMENT_2_TIME" --out "$WORK/past-time.kubeconfig"
is "its server names the time" "$API/history/time/$MOMENT_2_TIME" \
  "$KUBECTL" --kubeconfig "$WORK/past-time.kubeconfig" config view --minify -o jsonpath='{.clusters[0].cluster.server}'
ok "get -A -o json at $MOMENT_2_TIME" "$KUBECTL" --kubeconfig "$WORK/past-time.kubeconfig" --cache-dir "$WORK/cache-time" \
  get "$KINDS" -A -o json
cp "$WORK/out" "$WORK/time-2.json"
same "moment 2 through /history/time/$MOMENT_2_TIME" "$WORK/live-2.json" "$WORK/time-2.json"

# describe reads the object and its events as of the revision (the events list uses an involvedObject field selector)
has "describe at moment 1: two replicas" "2 desired" past 1 -n "$NS" describe deploy web
has "describe at moment 1: the first image" "registry.example/web:1" past 1 -n "$NS" describe deploy web
has "describe at moment 1: the first scale-up event" "from 0 to 2" past 1 -n "$NS" describe deploy web
STEPS=$((STEPS + 1))
if grep -qF "from 2 to 4" "$WORK/out"; then fail "describe at moment 1 shows the later scale to 4"; fi
has "describe at moment 2: the scale event" "from 2 to 4" past 2 -n "$NS" describe deploy web
POD_1="$(jq -r '[.items[] | select(.kind == "Pod" and .metadata.namespace == "shop")][0].metadata.name' "$WORK/live-1.json")"
has "describe a pod at moment 1: it ran on the second node" "doomed/" past 1 -n "$NS" describe pod "$POD_1"
has "describe a node at moment 4: the unreachable taint" "node.kubernetes.io/unreachable" past 4 describe node doomed
has "get pods table at moment 3" "Running" past 3 -n "$NS" get pods
has "api-resources at moment 1" "deployments" past 1 api-resources
has "explain at moment 1 (OpenAPI v3 under the history URL)" "FIELD: replicas <integer>" past 1 explain deployment.spec.replicas

# a watch from moment 1 replays what followed: the scale, the new image, the rollback
past 1 -n "$NS" get deploy web -w -o jsonpath='{.spec.replicas} {.spec.template.spec.containers[0].image}{"\n"}' \
  > "$WORK/watch.out" 2> "$WORK/watch.err" &
WATCH_PID=$!
replayed() { uniq "$WORK/watch.out" | tr '\n' '|'; }
eventually "the watch from moment 1 replays scale, roll-out and rollback" \
  "2 registry.example/web:1|4 registry.example/web:1|4 registry.example/web:2|4 registry.example/web:1|" 60 replayed
kill "$WATCH_PID" 2>/dev/null || true
WATCH_PID=""

# the past is read-only
fails "scale in the past" past 1 -n "$NS" scale deploy/web --replicas=9
grep -qF "MethodNotAllowed" "$WORK/err" || fail "scale in the past: no MethodNotAllowed in: $(cat "$WORK/err")"
fails "delete in the past" past 1 -n "$NS" delete pod "$POD_1" --wait=false
grep -qF "MethodNotAllowed" "$WORK/err" || fail "delete in the past: no MethodNotAllowed in: $(cat "$WORK/err")"
is "the live deployment still has 4 replicas" "4" k -n "$NS" get deploy web -o jsonpath='{.spec.replicas}'

echo "history: all $STEPS steps passed"
