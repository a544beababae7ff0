#!/usr/bin/env bash
# Regenerates api-gateway/src/main/resources/kronika/protobuf/kubernetes-1.32.4.desc: the protobuf descriptor set
# of the Kubernetes API types, compiled by protoc from the upstream generated.proto files.
# usage: generate-protobuf-descriptors.sh API_DIR APIMACHINERY_DIR APIEXTENSIONS_DIR
#   the three directories: checkouts of kubernetes/api, kubernetes/apimachinery and
#   kubernetes/apiextensions-apiserver at the same tag (v0.32.4 = Kubernetes 1.32.4).
set -euo pipefail
[ $# -eq 3 ] || { echo "usage: $0 API_DIR APIMACHINERY_DIR APIEXTENSIONS_DIR" >&2; exit 2; }
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="$here/../src/main/resources/kronika/protobuf/kubernetes-1.32.4.desc"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/k8s.io"
ln -s "$(cd "$1" && pwd)" "$work/k8s.io/api"
ln -s "$(cd "$2" && pwd)" "$work/k8s.io/apimachinery"
ln -s "$(cd "$3" && pwd)" "$work/k8s.io/apiextensions-apiserver"
# protoc from Maven Central, as any Maven artifact.
mvn -q -B dependency:copy -Dartifact=com.google.protobuf:protoc:4.36.2:exe:linux-x86_64 -DoutputDirectory="$work/bin"
protoc="$work/bin/protoc-4.36.2-linux-x86_64.exe"
chmod +x "$protoc"
cd "$work"
files=$( (cd "$work" && find -L k8s.io/api -path '*/v1/generated.proto'; echo k8s.io/api/autoscaling/v2/generated.proto
  for p in apis/meta/v1 runtime runtime/schema api/resource util/intstr; do echo "k8s.io/apimachinery/pkg/$p/generated.proto"; done
  echo k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1/generated.proto) | sort)
"$protoc" -I. --include_imports --descriptor_set_out="$out" $files 2>/dev/null
echo "wrote $out"
