#!/usr/bin/env bash
# Installs etcd 3.4 (Debian's etcd-server package, binary /usr/bin/etcd) for `kronika bench store`.
# The benchmark does the same by itself when etcd is missing; run this as root to do it ahead of time.
set -euo pipefail
if [[ -x /usr/bin/etcd ]]; then
  echo "etcd already installed: $(/usr/bin/etcd --version | head -1)"
  exit 0
fi
if [[ $EUID -ne 0 ]]; then
  echo "install-etcd.sh: needs root (apt-get install)" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get install -y --no-install-recommends etcd-server || { apt-get update && apt-get install -y --no-install-recommends etcd-server; }
echo "installed: $(/usr/bin/etcd --version | head -1)"
