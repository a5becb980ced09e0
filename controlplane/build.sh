#!/usr/bin/env bash
# Builds the test control plane (one multi-call binary, k8s-testenv, plus
# symlinks kube-apiserver, kube-controller-manager, kube-scheduler, kubectl,
# etcd, kwok) into <repo>/.build/controlplane/bin from Go modules only.
#
#   controlplane/build.sh            build if anything changed, else do nothing
#   controlplane/build.sh --force    rebuild (still uses Go's caches)
#
# Environment:
#   CONTROLPLANE_BIN_DIR  output dir (default <repo>/.build/controlplane/bin)
#   GOCACHE, GOMODCACHE, GOPROXY ...  honoured as usual (defaults: ~/.cache/go-build,
#                         ~/go/pkg/mod); keep them between runs for fast rebuilds.
# Prints the bin dir on the last line of stdout. Needs Go >= 1.26 (go.mod's
# "go 1.26.0"; an older go with GOTOOLCHAIN=auto fetches 1.26 from the proxy).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/.." && pwd)"
BIN_DIR="${CONTROLPLANE_BIN_DIR:-$REPO/.build/controlplane/bin}"
BIN="$BIN_DIR/k8s-testenv"
FORCE=0
[[ "${1:-}" == "--force" ]] && FORCE=1

# Versions (must match go.mod; used for the version strings the binaries report).
KUBE_VERSION=v1.36.3
KUBE_BUILD_DATE=2026-07-22T18:07:38Z   # publication time of k8s.io/kubernetes@v1.36.3 on the module proxy
KWOK_VERSION=v0.8.0
LINKS=(kube-apiserver kube-controller-manager kube-scheduler kubectl etcd kwok)

log() { echo "[controlplane/build] $*" >&2; }

command -v go >/dev/null || { log "go not found on PATH (need Go >= 1.26)"; exit 1; }
mkdir -p "$BIN_DIR"

# One build at a time (parallel test JVMs may all call this).
exec 9>"$BIN_DIR/.build.lock"
if command -v flock >/dev/null; then flock 9; fi

up_to_date() {
  [[ -x "$BIN" ]] || return 1
  # Any input newer than the binary? (sources, module files, this script)
  local newer
  newer="$(find "$HERE" \( -name '*.go' -o -name go.mod -o -name go.sum -o -name build.sh \) -newer "$BIN" -print -quit)"
  [[ -z "$newer" ]] || return 1
  local l
  for l in "${LINKS[@]}"; do [[ -L "$BIN_DIR/$l" ]] || return 1; done
  return 0
}

if [[ $FORCE == 0 ]] && up_to_date; then
  log "up to date: $BIN"
  echo "$BIN_DIR"
  exit 0
fi

KMAJ="${KUBE_VERSION#v}"; KMAJ="${KMAJ%%.*}"
KMIN="${KUBE_VERSION#v*.}"; KMIN="${KMIN%%.*}"
LDFLAGS="-s -w"
# What kubernetes' hack/lib/version.sh stamps in (else /version says v0.0.0-master).
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  LDFLAGS+=" -X $pkg.gitVersion=$KUBE_VERSION -X $pkg.gitMajor=$KMAJ -X $pkg.gitMinor=$KMIN"
  LDFLAGS+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=$KUBE_BUILD_DATE -X $pkg.gitCommit="
done
LDFLAGS+=" -X sigs.k8s.io/kwok/pkg/consts.Version=${KWOK_VERSION#v}"

cd "$HERE"
log "building k8s-testenv (kube $KUBE_VERSION, kwok $KWOK_VERSION) -> $BIN_DIR"
start=$(date +%s)
# Download first so the time spent on the network is visible on its own.
go mod download
dl=$(date +%s)
log "modules ready in $((dl - start))s (GOMODCACHE=$(go env GOMODCACHE))"
# -trimpath: no local paths in the binary; -buildvcs=false: no git needed (and no
# "error obtaining VCS status" in odd checkouts); CGO off: static, no C toolchain needed.
CGO_ENABLED=0 go build -trimpath -buildvcs=false -ldflags "$LDFLAGS" -o "$BIN.tmp" ./cmd/k8s-testenv
mv -f "$BIN.tmp" "$BIN"
for l in "${LINKS[@]}"; do ln -sfn k8s-testenv "$BIN_DIR/$l"; done
end=$(date +%s)
log "built in $((end - dl))s (total $((end - start))s): $(du -h "$BIN" | cut -f1) $BIN"
echo "$BIN_DIR"
