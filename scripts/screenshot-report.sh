#!/bin/sh
# Render a run's report.html in headless Chromium (Debian's package: apt-get install chromium)
# with every network path closed, save a screenshot, and fail if the page asked the network for
# anything. Usage: scripts/screenshot-report.sh RUN-FOLDER|PAGE.html [OUT.png]
#   A page (compare --format html > compare.html) is rendered the same way, its PNG beside it.
#   HEIGHT (default 16000) and WIDTH (default 1200) set the window, in CSS pixels.
set -eu
if [ -f "$1" ]; then
	html=$(realpath "$1")
	out=${2:-${html%.html}.png}
else
	run=$(realpath "$1")
	html="$run/report.html"
	out=${2:-$run/report.png}
	[ -f "$html" ] || { echo "no $html: run gorustbench report $1 first" >&2; exit 1; }
fi
browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
[ -n "$browser" ] || { echo "no chromium: apt-get install chromium" >&2; exit 1; }
netlog=$(mktemp)
profile=$(mktemp -d)
trap 'rm -rf "$netlog" "$profile"' EXIT
# No resolver, a dead proxy, no background services: a page that needs the network shows it.
"$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir="$profile" \
	--no-first-run --disable-background-networking --disable-component-update --disable-sync \
	--disable-default-apps --host-resolver-rules='MAP * ~NOTFOUND' --proxy-server='http://127.0.0.1:9' \
	--log-net-log="$netlog" --window-size="${WIDTH:-1200},${HEIGHT:-16000}" \
	--screenshot="$out" "file://$html" 2>/dev/null
# The page's own requests carry its file:// isolation key; the browser's services (update
# checks) do not and are blocked by the dead proxy anyway.
if ! python3 - "$netlog" <<'PY'
import json, sys
events = json.load(open(sys.argv[1]))["events"]
asked = sorted({e["params"]["url"] for e in events
                if "url" in e.get("params", {})
                and str(e["params"].get("network_isolation_key", "")).startswith("file://")
                and not e["params"]["url"].startswith(("file:", "data:"))})
for u in asked:
    print(u)
sys.exit(1 if asked else 0)
PY
then
	echo "$(basename "$html") asked the network for the URLs above" >&2
	exit 1
fi
echo "$out (no network request)"
