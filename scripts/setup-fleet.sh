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
  # Keep the packages' services from starting: policy-rc.d answers "not now" to invoke-rc.d,
  # and under systemd the units are stopped and disabled right after.
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d.fleet
  chmod +x /usr/sbin/policy-rc.d.fleet
  had_policy=0
  [ -e /usr/sbin/policy-rc.d ] && had_policy=1
  [ $had_policy = 0 ] && mv /usr/sbin/policy-rc.d.fleet /usr/sbin/policy-rc.d || rm -f /usr/sbin/policy-rc.d.fleet
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  [ $had_policy = 0 ] && rm -f /usr/sbin/policy-rc.d
  if command -v systemctl >/dev/null && [ -d /run/systemd/system ]; then
    systemctl disable --now prometheus prometheus-pushgateway prometheus-node-exporter >/dev/null 2>&1 || true
  fi
else
  say "missing: run: sudo apt-get update && sudo apt-get install -y --no-install-recommends ${need[*]}"
  exit 1
fi
