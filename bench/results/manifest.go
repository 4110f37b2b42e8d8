package results

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"time"

	"github.com/gorustbench/gorustbench/bench/peer"
	"github.com/gorustbench/gorustbench/bench/probe"
	"golang.org/x/perf/benchfmt"
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
	// CaseInterrupted: the run stopped before the case finished; its samples are kept,
	// counted, and marked in samples.bench. A partial measurement, not no measurement.
	CaseInterrupted = "interrupted"
)

// Manifest is manifest.json: everything needed to interpret samples.bench later.
type Manifest struct {
	Schema      int      `json:"schema"`
	RunID       string   `json:"run_id"`
	Command     []string `json:"command"`
	Profile     string   `json:"profile"`
	State       string   `json:"state"`
	StateReason string   `json:"state_reason,omitempty"`
	// Owner is the harness writing the folder: a run "running" whose owner is gone is read
	// as interrupted (Load).
	Owner     *Owner     `json:"owner,omitempty"`
	Started   time.Time  `json:"started"`
	Finished  *time.Time `json:"finished,omitempty"`
	GitCommit string     `json:"git_commit"`
	// MachineName names the machine in a fleet (run --machine); "" means its host name, which
	// may collide across VMs and containers.
	MachineName string            `json:"machine,omitempty"`
	Host        probe.Host        `json:"host"`
	Toolchains  probe.Toolchains  `json:"toolchains"`
	Env         map[string]string `json:"env"` // GOGC, GOMEMLIMIT, ... as the harness saw them ("" = unset)
	Pinning     string            `json:"pinning"`
	LoadSlack   string            `json:"load_slack,omitempty"` // the open loop's resolution (loadgen.Config.Slack), e.g. "250µs"
	Native      bool              `json:"native"`               // peers from the native build (-march=native etc.)
	Build       *Build            `json:"build,omitempty"`
	Prebuilt    *Prebuilt         `json:"prebuilt,omitempty"` // peers from an archive (run --peers)
	Cases       []*CaseState      `json:"cases"`
	Samples     int               `json:"samples"`
	// Notes are what the harness did or found outside any case: peers a killed harness left
	// running and this run stopped, a write that failed.
	Notes []string `json:"notes,omitempty"`
}

// Prebuilt says the run's peers were not built here but packed elsewhere (gorustbench build
// --pack) and run from the archive or folder given to run --peers: where, when and with what.
type Prebuilt struct {
	Source     string           `json:"source"`    // the archive or folder given to --peers
	ID         string           `json:"id"`        // the pack's id: a hash of its binaries
	PackedOn   string           `json:"packed_on"` // the packing machine: CPU, cores, kernel
	PackedAt   time.Time        `json:"packed_at"`
	GitCommit  string           `json:"git_commit"`
	Toolchains probe.Toolchains `json:"toolchains"`
	Native     bool             `json:"native"`
	Builds     []string         `json:"builds,omitempty"` // the builds the pack holds: default, native or both
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
	// Unverified says why the case's output was checked against nothing: no answer fixed or
	// known, and no other implementation to agree with. Its numbers may be of wrong code.
	Unverified string `json:"unverified,omitempty"`
	Samples    int    `json:"samples"`
	// Looks is how many times a verdict looked at this case's samples to decide whether to
	// give it another whole round (sequential sampling); 0 or 1 when it ran only its planned
	// rounds. Its intervals are read at stats.LookConfidence(Looks).
	Looks int `json:"looks,omitempty"`
	// StartLooks is the same for a server case's warm start-ups when a look gave it timed
	// starts alone: those samples grew and are read at the stricter of the two levels; its
	// load windows and cold starts did not grow, and keep Looks'.
	StartLooks int    `json:"start_looks,omitempty"`
	Log        string `json:"log"` // stdout log, relative to the run folder; stderr beside it
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

	// Target is "" for the host's native executable, else the target it was built for
	// ("wasm32-wasip1").
	Target string `json:"target,omitempty"`
	// Toolchain is the compiler that built a non-native binary ("go1.26.8", "rustc 1.63.0
	// (/usr/bin/rustc)"), Command how, and NotBuilt why it was not built, with the command that
	// installs what is missing (then the sizes are 0 and mean nothing).
	Toolchain string   `json:"toolchain,omitempty"`
	Command   []string `json:"command,omitempty"`
	NotBuilt  string   `json:"not_built,omitempty"`
	// Note says what a size does not include or could not measure (no wasm-strip: no stripped
	// size).
	Note string `json:"note,omitempty"`

	// Needed are an ELF's DT_NEEDED libraries; CgoEnabled is a Go binary's CGO_ENABLED build
	// setting ("1", "0"); CgoPackages, for a dynamic Go binary, the packages of its build that
	// use cgo (runtime/cgo left out: it only follows them); Linkage says in words whether it
	// is static and, if not, why.
	Needed      []string `json:"needed,omitempty"`
	CgoEnabled  string   `json:"cgo_enabled,omitempty"`
	CgoPackages []string `json:"cgo_packages,omitempty"`
	Linkage     string   `json:"linkage,omitempty"`
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

// EnvRecorded are the environment variables that change what a run measures; the manifest
// records each (unset as "").
var EnvRecorded = []string{"GOGC", "GOMEMLIMIT", "GODEBUG", "GOMAXPROCS", "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"}

// NewRunID names a run begun at started: the time to the second (UTC), so ids sort by when,
// then 6 random hex digits, so that runs started in the same second on one machine (into
// different --out folders) or on a fleet's machines never share an id: a Pushgateway group is
// keyed by it.
func NewRunID(started time.Time) string {
	var r [3]byte
	if _, err := rand.Read(r[:]); err != nil {
		return started.Format("20060102-150405.000000000")
	}
	return started.Format("20060102-150405") + "-" + hex.EncodeToString(r[:])
}

// NewManifest starts the manifest of a run begun now: its id (NewRunID), the command
// line, the machine, the toolchains, the commit of root and the recorded environment.
func NewManifest(root, profile string, native bool, command []string) *Manifest {
	started := time.Now().UTC()
	m := &Manifest{
		RunID: NewRunID(started), Command: command, Profile: profile, Started: started,
		GitCommit: probe.GitCommit(root), Host: probe.ReadHost(), Toolchains: probe.ReadToolchains(),
		Env: map[string]string{}, Native: native,
	}
	for _, k := range EnvRecorded {
		m.Env[k] = os.Getenv(k)
	}
	return m
}

// ConfigLines are samples.bench's configuration lines: where the run ran, in words benchstat
// shows and can group by.
func (m *Manifest) ConfigLines() []benchfmt.Config {
	kv := [][2]string{
		{"goos", m.Host.OS}, {"goarch", m.Host.Arch}, {"cpu", m.Host.CPUModel},
		{"cpus", fmt.Sprint(m.Host.CPUs)}, {"kernel", m.Host.Kernel}, {"governor", m.Host.Governor},
		{"mem-total", fmt.Sprintf("%d MiB", m.Host.MemTotalB>>20)}, {"virtualization", m.Host.Virtualized},
		{"host", m.Host.Hostname}, {"go-toolchain", m.Toolchains.Go}, {"rustc", m.Toolchains.Rustc},
		{"cc", m.Toolchains.CC}, {"commit", m.GitCommit}, {"run-id", m.RunID}, {"profile", m.Profile},
		{"pinning", m.Pinning}, {"load-slack", m.LoadSlack}, {"build", map[bool]string{true: "native", false: "default"}[m.Native]},
	}
	var out []benchfmt.Config
	for _, c := range kv {
		if c[1] == "" {
			c[1] = "unknown"
		}
		out = append(out, benchfmt.Config{Key: c[0], Value: []byte(c[1]), File: true})
	}
	return out
}
