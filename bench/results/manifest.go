package results

import (
	"fmt"
	"time"

	"github.com/gorustbench/gorustbench/bench/peer"
	"github.com/gorustbench/gorustbench/bench/probe"
)

// Schema is the manifest format's version.
const Schema = 1

// Run states.
const (
	StateRunning     = "running"     // in progress, or the harness was killed without a chance to say so
	StateComplete    = "complete"    // every case ran; some may have failed (see Cases)
	StateInterrupted = "interrupted" // stopped by a signal; every sample taken so far is kept
)

// Case states.
const (
	CasePending = "pending"
	CaseOK      = "ok"
	CaseFailed  = "failed"
	CaseSkipped = "skipped"
)

// Manifest is manifest.json: everything needed to interpret samples.bench later.
type Manifest struct {
	Schema      int               `json:"schema"`
	RunID       string            `json:"run_id"`
	Command     []string          `json:"command"`
	Profile     string            `json:"profile"`
	State       string            `json:"state"`
	StateReason string            `json:"state_reason,omitempty"`
	Started     time.Time         `json:"started"`
	Finished    *time.Time        `json:"finished,omitempty"`
	GitCommit   string            `json:"git_commit"`
	Host        probe.Host        `json:"host"`
	Toolchains  probe.Toolchains  `json:"toolchains"`
	Env         map[string]string `json:"env"` // GOGC, GOMEMLIMIT, ... as the harness saw them ("" = unset)
	Pinning     string            `json:"pinning"`
	Native      bool              `json:"native"` // peers from the native build (-march=native etc.)
	Build       *Build            `json:"build,omitempty"`
	Cases       []*CaseState      `json:"cases"`
	Samples     int               `json:"samples"`
}

// CaseState is one case's outcome.
type CaseState struct {
	Name     string      `json:"name"` // the benchmark name in samples.bench
	Workload string      `json:"workload"`
	Impl     string      `json:"impl"`
	Group    string      `json:"group"`
	Params   peer.Params `json:"params"`
	State    string      `json:"state"`
	Reason   string      `json:"reason,omitempty"`
	Command  []string    `json:"command"`
	CPUs     []int       `json:"cpus"` // the peer's CPU affinity; empty means unpinned
	Env      []string    `json:"env"`  // variables the harness set for the peer
	Checksum string      `json:"checksum,omitempty"`
	Samples  int         `json:"samples"`
	Log      string      `json:"log"` // stdout log, relative to the run folder; stderr beside it
	// Notes are what a reader of the numbers must know, such as a load generator that may
	// have been the bottleneck.
	Notes []string `json:"notes,omitempty"`
}

// Build is what the build step recorded (gorustbench build): per language, how long a clean
// build and a one-file-changed rebuild took, and every binary's size.
type Build struct {
	When      time.Time      `json:"when"`
	Native    bool           `json:"native"` // -march=native / target-cpu=native
	Languages []BuildLang    `json:"languages"`
	Binaries  []BinaryRecord `json:"binaries"`
}

// BuildLang is one language's build timings.
type BuildLang struct {
	Lang        string   `json:"lang"`
	Command     []string `json:"command"`
	Flags       string   `json:"flags"`
	CleanNs     int64    `json:"clean_ns"`
	RebuildNs   int64    `json:"rebuild_ns"` // after one source file of the shared kit changed
	ChangedFile string   `json:"changed_file"`
	Scope       string   `json:"scope"` // what "clean" included
	Error       string   `json:"error,omitempty"`
}

// BinaryRecord is the size of one built peer.
type BinaryRecord struct {
	Lang          string `json:"lang"`
	Workload      string `json:"workload"`
	Path          string `json:"path"`
	Bytes         int64  `json:"bytes"`
	StrippedBytes int64  `json:"stripped_bytes"`
	Static        bool   `json:"static"` // no ELF interpreter: runs without a dynamic loader
}

// Machine describes where the run ran, in one line: CPU, cores, memory, kernel,
// virtualization and the run id. Every verdict cites it.
func (m *Manifest) Machine() string {
	h := m.Host
	s := fmt.Sprintf("%s, %d CPUs, %.0f GiB, kernel %s", h.CPUModel, h.CPUs, float64(h.MemTotalB)/(1<<30), h.Kernel)
	if h.Virtualized != "" {
		s += ", " + h.Virtualized
	}
	return s + ", run " + m.RunID
}
