#!/usr/bin/env bash
# Smoke test of the test control plane: etcd + kube-apiserver + kube-controller-manager
# + kube-scheduler + kwok, all on 127.0.0.1 in a temp dir; checks readiness, RBAC,
# ResourceQuota, a Deployment rolled out by the real controllers onto a KWOK node,
# the failure stages (crash loop, image pull, never ready), garbage collection
# and namespace deletion; then stops everything (trap on EXIT).
#
#   controlplane/smoke.sh            build if needed, run, clean up
#   KEEP=1 controlplane/smoke.sh     keep the temp dir (logs, pki) afterwards
#   SKIP_BUILD=1 ...                 use the binaries already in .build/controlplane/bin
#
# The component command lines below are the ones documented in README.md.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/.." && pwd)"
if [[ "${SKIP_BUILD:-0}" == 1 ]]; then
  BIN_DIR="${CONTROLPLANE_BIN_DIR:-$REPO/.build/controlplane/bin}"
else
  BIN_DIR="$("$HERE/build.sh" | tail -n 1)"
fi
T="$BIN_DIR/k8s-testenv"
STAGES="$HERE/stages"
[[ -x "$T" ]] || { echo "missing $T (run controlplane/build.sh)" >&2; exit 1; }

# Each component stops by itself if this script dies without running its trap.
export K8S_TESTENV_EXIT_WITH_PARENT=1

WORK="$(mktemp -d "${TMPDIR:-/tmp}/k8s-testenv.XXXXXX")"
PKI="$WORK/pki"
LOGS="$WORK/logs"
mkdir -p "$LOGS" "$WORK/home"
# Nothing may land in the user's home: kubectl (client-go) caches discovery under
# $KUBECACHEDIR, default ~/.kube/cache. Set after build.sh, whose Go caches default
# to the real home.
export HOME="$WORK/home" KUBECACHEDIR="$WORK/home/.kube/cache"

declare -A PIDS=()
ORDER=()
FAILED=0

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
secs() { printf '%d.%d' $(( $1 / 1000 )) $(( ($1 % 1000) / 100 )); } # ms -> s.d
T0=$(now_ms)
say() { printf '[smoke %6ss] %s\n' "$(secs $(( $(now_ms) - T0 )))" "$*"; }

cleanup() {
  local rc=$?
  set +e
  # Stop in reverse start order, each before the next: kwok, scheduler,
  # controller-manager, apiserver (which then still has its etcd), etcd.
  local i name pid deadline t_stop; t_stop=$(now_ms)
  for ((i=${#ORDER[@]}-1; i>=0; i--)); do
    name="${ORDER[$i]}"; pid="${PIDS[$name]}"
    kill -TERM "$pid" 2>/dev/null || continue
    deadline=$(( $(date +%s) + 10 ))
    while kill -0 "$pid" 2>/dev/null && (( $(date +%s) < deadline )); do sleep 0.05; done
    if kill -0 "$pid" 2>/dev/null; then
      echo "[smoke] $name ($pid) still running 10s after SIGTERM, killing" >&2
      kill -KILL "$pid" 2>/dev/null
    fi
    wait "$pid" 2>/dev/null
  done
  (( ${#ORDER[@]} > 0 )) && say "stopped ${#ORDER[@]} processes in $(secs $(( $(now_ms) - t_stop ))) s"
  if (( rc != 0 )); then
    echo "[smoke] FAILED (exit $rc); last log lines:" >&2
    for f in "$LOGS"/*.log; do echo "--- $f" >&2; tail -n 15 "$f" >&2; done
  fi
  if [[ "${KEEP:-0}" == 1 ]]; then
    echo "[smoke] kept $WORK"
  else
    rm -rf "$WORK"
  fi
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

start() { # name cmd... ; stdout+stderr to $LOGS/name.log
  local name=$1; shift
  "$@" >"$LOGS/$name.log" 2>&1 &
  PIDS[$name]=$!
  ORDER+=("$name")
}

alive() {
  local name
  for name in "${ORDER[@]}"; do
    kill -0 "${PIDS[$name]}" 2>/dev/null || { echo "[smoke] $name exited early" >&2; return 1; }
  done
}

# wait_for DESCRIPTION TIMEOUT_S COMMAND... : retry every 0.2 s
wait_for() {
  local what=$1 timeout=$2; shift 2
  local deadline=$(( $(now_ms) + timeout * 1000 ))
  until "$@" >/dev/null 2>&1; do
    alive || return 1
    if (( $(now_ms) > deadline )); then
      echo "[smoke] timed out after ${timeout}s waiting for: $what" >&2
      return 1
    fi
    sleep 0.2
  done
  say "ok: $what"
}

k()  { "$BIN_DIR/kubectl" --kubeconfig "$PKI/admin.kubeconfig" "$@"; }
kr() { "$BIN_DIR/kubectl" --kubeconfig "$PKI/restricted.kubeconfig" "$@"; }
check() { # description, command that must succeed
  local what=$1; shift
  if "$@"; then say "PASS: $what"; else say "FAIL: $what"; FAILED=$((FAILED+1)); fi
}

read -r ETCD_PORT ETCD_PEER_PORT API_PORT CM_PORT SCHED_PORT <<<"$("$T" freeport -n 5 | tr "\n" " ")"
SERVER="https://127.0.0.1:$API_PORT"
say "work dir $WORK; apiserver $SERVER, etcd 127.0.0.1:$ETCD_PORT"

"$T" pki --dir "$PKI" --server "$SERVER"
say "pki written (CAs, serving cert, SA key, kubeconfigs: admin restricted kube-controller-manager kube-scheduler kwok)"
T_START=$(now_ms)

start etcd "$T" etcd \
  --data-dir="$WORK/etcd" \
  --listen-client-urls="http://127.0.0.1:$ETCD_PORT" \
  --listen-peer-urls="http://127.0.0.1:$ETCD_PEER_PORT"

start kube-apiserver "$T" kube-apiserver \
  --etcd-servers="http://127.0.0.1:$ETCD_PORT" \
  --bind-address=127.0.0.1 --advertise-address=127.0.0.1 --secure-port="$API_PORT" \
  --cert-dir="$WORK/apiserver" \
  --tls-cert-file="$PKI/apiserver.crt" --tls-private-key-file="$PKI/apiserver.key" \
  --client-ca-file="$PKI/ca.crt" \
  --requestheader-client-ca-file="$PKI/front-proxy-ca.crt" \
  --requestheader-allowed-names=front-proxy-client \
  --requestheader-username-headers=X-Remote-User \
  --requestheader-group-headers=X-Remote-Group \
  --requestheader-extra-headers-prefix=X-Remote-Extra- \
  --proxy-client-cert-file="$PKI/front-proxy-client.crt" \
  --proxy-client-key-file="$PKI/front-proxy-client.key" \
  --service-account-issuer=https://kubernetes.default.svc.cluster.local \
  --service-account-key-file="$PKI/sa.pub" \
  --service-account-signing-key-file="$PKI/sa.key" \
  --service-cluster-ip-range=10.96.0.0/12 \
  --endpoint-reconciler-type=none \
  --authorization-mode=Node,RBAC \
  --enable-admission-plugins=NodeRestriction,ResourceQuota \
  --allow-privileged=true \
  --profiling=false

readyz() { k get --raw='/readyz' | grep -qx ok; }
print_rss() {
  say "$1"
  local name pid
  for name in "${ORDER[@]}"; do
    pid="${PIDS[$name]}" # kwok runs under env(1), which execs: same pid
    printf '    %-24s pid %-7s %s\n' "$name" "$pid" \
      "$(awk '/^VmRSS/{r=$2} /^RssAnon/{a=$2} END{printf "RSS %4.0f MiB (private heap/stack RssAnon %4.0f MiB; the rest is the shared binary)", r/1024, a/1024}' "/proc/$pid/status")"
  done
}
# The controller-manager and scheduler need the RBAC roles that the apiserver
# creates while becoming ready (poststarthook/rbac/bootstrap-roles); started
# earlier, they exit with "forbidden". So: wait for /readyz first.
wait_for "kube-apiserver /readyz" 60 readyz

start kube-controller-manager "$T" kube-controller-manager \
  --kubeconfig="$PKI/kube-controller-manager.kubeconfig" \
  --authentication-kubeconfig="$PKI/kube-controller-manager.kubeconfig" \
  --authorization-kubeconfig="$PKI/kube-controller-manager.kubeconfig" \
  --bind-address=127.0.0.1 --secure-port="$CM_PORT" --cert-dir="$WORK/controller-manager" \
  --controllers='*' \
  --use-service-account-credentials=true \
  --root-ca-file="$PKI/ca.crt" \
  --service-account-private-key-file="$PKI/sa.key" \
  --cluster-signing-cert-file="$PKI/ca.crt" --cluster-signing-key-file="$PKI/ca.key" \
  --service-cluster-ip-range=10.96.0.0/12 \
  --leader-elect=false \
  --kube-api-qps=100 --kube-api-burst=200 \
  --profiling=false

start kube-scheduler "$T" kube-scheduler \
  --kubeconfig="$PKI/kube-scheduler.kubeconfig" \
  --authentication-kubeconfig="$PKI/kube-scheduler.kubeconfig" \
  --authorization-kubeconfig="$PKI/kube-scheduler.kubeconfig" \
  --bind-address=127.0.0.1 --secure-port="$SCHED_PORT" --cert-dir="$WORK/scheduler" \
  --leader-elect=false \
  --profiling=false

STAGE_FILES="$(ls "$STAGES"/*.yaml | paste -sd, -)"
# HOME/KWOK_WORKDIR: keep kwok from loading a stray ~/.kwok/kwok.yaml.
start kwok env HOME="$WORK/home" KWOK_WORKDIR="$WORK/kwok" "$T" kwok \
  --kubeconfig="$PKI/kwok.kubeconfig" \
  --manage-all-nodes=false \
  --manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake \
  --node-lease-duration-seconds=40 \
  --cidr=10.244.0.0/16 \
  --node-ip=10.240.0.1 \
  --config="$STAGE_FILES"

# The one fake node. KWOK manages nodes with this annotation; no taint, so
# ordinary workloads (Helm charts) schedule onto it unchanged.
k apply -f - >/dev/null <<'EOF'
apiVersion: v1
kind: Node
metadata:
  name: kwok-node-0
  annotations:
    kwok.x-k8s.io/node: fake
    node.alpha.kubernetes.io/ttl: "0"
  labels:
    kubernetes.io/arch: amd64
    kubernetes.io/hostname: kwok-node-0
    kubernetes.io/os: linux
    kubernetes.io/role: agent
    node-role.kubernetes.io/agent: ""
    type: kwok
status:
  allocatable: {cpu: "32", memory: 256Gi, pods: "110"}
  capacity: {cpu: "32", memory: 256Gi, pods: "110"}
EOF

node_ready() { [[ "$(k get node kwok-node-0 -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}')" == True ]]; }
no_taints() { [[ -z "$(k get node kwok-node-0 -o jsonpath='{.spec.taints}')" ]]; }
wait_for "node kwok-node-0 Ready" 60 node_ready
wait_for "serviceaccount default/default" 60 k -n default get serviceaccount default
wait_for "controller-manager /healthz" 30 curl -fsk "https://127.0.0.1:$CM_PORT/healthz"
wait_for "scheduler /readyz" 30 curl -fsk "https://127.0.0.1:$SCHED_PORT/readyz"
T_READY=$(now_ms)
say "CONTROL PLANE READY in $(secs $(( T_READY - T_START ))) s (from starting etcd to readyz+node Ready+default SA)"
wait_for "node not-ready taint removed by node lifecycle controller" 60 no_taints
sleep 2
print_rss "RSS at idle, 2 s after ready, before any workload:"

# Version as reported by the server.
k version 2>/dev/null | sed 's/^/    /'

check "service default/kubernetes exists (10.96.0.1)" bash -c "[[ \$('$BIN_DIR/kubectl' --kubeconfig '$PKI/admin.kubeconfig' -n default get svc kubernetes -o jsonpath='{.spec.clusterIP}') == 10.96.0.1 ]]"

# --- RBAC: admin may, restricted may not -------------------------------------
check "admin can create deployments" bash -c "[[ \$('$BIN_DIR/kubectl' --kubeconfig '$PKI/admin.kubeconfig' auth can-i create deployments -n default) == yes ]]"
forbidden() { local out; if out="$(kr "$@" 2>&1)"; then return 1; fi; say "    restricted: $out"; [[ "$out" == *Forbidden* || "$out" == *forbidden* ]]; }
check "restricted cannot list pods (RBAC Forbidden)" forbidden get pods -n default
check "restricted cannot create deployments" bash -c "[[ \$('$BIN_DIR/kubectl' --kubeconfig '$PKI/restricted.kubeconfig' auth can-i create deployments -n default) == no ]]"
check "restricted is user 'restricted' with no extra groups" bash -c "'$BIN_DIR/kubectl' --kubeconfig '$PKI/restricted.kubeconfig' auth whoami -o jsonpath='{.status.userInfo.username} {.status.userInfo.groups}' | grep -qx 'restricted \[\"system:authenticated\"\]'"

# --- Deployment rolled out by the real controllers onto the KWOK node --------
k create namespace smoke >/dev/null
wait_for "serviceaccount smoke/default" 30 k -n smoke get serviceaccount default
T_DEP=$(now_ms)
k -n smoke apply -f - >/dev/null <<'EOF'
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 3
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
        ports: [{containerPort: 80}]
        readinessProbe:
          httpGet: {path: /, port: 80}
EOF
ready_replicas() { [[ "$(k -n smoke get deploy web -o jsonpath='{.status.readyReplicas}')" == 3 ]]; }
wait_for "deployment web readyReplicas=3" 60 ready_replicas
say "deployment ready $(secs $(( $(now_ms) - T_DEP ))) s after apply"
k -n smoke rollout status deploy/web --timeout=30s | sed 's/^/    /'
k -n smoke get deploy,rs,pods -o wide | sed 's/^/    /'
check "ReplicaSet created by the deployment controller" bash -c "'$BIN_DIR/kubectl' --kubeconfig '$PKI/admin.kubeconfig' -n smoke get rs -l app=web -o jsonpath='{.items[0].metadata.ownerReferences[0].kind}/{.items[0].metadata.ownerReferences[0].name}' | grep -qx Deployment/web"
check "3 pods scheduled to kwok-node-0" bash -c "[[ \$('$BIN_DIR/kubectl' --kubeconfig '$PKI/admin.kubeconfig' -n smoke get pods -l app=web -o jsonpath='{range .items[*]}{.spec.nodeName}{\"\\n\"}{end}' | grep -c '^kwok-node-0\$') == 3 ]]"
check "3 pods Running and Ready" bash -c "[[ \$('$BIN_DIR/kubectl' --kubeconfig '$PKI/admin.kubeconfig' -n smoke get pods -l app=web -o jsonpath='{range .items[*]}{.status.phase}/{.status.conditions[?(@.type==\"Ready\")].status}{\"\\n\"}{end}' | grep -c '^Running/True\$') == 3 ]]"
check "pods got a service-account token volume (SA admission + token)" bash -c "'$BIN_DIR/kubectl' --kubeconfig '$PKI/admin.kubeconfig' -n smoke get pods -l app=web -o jsonpath='{.items[0].spec.volumes[0].projected.sources[0].serviceAccountToken.path}' | grep -qx token"
check "kube-root-ca.crt published into the namespace" bash -c "'$BIN_DIR/kubectl' --kubeconfig '$PKI/admin.kubeconfig' -n smoke get configmap kube-root-ca.crt >/dev/null"

# --- ResourceQuota admission --------------------------------------------------
k -n smoke apply -f - >/dev/null <<'EOF'
apiVersion: v1
kind: ResourceQuota
metadata: {name: pods}
spec:
  hard: {pods: "3"}
EOF
quota_used() { [[ "$(k -n smoke get resourcequota pods -o jsonpath='{.status.used.pods}')" == 3 ]]; }
wait_for "resourcequota status.used.pods=3 (quota controller)" 30 quota_used
check "4th pod rejected by ResourceQuota" bash -c "'$BIN_DIR/kubectl' --kubeconfig '$PKI/admin.kubeconfig' -n smoke run extra --image=nginx 2>&1 | grep -q 'exceeded quota'"
k -n smoke delete resourcequota pods >/dev/null

# --- KWOK failure stages --------------------------------------------------------
fail_deploy() { # name failure-kind
  k -n smoke apply -f - >/dev/null <<EOF
apiVersion: apps/v1
kind: Deployment
metadata: {name: $1}
spec:
  replicas: 1
  selector:
    matchLabels: {app: $1}
  template:
    metadata:
      labels: {app: $1, testkit.helmsdk.dev/simulate-failure: $2}
    spec:
      containers:
      - {name: app, image: "registry.invalid/$1:1.0"}
EOF
}
fail_deploy crasher crash-loop
fail_deploy puller image-pull-failure
fail_deploy lazy never-ready
waiting_reason() { k -n smoke get pods -l app="$1" -o jsonpath='{.items[0].status.containerStatuses[0].state.waiting.reason}'; }
is_reason() { [[ "$(waiting_reason "$1")" == "$2" ]]; }
restarts_ge() { local n; n="$(k -n smoke get pods -l app="$1" -o jsonpath='{.items[0].status.containerStatuses[0].restartCount}')"; [[ -n "$n" && "$n" -ge "$2" ]]; }
lazy_running_unready() { [[ "$(k -n smoke get pods -l app=lazy -o jsonpath='{.items[0].status.phase}/{.items[0].status.conditions[?(@.type=="Ready")].status}')" == Running/False ]]; }
wait_for "crasher pod: waiting reason CrashLoopBackOff" 30 is_reason crasher CrashLoopBackOff
wait_for "puller pod: waiting reason ErrImagePull" 30 is_reason puller ErrImagePull
wait_for "puller pod: then ImagePullBackOff" 30 is_reason puller ImagePullBackOff
wait_for "lazy pod: Running but never Ready" 30 lazy_running_unready
wait_for "crasher pod: restartCount grows to 2" 40 restarts_ge crasher 2
k -n smoke get pods -l 'app in (crasher,puller,lazy)' | sed 's/^/    /'
check "crasher deployment has no ready replicas" bash -c "[[ -z \$('$BIN_DIR/kubectl' --kubeconfig '$PKI/admin.kubeconfig' -n smoke get deploy crasher -o jsonpath='{.status.readyReplicas}') ]]"
check "crasher lastState terminated exitCode 1" bash -c "[[ \$('$BIN_DIR/kubectl' --kubeconfig '$PKI/admin.kubeconfig' -n smoke get pods -l app=crasher -o jsonpath='{.items[0].status.containerStatuses[0].lastState.terminated.exitCode}') == 1 ]]"
check "puller pod stays Pending" bash -c "[[ \$('$BIN_DIR/kubectl' --kubeconfig '$PKI/admin.kubeconfig' -n smoke get pods -l app=puller -o jsonpath='{.items[0].status.phase}') == Pending ]]"

# Helm test hook pod -> Succeeded; Jobs: one completes, one fails (simulate-failure: exit, backoffLimit 0),
# one fails through crash-loop (restartPolicy Never pods fail instead of crash-looping).
k -n smoke apply -f - >/dev/null <<'EOF2'
apiVersion: v1
kind: Pod
metadata:
  name: chart-test-connection
  annotations: {helm.sh/hook: test}
spec:
  restartPolicy: Never
  containers:
  - {name: wget, image: busybox, command: [wget, "web:80"]}
---
apiVersion: batch/v1
kind: Job
metadata: {name: migrate-ok}
spec:
  backoffLimit: 0
  template:
    spec:
      restartPolicy: Never
      containers:
      - {name: migrate, image: busybox}
---
apiVersion: batch/v1
kind: Job
metadata: {name: migrate-bad}
spec:
  backoffLimit: 0
  template:
    metadata:
      labels: {testkit.helmsdk.dev/simulate-failure: exit}
    spec:
      restartPolicy: Never
      containers:
      - {name: migrate, image: busybox}
---
apiVersion: batch/v1
kind: Job
metadata: {name: migrate-crash}
spec:
  backoffLimit: 0
  template:
    metadata:
      labels: {testkit.helmsdk.dev/simulate-failure: crash-loop}
    spec:
      restartPolicy: Never
      containers:
      - {name: migrate, image: busybox}
EOF2
pod_phase() { [[ "$(k -n smoke get pod "$1" -o jsonpath='{.status.phase}')" == "$2" ]]; }
job_cond() { [[ "$(k -n smoke get job "$1" -o jsonpath="{.status.conditions[?(@.type==\"$2\")].status}")" == True ]]; }
wait_for "helm test hook pod: Succeeded" 30 pod_phase chart-test-connection Succeeded
wait_for "job migrate-ok: Complete (job controller + kwok pod-complete)" 30 job_cond migrate-ok Complete
wait_for "job migrate-bad: Failed (pod exited 1, backoffLimit 0)" 30 job_cond migrate-bad Failed
wait_for "job migrate-crash: Failed (crash-loop on a restartPolicy Never pod)" 30 job_cond migrate-crash Failed
k -n smoke get pods,jobs -l 'batch.kubernetes.io/job-name in (migrate-ok,migrate-bad,migrate-crash)' | sed 's/^/    /'

# --- Idle memory ----------------------------------------------------------------
sleep 3
print_rss "RSS at idle, after the workload above:"

# --- Garbage collector and namespace controller ---------------------------------
k -n smoke delete deploy web --wait=false >/dev/null
rs_gone() { [[ -z "$(k -n smoke get rs,pods -l app=web -o name)" ]]; }
wait_for "GC removed web's ReplicaSet and pods after deleting the Deployment" 60 rs_gone
k delete namespace smoke --wait=false >/dev/null
ns_gone() { ! k get namespace smoke; }
wait_for "namespace smoke finalized and deleted (namespace controller)" 90 ns_gone

alive
if (( FAILED > 0 )); then
  say "$FAILED check(s) FAILED"
  exit 1
fi
say "ALL CHECKS PASSED (control plane ready in $(secs $(( T_READY - T_START ))) s)"
