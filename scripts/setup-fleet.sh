#!/usr/bin/env bash
# Installs what the fleet integration test (scripts/check-fleet.sh) and the operator's rule
# checks need: Debian's prometheus (prometheus, promtool) and prometheus-pushgateway. Only CI
# (.ci/run) and 'make check-fleet' call it: 'make bench' on a fresh machine never installs
# servers it does not need. As root with apt-get it installs them; otherwise it prints the
# command. The packages' services are not started or enabled: the check runs its own on
# loopback ports.
set -euo pipefail
say() { printf 'setup-fleet: %s\n' "$*"; }

need=()
command -v promtool >/dev/null && command -v prometheus >/dev/null || need+=(prometheus)
command -v prometheus-pushgateway >/dev/null || need+=(prometheus-pushgateway)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  say "installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # Keep the packages' services from starting: a policy-rc.d that answers "not now" to
  # invoke-rc.d (unless the machine has its own), and under systemd stop and disable them after.
  our_policy=/usr/sbin/policy-rc.d
  if [ -e $our_policy ]; then
    our_policy=""
  else
    printf '#!/bin/sh\nexit 101\n' >$our_policy
    chmod +x $our_policy
  fi
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  if [ -n "$our_policy" ]; then rm -f "$our_policy"; fi
  if command -v systemctl >/dev/null && [ -d /run/systemd/system ]; then
    systemctl disable --now prometheus prometheus-pushgateway prometheus-node-exporter >/dev/null 2>&1 || true
  fi
else
  say "missing: run: sudo apt-get update && sudo apt-get install -y --no-install-recommends ${need[*]}"
  exit 1
fi
