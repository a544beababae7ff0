#!/usr/bin/env bash
# kubectl against Kronika, as a platform engineer's hands use it. Every step asserts on kubectl's exit code or its
# -o jsonpath / table output; the first mismatch fails the run (exit 1) and prints what was expected and what came.
#
#   tests/kubectl/run.sh                  start a fresh all-in-one cluster (launcher/target/kronika.jar) on free
#                                         ports in a temp dir, with one simulated node, run every step, always
#                                         stop it; pods run, so logs, exec, cp and top are checked end to end
#   tests/kubectl/run.sh --server URL     run against an API at URL with no nodes (the api-gateway JUnit test does
#                                         this): pods stay Pending and the node steps check the gateway's answers
#                                         for unscheduled pods instead; everything is created in a fresh namespace
#
# Environment: KUBECTL (default /usr/bin/kubectl), KRONIKA (command that runs the launcher, default
# "java -jar <repo>/launcher/target/kronika.jar").
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
KUBECTL="${KUBECTL:-/usr/bin/kubectl}"
KRONIKA="${KRONIKA:-java -jar $ROOT/launcher/target/kronika.jar}"
SERVER=""
if [ "${1:-}" = "--server" ]; then
  SERVER="${2:?--server needs the API URL}"
fi
NODES=$([ -z "$SERVER" ] && echo yes || echo no)
[ -x "$KUBECTL" ] || { echo "FAIL: kubectl not found at $KUBECTL" >&2; exit 1; }

WORK="$(mktemp -d "${TMPDIR:-/tmp}/kronika-kubectl.XXXXXX")"
STEPS=0
# k, fail, ok, fails, is, has, header, eventually, start_cluster, stop_cluster
source "$ROOT/tests/kubectl/lib.sh"
cleanup() {
  local code=$?
  jobs -p | xargs -r kill 2>/dev/null || true
  [ -n "$SERVER" ] || stop_cluster $code
  rm -rf "$WORK"
  exit $code
}
trap cleanup EXIT

if [ -z "$SERVER" ]; then
  start_cluster
else
  cat > "$WORK/kubeconfig" <<KUBECONFIG
apiVersion: v1
kind: Config
clusters: [{name: kronika, cluster: {server: "$SERVER"}}]
contexts: [{name: kronika, context: {cluster: kronika, user: admin, namespace: default}}]
current-context: kronika
users: [{name: admin, user: {}}]
KUBECONFIG
  export KUBECONFIG="$WORK/kubeconfig"
fi

SUFFIX="$(date +%s)$RANDOM"
NS="kubectl-$SUFFIX"

echo "kubectl: $("$KUBECTL" version --client -o json | grep -m1 gitVersion | tr -d ' ,')  namespace: $NS  nodes: $NODES"

# --- cluster, discovery, OpenAPI --------------------------------------------------------------------------------
has "cluster-info" "is running at" k cluster-info
has "server version" '"gitVersion": "v1.32' k version -o json
has "api-resources lists deployments with its short name" "deploy" k api-resources --api-group=apps
has "api-resources: categories" "pods" k api-resources --categories=all -o name
has "aggregated discovery (apidiscovery.k8s.io/v2)" "as=APIGroupDiscoveryList" \
  "$KUBECTL" --cache-dir "$WORK/fresh-cache" api-resources -v=8
has "explain (OpenAPI v3)" "FIELD: replicas <integer>" k explain deployment.spec.replicas
has "explain recursive" "containers" k explain pods.spec --recursive
has "OpenAPI v2 is served" '"swagger":"2.0"' k get --raw /openapi/v2

ok "create namespace" k create namespace "$NS"
kn() { k -n "$NS" "$@"; }

# --- typed create subcommands (protobuf request bodies) ---------------------------------------------------------
printf 'log.level=debug\n' > "$WORK/app.properties"
ok "create configmap --from-file" kn create configmap cfg --from-file="$WORK/app.properties" --from-literal=mode=fast
is "configmap data from the file" "log.level=debug" bash -c "'$KUBECTL' --cache-dir '$WORK/cache' -n '$NS' get cm cfg -o jsonpath='{.data.app\\.properties}'"
is "configmap literal" "fast" kn get cm cfg -o jsonpath='{.data.mode}'
ok "create secret docker-registry" kn create secret docker-registry reg --docker-server=registry.example --docker-username=u --docker-password=p
is "secret type" "kubernetes.io/dockerconfigjson" kn get secret reg -o jsonpath='{.type}'
has "secret payload" '"registry.example"' bash -c "'$KUBECTL' --cache-dir '$WORK/cache' -n '$NS' get secret reg -o jsonpath='{.data.\\.dockerconfigjson}' | base64 -d"
ok "create secret generic" kn create secret generic plain --from-literal=password=s3cr3t
is "secret generic" "czNjcjN0" kn get secret plain -o jsonpath='{.data.password}'
ok "create deployment" kn create deployment web --image=nginx:1.27 --replicas=2
is "deployment defaults" "2 RollingUpdate 25%" kn get deploy web -o jsonpath='{.spec.replicas} {.spec.strategy.type} {.spec.strategy.rollingUpdate.maxSurge}'
ok "create service" kn create service clusterip websvc --tcp=80:8080
is "service port" "80 8080 TCP" kn get svc websvc -o jsonpath='{.spec.ports[0].port} {.spec.ports[0].targetPort} {.spec.ports[0].protocol}'
ok "run a pod" kn run p1 --image=busybox:1.36 --labels=app=p1 -- sleep 3600
is "pod command" "sleep 3600" kn get pod p1 -o jsonpath='{.spec.containers[0].args[0]} {.spec.containers[0].args[1]}'
ok "create job" kn create job once --image=busybox:1.36 -- echo hi
ok "create cronjob" kn create cronjob nightly --image=busybox:1.36 --schedule='0 3 * * *' -- echo hi
ok "create serviceaccount" kn create serviceaccount robot
ok "create role" kn create role reader --verb=get,list --resource=pods
ok "create rolebinding" kn create rolebinding reader --role=reader --serviceaccount="$NS:robot"
ok "create priorityclass" k create priorityclass "pc-$SUFFIX" --value=1000

# --- tables -----------------------------------------------------------------------------------------------------
header "pods table" "NAME READY STATUS RESTARTS AGE" kn get pods
header "pods wide table" "NAME READY STATUS RESTARTS AGE IP NODE NOMINATED NODE READINESS GATES" kn get pods -o wide
if [ "$NODES" = yes ]; then
  ok "the pod runs on the simulated node" kn wait --for=condition=Ready pod/p1 --timeout=90s
  is "pod row" "p1 1/1 Running 0" bash -c "'$KUBECTL' --cache-dir '$WORK/cache' -n '$NS' get pod p1 --no-headers | tr -s ' ' | cut -d' ' -f1-4"
else
  is "pod row" "p1 0/1 Pending 0" bash -c "'$KUBECTL' --cache-dir '$WORK/cache' -n '$NS' get pod p1 --no-headers | tr -s ' ' | cut -d' ' -f1-4"
fi
header "deployments table" "NAME READY UP-TO-DATE AVAILABLE AGE" kn get deploy
header "deployments wide table" "NAME READY UP-TO-DATE AVAILABLE AGE CONTAINERS IMAGES SELECTOR" kn get deploy -o wide
# READY is ready/desired: 0/2 without controllers, up to 2/2 once they run the pods.
is "deployment row" "web /2" bash -c "'$KUBECTL' --cache-dir '$WORK/cache' -n '$NS' get deploy web --no-headers | tr -s ' ' | cut -d' ' -f1-2 | sed 's| [0-9]*/| /|'"
header "services table" "NAME TYPE CLUSTER-IP EXTERNAL-IP PORT(S) AGE" kn get svc
header "configmaps table" "NAME DATA AGE" kn get cm
header "secrets table" "NAME TYPE DATA AGE" kn get secrets
header "jobs table" "NAME STATUS COMPLETIONS DURATION AGE" kn get jobs
header "cronjobs table" "NAME SCHEDULE TIMEZONE SUSPEND ACTIVE LAST SCHEDULE AGE" kn get cronjobs
header "namespaces table" "NAME STATUS AGE" k get ns "$NS"
cat > "$WORK/node.yaml" <<YAML
apiVersion: v1
kind: Node
metadata:
  name: node-$SUFFIX
  labels: {node-role.kubernetes.io/worker: ""}
status:
  nodeInfo: {kubeletVersion: v1.32.0-kronika, osImage: Debian, kernelVersion: "6.1", containerRuntimeVersion: "sim://1", architecture: amd64, operatingSystem: linux, bootID: "", machineID: "", systemUUID: "", kubeProxyVersion: ""}
YAML
ok "create a node" k create -f "$WORK/node.yaml"
header "nodes table" "NAME STATUS ROLES AGE VERSION" k get node "node-$SUFFIX"
is "node row" "node-$SUFFIX Unknown worker" bash -c "'$KUBECTL' --cache-dir '$WORK/cache' get node node-$SUFFIX --no-headers | tr -s ' ' | cut -d' ' -f1-3"
has "get all -A" "deployment.apps/web" k get all -A
has "get all in the namespace shows pods" "pod/p1" kn get all
has "short names" "web" kn get deploy,svc,cm,po

# --- describe ---------------------------------------------------------------------------------------------------
has "describe deployment" "Replicas:               2 desired" kn describe deploy web
has "describe pod" "Events:" kn describe pod p1
has "describe service" "TargetPort:" kn describe svc websvc
has "describe node" "Kubelet Version:" k describe node "node-$SUFFIX"

# --- streams: the gateway side (the node side serves them once the kubelet runs the pod) ----------------------
if [ "$NODES" = yes ]; then
  has "logs" "simulated container p1 started" kn logs p1
  has "logs --tail --timestamps" "Z simulated container" kn logs p1 --tail=1 --timestamps
  has "exec" "simulated exec in p1: echo hi" kn exec p1 -- echo hi
  printf 'copied\n' > "$WORK/copy.txt"
  ok "cp into the pod" kn cp "$WORK/copy.txt" p1:/tmp/copy.txt
  has "top node" "CPU(cores)" k top node
  has "top pod" "p1" kn top pod
else
  fails "logs of an unscheduled pod" kn logs p1
  grep -q "does not have a host assigned" "$WORK/err" || fail "logs explain why"$'\n'"$(cat "$WORK/err")"
  fails "exec in an unscheduled pod" kn exec p1 -- true
  grep -q "does not have a host assigned" "$WORK/err" || fail "exec explains why"$'\n'"$(cat "$WORK/err")"
fi

# --- label, annotate, scale, patch, edit ------------------------------------------------------------------------
ok "label" kn label deploy web tier=frontend
is "label set" "frontend" kn get deploy web -o jsonpath='{.metadata.labels.tier}'
ok "label removal" kn label deploy web tier-
is "label removed" "" kn get deploy web -o jsonpath='{.metadata.labels.tier}'
ok "annotate" kn annotate deploy web owner=platform
is "annotation set" "platform" kn get deploy web -o jsonpath='{.metadata.annotations.owner}'
ok "scale" kn scale deploy web --replicas=3
is "scaled" "3" kn get deploy web -o jsonpath='{.spec.replicas}'
ok "patch (strategic merge)" kn patch deploy web -p '{"spec":{"template":{"spec":{"containers":[{"name":"nginx","image":"nginx:1.28"}]}}}}'
is "patched image" "nginx:1.28" kn get deploy web -o jsonpath='{.spec.template.spec.containers[0].image}'
ok "patch (merge)" kn patch deploy web --type=merge -p '{"spec":{"minReadySeconds":5}}'
ok "patch (json)" kn patch deploy web --type=json -p '[{"op":"replace","path":"/spec/replicas","value":4}]'
is "patched" "4 5" kn get deploy web -o jsonpath='{.spec.replicas} {.spec.minReadySeconds}'
cat > "$WORK/editor.sh" <<'EDITOR'
#!/bin/sh
sed -i 's/minReadySeconds: 5/minReadySeconds: 9/' "$1"
EDITOR
chmod +x "$WORK/editor.sh"
ok "edit" env EDITOR="$WORK/editor.sh" "$KUBECTL" --cache-dir "$WORK/cache" -n "$NS" edit deploy web
is "edited" "9" kn get deploy web -o jsonpath='{.spec.minReadySeconds}'
ok "rollout restart" kn rollout restart deploy/web
has "restart stamps the template" "restartedAt" kn get deploy web -o jsonpath='{.spec.template.metadata.annotations}'
ok "rollout history" kn rollout history deploy/web
if [ "$NODES" = yes ]; then
  # The deployment controller and the kubelet make these real: status waits for available replicas.
  ok "create deployment for rollouts" kn create deployment roll --image=busybox:1.36 --replicas=2
  ok "rollout status" kn rollout status deploy/roll --timeout=90s
  ok "set image" kn set image deploy/roll busybox=busybox:1.37
  ok "rollout status after an image change" kn rollout status deploy/roll --timeout=90s
  ok "rollout undo" kn rollout undo deploy/roll
  ok "rollout status after undo" kn rollout status deploy/roll --timeout=90s
  is "undo restored the image" "busybox:1.36" kn get deploy roll -o jsonpath='{.spec.template.spec.containers[0].image}'
  # undo reuses the revision-1 ReplicaSet (now revision 3) instead of creating a third one
  is "undo reused the old replica set" "busybox:1.36=2 busybox:1.37=0 " \
    kn get rs -l app=roll --sort-by=.spec.template.spec.containers[0].image \
    -o jsonpath='{range .items[*]}{.spec.template.spec.containers[0].image}={.spec.replicas} {end}'
  is "ready replicas" "2" kn get deploy roll -o jsonpath='{.status.readyReplicas}'
fi
has "field managers recorded" "kubectl-edit" kn get deploy web -o jsonpath='{.metadata.managedFields[*].manager}'

# --- client-side apply ------------------------------------------------------------------------------------------
cat > "$WORK/app.yaml" <<YAML
apiVersion: apps/v1
kind: Deployment
metadata: {name: app, labels: {app: app, stage: one}}
spec:
  replicas: 1
  selector: {matchLabels: {app: app}}
  template:
    metadata: {labels: {app: app}}
    spec:
      containers:
      - name: main
        image: nginx:1.27
        env: [{name: A, value: "1"}, {name: B, value: "2"}]
        ports: [{containerPort: 80}]
---
apiVersion: v1
kind: ConfigMap
metadata: {name: app-config, labels: {app: app}}
data: {k1: v1, k2: v2}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: app-extra, labels: {app: app}}
data: {x: "1"}
YAML
ok "apply (create)" kn apply -f "$WORK/app.yaml"
has "last-applied annotation" '"stage":"one"' kn get deploy app -o jsonpath='{.metadata.annotations.kubectl\.kubernetes\.io/last-applied-configuration}'
ok "apply unchanged" kn apply -f "$WORK/app.yaml"
ok "diff unchanged exits 0" kn diff -f "$WORK/app.yaml"
# The second revision: env B replaced by C, data key k2 and the app-extra ConfigMap removed, a label changed.
cat > "$WORK/app2.yaml" <<YAML
apiVersion: apps/v1
kind: Deployment
metadata: {name: app, labels: {app: app, stage: two}}
spec:
  replicas: 1
  selector: {matchLabels: {app: app}}
  template:
    metadata: {labels: {app: app}}
    spec:
      containers:
      - name: main
        image: nginx:1.27
        env: [{name: A, value: "1"}, {name: C, value: "3"}]
        ports: [{containerPort: 80}]
---
apiVersion: v1
kind: ConfigMap
metadata: {name: app-config, labels: {app: app}}
data: {k1: v1}
YAML
fails "diff shows a change (exit 1)" kn diff -f "$WORK/app2.yaml"
grep -q "+        - name: C" "$WORK/out" || fail "diff output lacks the new env var"$'\n'"$(cat "$WORK/out")"
ok "apply with removals and --prune" kn apply -f "$WORK/app2.yaml" --prune -l app=app --prune-allowlist=core/v1/ConfigMap
is "strategic merge: env B removed, C added" "A C" kn get deploy app -o jsonpath='{.spec.template.spec.containers[0].env[*].name}'
is "removed data key pruned" '{"k1":"v1"}' kn get cm app-config -o jsonpath='{.data}'
is "label changed" "two" kn get deploy app -o jsonpath='{.metadata.labels.stage}'
fails "pruned object is gone" kn get cm app-extra
fails "apply --validate=strict refuses unknown fields" kn apply -f - <<YAML
apiVersion: v1
kind: ConfigMap
metadata: {name: bad}
data: {a: b}
dta: {a: b}
YAML
grep -q 'unknown field "dta"' "$WORK/err" || fail "strict validation message"$'\n'"$(cat "$WORK/err")"

# --- server-side apply ------------------------------------------------------------------------------------------
cat > "$WORK/ssa.yaml" <<YAML
apiVersion: apps/v1
kind: Deployment
metadata: {name: ssa, labels: {team: a}}
spec:
  replicas: 2
  selector: {matchLabels: {app: ssa}}
  template:
    metadata: {labels: {app: ssa}}
    spec:
      containers: [{name: main, image: nginx:1.27}]
YAML
ok "apply --server-side (create)" kn apply --server-side -f "$WORK/ssa.yaml"
is "managed by kubectl with Apply" "kubectl Apply" kn get deploy ssa -o jsonpath='{.metadata.managedFields[0].manager} {.metadata.managedFields[0].operation}'
ok "apply --server-side again" kn apply --server-side -f "$WORK/ssa.yaml"
cat > "$WORK/ssa2.yaml" <<YAML
apiVersion: apps/v1
kind: Deployment
metadata: {name: ssa}
spec: {replicas: 5}
YAML
fails "conflicting apply by another manager" kn apply --server-side --field-manager=ops -f "$WORK/ssa2.yaml"
grep -q 'conflict with "kubectl"' "$WORK/err" || fail "conflict names the manager"$'\n'"$(cat "$WORK/err")"
grep -q '.spec.replicas' "$WORK/err" || fail "conflict names the field"$'\n'"$(cat "$WORK/err")"
ok "--force-conflicts" kn apply --server-side --field-manager=ops --force-conflicts -f "$WORK/ssa2.yaml"
is "forced value" "5" kn get deploy ssa -o jsonpath='{.spec.replicas}'
sed -e 's/metadata: {name: ssa, labels: {team: a}}/metadata: {name: ssa}/' -e 's/replicas: 2/replicas: 5/' "$WORK/ssa.yaml" > "$WORK/ssa3.yaml"
ok "apply without the label" kn apply --server-side -f "$WORK/ssa3.yaml"
is "label no longer applied is removed" "" kn get deploy ssa -o jsonpath='{.metadata.labels.team}'
ok "scale by another manager" kn scale deploy ssa --replicas=6
fails "applying replicas now conflicts with the scaler" kn apply --server-side -f "$WORK/ssa3.yaml"
grep -q 'conflict with "kubectl' "$WORK/err" || fail "conflict with the scaler"$'\n'"$(cat "$WORK/err")"

# --- watch, wait ------------------------------------------------------------------------------------------------
# A watch that lists first resumes from the list's resourceVersion: nothing created after the list is missed.
"$KUBECTL" --cache-dir "$WORK/cache" -n "$NS" get cm -w -o name > "$WORK/watch.out" 2>&1 &
WATCH_PID=$!
eventually "get -w lists first" "configmap/cfg" 20 bash -c "grep -m1 -x 'configmap/cfg' '$WORK/watch.out'"
ok "create while watching" kn create configmap watched --from-literal=a=b
eventually "get -w sees the new object" "configmap/watched" 20 bash -c "grep -m1 -x 'configmap/watched' '$WORK/watch.out'"
kill "$WATCH_PID" 2>/dev/null || true
"$KUBECTL" --cache-dir "$WORK/cache" -n "$NS" get deploy -w > "$WORK/watch-table.out" 2>&1 &
WATCH_PID=$!
eventually "get -w prints a table" "NAME READY UP-TO-DATE AVAILABLE AGE" 20 bash -c "head -n 1 '$WORK/watch-table.out' | tr -s ' ' | sed 's/ $//'"
ok "change while watching" kn annotate deploy web watched=yes
eventually "get -w prints the change as a row" "2" 20 bash -c "grep -c '^web ' '$WORK/watch-table.out'"
kill "$WATCH_PID" 2>/dev/null || true
ok "status subresource patch" kn patch deploy web --subresource=status --type=merge \
  -p '{"status":{"conditions":[{"type":"Available","status":"True","reason":"Test","message":"set by the test"}]}}'
ok "wait --for=condition" kn wait --for=condition=Available deploy/web --timeout=30s
ok "wait --for=jsonpath" kn wait --for=jsonpath='{.spec.replicas}'=4 deploy/web --timeout=30s
ok "delete without waiting" kn delete cm watched --wait=false
ok "wait --for=delete" kn wait --for=delete cm/watched --timeout=30s

# --- auth, custom resources, delete -----------------------------------------------------------------------------
is "auth can-i" "yes" k auth can-i create deployments -n "$NS"
has "auth can-i --list" "*.*" k auth can-i --list -n "$NS"
if [ "$NODES" = yes ]; then
  # RBAC over the TLS kubeconfig `up` wrote: impersonation by the admin, a user with nothing bound, then bound to view.
  has "auth whoami (admin token)" "kubernetes-admin" k auth whoami
  fails "auth can-i --as: nothing bound" k auth can-i list pods -n "$NS" --as="viewer-$SUFFIX"
  fails "get --as: forbidden" k get pods -n "$NS" --as="viewer-$SUFFIX"
  grep -qF "pods is forbidden: User \"viewer-$SUFFIX\" cannot list resource \"pods\" in API group \"\" in the namespace \"$NS\"" "$WORK/err" \
    || fail "get --as: the 403 in Kubernetes' words, got: $(cat "$WORK/err")"
  ok "rolebinding to view" k create rolebinding "viewer-$SUFFIX" --clusterrole=view --user="viewer-$SUFFIX" -n "$NS"
  is "auth can-i --as: list after the binding" "yes" k auth can-i list pods -n "$NS" --as="viewer-$SUFFIX"
  fails "auth can-i --as: view may not create" k auth can-i create pods -n "$NS" --as="viewer-$SUFFIX"
  ok "create serviceaccount" k create serviceaccount "robot-$SUFFIX" -n "$NS"
  has "create token (TokenRequest)" "eyJ" k create token "robot-$SUFFIX" -n "$NS" --duration=10m
fi
cat > "$WORK/crd.yaml" <<YAML
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets$SUFFIX.example.com}
spec:
  group: example.com
  scope: Namespaced
  names: {plural: widgets$SUFFIX, singular: widget$SUFFIX, kind: Widget$SUFFIX, shortNames: [wg$SUFFIX], categories: [all]}
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            description: What the widget should be.
            properties:
              size: {type: integer, description: How big the widget is.}
              color: {type: string}
    additionalPrinterColumns:
    - {name: Size, type: integer, jsonPath: .spec.size}
    - {name: Color, type: string, jsonPath: .spec.color, priority: 1}
    - {name: Age, type: date, jsonPath: .metadata.creationTimestamp}
YAML
ok "create CRD" k apply -f "$WORK/crd.yaml"
eventually "custom resource discovered" "widgets$SUFFIX" 20 bash -c "'$KUBECTL' --cache-dir '$WORK/cache' api-resources --api-group=example.com -o name | grep -m1 -o '^widgets$SUFFIX'"
ok "create custom resource" kn apply -f - <<YAML
apiVersion: example.com/v1
kind: Widget$SUFFIX
metadata: {name: w1}
spec: {size: 3, color: blue}
YAML
header "custom resource columns" "NAME SIZE AGE" kn get "wg$SUFFIX"
header "custom resource wide columns" "NAME SIZE COLOR AGE" kn get "wg$SUFFIX" -o wide
is "custom resource row" "w1 3" bash -c "'$KUBECTL' --cache-dir '$WORK/cache' -n '$NS' get wg$SUFFIX w1 --no-headers | tr -s ' ' | cut -d' ' -f1-2"
has "explain a custom resource" "How big the widget is." k explain "widgets$SUFFIX.spec.size"
ok "server-side apply of a custom resource" kn apply --server-side -f - <<YAML
apiVersion: example.com/v1
kind: Widget$SUFFIX
metadata: {name: w1}
spec: {size: 4}
YAML
fails "custom resource conflict" kn apply --server-side --field-manager=other -f - <<YAML
apiVersion: example.com/v1
kind: Widget$SUFFIX
metadata: {name: w1}
spec: {size: 7}
YAML
ok "delete -f" kn delete -f "$WORK/app2.yaml"
fails "deleted deployment is gone" kn get deploy app
ok "delete custom resource" kn delete "wg$SUFFIX" w1
ok "delete CRD" k delete -f "$WORK/crd.yaml"
ok "delete node" k delete node "node-$SUFFIX"
ok "delete priorityclass" k delete priorityclass "pc-$SUFFIX"

echo "kubectl: $STEPS steps passed"
