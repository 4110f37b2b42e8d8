#!/bin/sh
# Regenerate bench/report/cjk.ttf: the glyphs of every CJK character the claims registry quotes
# (bench/claims/*.go), cut from Droid Sans Fallback (Apache License 2.0), so report.html shows
# the report's original words without a CJK font installed and without the network.
# Needs Debian's fonts-droid-fallback and python3-fonttools. Run after changing a quote;
# TestCJKFontCoversTheQuotes says when.
set -eu
cd "$(dirname "$0")/.."
font=/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf
[ -f "$font" ] || { echo "apt-get install fonts-droid-fallback python3-fonttools" >&2; exit 1; }
text=$(mktemp)
trap 'rm -f "$text"' EXIT
/usr/bin/python3 - bench/claims/*.go >"$text" <<'PY'
import sys
chars = set()
for path in sys.argv[1:]:
    chars.update(c for c in open(path, encoding="utf-8").read() if ord(c) >= 0x2E80)
print("".join(sorted(chars)))
PY
/usr/bin/python3 -m fontTools.subset "$font" --text-file="$text" --output-file=bench/report/cjk.ttf \
	--no-hinting --desubroutinize --layout-features='' --name-IDs='*' --name-legacy
echo "bench/report/cjk.ttf: $(wc -c <bench/report/cjk.ttf) bytes, $(wc -m <"$text") characters"
