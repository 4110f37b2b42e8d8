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
// The locale variables LC_* pass too (LocalePrefix).
var PeerPassThrough = []string{"PATH", "HOME", "USER", "LOGNAME", "SHELL", "TMPDIR", "TZ", "LANG", "LANGUAGE"}

// LocalePrefix marks the locale variables (LC_ALL, LC_NUMERIC, ...), which pass through.
const LocalePrefix = "LC_"

// PeerEnv is a peer's whole environment: the pass-through variables the harness has
// (PeerPassThrough, LC_*), the harness's measured settings as the manifest records them
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
		if slices.Contains(PeerPassThrough, name) || strings.HasPrefix(name, LocalePrefix) || slices.Contains(results.EnvRecorded, name) {
			out = append(out, kv)
		}
	}
	// exec.Cmd keeps the last value of a repeated variable: extra wins.
	return append(out, extra...)
}
