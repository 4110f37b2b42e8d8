package runner

import (
	"slices"
	"testing"
)

func TestPeerEnv(t *testing.T) {
	environ := []string{
		"PATH=/usr/bin", "HOME=/root", "LC_ALL=C.UTF-8", "LANG=C.UTF-8", "TMPDIR=/tmp",
		"GOGC=200", "GOMAXPROCS=8", // the harness's measured settings: recorded, so they pass
		"MALLOC_ARENA_MAX=2", "LD_PRELOAD=/x.so", "RUSTFLAGS=-Cfoo", "SSH_AUTH_SOCK=/s", "CI=true", // the caller's: dropped
		"NOEQUALS",
	}
	got := peerEnv(environ, []string{"GOMAXPROCS=1", "OPENBLAS_NUM_THREADS=1"})
	// The case's GOMAXPROCS replaces the harness's in place: a variable passed twice would be
	// read as its first value.
	want := []string{"PATH=/usr/bin", "HOME=/root", "LC_ALL=C.UTF-8", "LANG=C.UTF-8", "TMPDIR=/tmp", "GOGC=200", "GOMAXPROCS=1",
		"OPENBLAS_NUM_THREADS=1"}
	if !slices.Equal(got, want) {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}
