package results

import (
	"fmt"
	"os"
	"strings"

	"github.com/gorustbench/gorustbench/bench/probe"
)

// Owner is the harness process that writes a run folder, recorded so that a reader can tell
// a run in progress from one whose harness died without a chance to say so (SIGKILL, a
// crash, a reboot).
type Owner struct {
	PID    int    `json:"pid"`
	Start  string `json:"start"`   // its start time, field 22 of /proc/PID/stat (a pid is reused)
	BootID string `json:"boot_id"` // /proc/sys/kernel/random/boot_id
	Host   string `json:"host"`
}

// thisProcess is the Owner record of the calling process.
func thisProcess() *Owner {
	host, _ := os.Hostname()
	return &Owner{PID: os.Getpid(), Start: probe.StartTime(os.Getpid()), BootID: bootID(), Host: host}
}

// Gone reports whether the owner is known to be dead: on this host, since another boot, or
// its pid no longer the process that started the run. Another host's owner is not known.
func (o *Owner) Gone() bool {
	if o == nil || o.BootID == "" {
		return false
	}
	if host, _ := os.Hostname(); host != o.Host {
		return false
	}
	if b := bootID(); b != "" && b != o.BootID {
		return true
	}
	return probe.StartTime(o.PID) != o.Start
}

func bootID() string {
	b, _ := os.ReadFile("/proc/sys/kernel/random/boot_id")
	return strings.TrimSpace(string(b))
}

// settleAbandoned reads a run left "running" by a harness that is gone as what it is: an
// interrupted run, saying so. The folder on disk is not rewritten.
func settleAbandoned(m *Manifest) {
	if m.State != StateRunning || !m.Owner.Gone() {
		return
	}
	m.State = StateInterrupted
	m.StateReason = fmt.Sprintf("its harness (pid %d) died without a chance to say so (killed with SIGKILL, a crash, or a reboot); manifest.json still says running; the samples written up to then are kept", m.Owner.PID)
}
