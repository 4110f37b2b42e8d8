package runner

import (
	"os"
	"slices"
	"strings"

	"github.com/gorustbench/gorustbench/bench/results"
)

// PeerPassThrough are the variables of the harness's own environment that reach a peer; every
// other variable of the caller's shell is dropped, so that two runs differ only by what the
// user changed on purpose. They are what a process needs to start and behave ordinarily (find
// programs, a home, a temporary folder, the locale and the time zone), not what it measures.
// Variables whose names start with one of PeerPassPrefixes pass too.
var PeerPassThrough = []string{"PATH", "HOME", "USER", "LOGNAME", "SHELL", "TMPDIR", "TZ", "LANG", "LANGUAGE"}

// PeerPassPrefixes mark the variables that pass by their name's start: the locale (LC_ALL,
// LC_NUMERIC, ...) and the project's own namespace, GORUSTBENCH_*, the one way to hand a
// peer something on purpose.
var PeerPassPrefixes = []string{"LC_", "GORUSTBENCH_"}

// PeerEnv is a peer's whole environment: the pass-through variables the harness has
// (PeerPassThrough, PeerPassPrefixes), the harness's measured settings as the manifest records them
// (results.EnvRecorded: GOGC, GOMEMLIMIT, GODEBUG, GOMAXPROCS, OPENBLAS_*; set ones only), then
// extra, the case's own settings (GOMAXPROCS=1, ...), which win over anything before them.
func PeerEnv(extra []string) []string {
	return peerEnv(os.Environ(), extra)
}

func peerEnv(environ, extra []string) []string {
	var out []string
	for _, kv := range environ {
		name, _, ok := strings.Cut(kv, "=")
		if !ok {
			continue
		}
		if slices.Contains(PeerPassThrough, name) || passesByPrefix(name) || slices.Contains(results.EnvRecorded, name) {
			out = append(out, kv)
		}
	}
	return setEnv(out, extra)
}

func passesByPrefix(name string) bool {
	for _, p := range PeerPassPrefixes {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}

// setEnv sets extra's variables in env, later ones winning: a process started with a
// variable twice would see the first (C's getenv, Go's os.Getenv), so none is passed twice.
func setEnv(env, extra []string) []string {
	out := append([]string(nil), env...)
	at := make(map[string]int, len(out)+len(extra))
	for i, kv := range out {
		name, _, _ := strings.Cut(kv, "=")
		at[name] = i
	}
	for _, kv := range extra {
		name, _, _ := strings.Cut(kv, "=")
		if i, ok := at[name]; ok {
			out[i] = kv
			continue
		}
		at[name] = len(out)
		out = append(out, kv)
	}
	return out
}
