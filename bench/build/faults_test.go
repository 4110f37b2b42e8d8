package build

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fakeTools writes tiny stand-ins for go, cargo, make and strip into a folder that becomes
// the whole PATH: no cc. cargo fails when told to (FAKE_CARGO_FAIL), after leaving a
// half-built binary behind, as a failed build does.
func fakeTools(t *testing.T) string {
	bin := t.TempDir()
	goPeers, rustPeers := strings.Join(Peers["go"], " "), strings.Join(Peers["rust"], " ")
	scripts := map[string]string{
		"go": `case "$1" in
list) echo fmt ;;
build) out=""; prev=""
  for a in "$@"; do [ "$prev" = "-o" ] && out="$a"; prev="$a"; done
  [ -n "$out" ] && /bin/mkdir -p "$out" && for n in GOPEERS; do echo new > "$out/$n"; done; true ;;
esac`,
		"cargo": `case "$1" in
clean) /bin/rm -rf rustpeers/target/release ;;
build) dir=rustpeers/target; prev=""
  for a in "$@"; do [ "$prev" = "--target-dir" ] && dir="$a"; prev="$a"; done
  /bin/mkdir -p "$dir/release"; echo half > "$dir/release/hello"
  [ -n "$FAKE_CARGO_FAIL" ] && { echo "error: could not compile" >&2; exit 101; }
  for n in RUSTPEERS; do echo new > "$dir/release/$n"; done ;;
esac`,
		"make": `for a in "$@"; do [ "$a" = clean ] && { /bin/rm -rf cpeers/bin cpeers/bin-native; exit 0; }; done
command -v cc >/dev/null || { echo "make: cc: No such file or directory" >&2; exit 2; }`,
		"strip": `/bin/cp "$3" "$2"`,
	}
	for name, body := range scripts {
		body = strings.NewReplacer("GOPEERS", goPeers, "RUSTPEERS", rustPeers).Replace(body)
		if err := os.WriteFile(filepath.Join(bin, name), []byte("#!/bin/sh\n"+body+"\n"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return bin
}

// Fault 5: a build without a C compiler, and a Rust build that fails, keep the working
// peers of those languages and record no build time for them.
func TestFailedBuildKeepsThePreviousPeers(t *testing.T) {
	root := t.TempDir()
	for lang, names := range Peers {
		for _, n := range names {
			p := filepath.Join(root, BinaryPath(lang, n, false))
			os.MkdirAll(filepath.Dir(p), 0o755)
			os.WriteFile(p, []byte("old\n"), 0o755)
		}
	}
	for _, f := range []string{"workloads/peerkit/peerkit.go", "rustpeers/common/src/lib.rs", "cpeers/peerkit.c"} {
		os.MkdirAll(filepath.Join(root, filepath.Dir(f)), 0o755)
		os.WriteFile(filepath.Join(root, f), []byte("// kit\n"), 0o644)
	}
	t.Setenv("PATH", fakeTools(t))
	t.Setenv("FAKE_CARGO_FAIL", "1")
	b, err := Build(context.Background(), Options{Root: root, Clean: true, Log: io.Discard})
	if err == nil || !strings.Contains(err.Error(), "cc is not installed") {
		t.Errorf("build error %v, want cc named", err)
	}
	for _, l := range b.Languages {
		failed := l.Lang != "go"
		if failed != (l.Error != "") || (failed && (l.CleanNs != 0 || l.RebuildNs != 0)) || (!failed && l.CleanNs == 0) {
			t.Errorf("%s: error %q, clean %d ns, rebuild %d ns", l.Lang, l.Error, l.CleanNs, l.RebuildNs)
		}
	}
	for lang, names := range Peers {
		want := map[string]string{"go": "new\n", "rust": "old\n", "c": "old\n"}[lang]
		for _, n := range names {
			if got, _ := os.ReadFile(filepath.Join(root, BinaryPath(lang, n, false))); string(got) != want {
				t.Errorf("%s %s: %q after the build, want %q", lang, n, got, want)
			}
		}
	}
	for _, s := range Samples(b) {
		if strings.Contains(s.Key.String(), "Build") && !strings.Contains(s.Key.String(), "go") {
			t.Errorf("a build time recorded for a build that failed: %s", s.Key)
		}
	}
	// Nothing temporary is left beside the binaries.
	for _, dir := range []string{"workloads", "cpeers", "rustpeers/target"} {
		entries, _ := os.ReadDir(filepath.Join(root, dir))
		for _, e := range entries {
			if strings.Contains(e.Name(), ".new-") || strings.HasSuffix(e.Name(), ".old") {
				t.Errorf("left %s/%s behind", dir, e.Name())
			}
		}
	}
}
