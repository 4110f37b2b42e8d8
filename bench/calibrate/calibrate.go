// Package calibrate checks the harness's instruments on the machine they run on, each against
// an independent tool or a known answer, and measures the machine's own noise floor:
//
//   - the start-up clock (exec to exit) against hyperfine -N, same binary, CPU and minute;
//   - peak RSS against /usr/bin/time -v, and against memhog's known 64 MiB;
//   - CPU time (wait4's user+sys) against a peer that burns a known amount of CPU;
//   - the hiccup meter of each kit (C, Go, Rust) against a SIGSTOP of known length;
//   - the load generator against wrk at its maximum (throughput) and h2load at a fixed rate
//     (CPU per request), its schedule lag against the machine's own stalls on its CPU;
//   - the floor: an idle thread's stalls per CPU, the timer slack, the hypervisor's steal.
//
// A check runs the harness's own code path (runner.Exec, runner.StartServer, loadgen.Run)
// with the pinning a run uses. Ratios to an independent tool are judged with a tolerance that
// covers a shared machine's noise (15% by default); a failed check is run once more before it
// counts, because one slow minute is not a broken instrument.
package calibrate

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/gorustbench/gorustbench/bench/probe"
	"github.com/gorustbench/gorustbench/bench/results"
	"github.com/gorustbench/gorustbench/bench/runner"
)

// Modes: Short is what a run does before its profile (about 30 s); Full is `make calibrate`
// and CI (about 90 s), with at least 200 start-ups per hello on each side.
const (
	Short = "short"
	Full  = "full"
)

// DefaultTolerance is how far a ratio to an independent tool may be from 1 on a shared
// machine before the instrument is called wrong.
const DefaultTolerance = 0.15

// Config says what to check and how.
type Config struct {
	Root string // repository root: peer binaries are found under it
	// CPUs peers may be pinned to (probe.AllowedCPUs); the last one is the peer's, the first
	// the harness's and the load generator's.
	CPUs      []int
	Only      []string // instruments (results.Instr*) to check; empty: all
	Mode      string   // Short or Full
	Tolerance float64  // for ratios to an independent tool; 0: DefaultTolerance
	Retries   int      // a failed check is run again this many times
	Log       io.Writer
}

// sizes are the repetitions of a mode.
type sizes struct {
	startups     int           // per hello, per side
	blocks       int           // the start-ups alternate between harness and hyperfine in this many blocks
	floor        time.Duration // the idle meter on each CPU
	window       time.Duration // each load window
	rate         float64       // the open loop's fixed rate
	stall        time.Duration // the known stall for the hiccup meters
	burn, memhog int64         // ms of CPU; MiB
}

func (c Config) sizes() sizes {
	if c.Mode == Full {
		return sizes{startups: 300, blocks: 6, floor: 2 * time.Second, window: 8 * time.Second, rate: 10000, stall: 100 * time.Millisecond, burn: 300, memhog: 64}
	}
	return sizes{startups: 100, blocks: 4, floor: time.Second, window: 3 * time.Second, rate: 10000, stall: 100 * time.Millisecond, burn: 200, memhog: 64}
}

func (c Config) wants(instr string) bool {
	if len(c.Only) == 0 {
		return true
	}
	for _, o := range c.Only {
		if o == instr {
			return true
		}
	}
	return false
}

func (c Config) logf(format string, a ...any) {
	if c.Log != nil {
		fmt.Fprintf(c.Log, format+"\n", a...)
	}
}

// Instruments are the instruments Run can check, in the order it checks them.
var Instruments = []string{results.InstrStartup, results.InstrPeakRSS, results.InstrCPUTime, results.InstrHiccup, results.InstrLoadgen}

// Run checks the instruments cfg names and measures the floor. Its error is for what stops
// the whole calibration (an interruption, a folder it cannot write); a check that cannot run
// is a skipped row that says why.
func Run(ctx context.Context, cfg Config) (*results.Calibration, error) {
	if cfg.Tolerance == 0 {
		cfg.Tolerance = DefaultTolerance
	}
	if cfg.Mode == "" {
		cfg.Mode = Short
	}
	if len(cfg.CPUs) == 0 {
		cfg.CPUs = probe.AllowedCPUs()
	}
	logs, err := os.MkdirTemp("", "gorustbench-calibrate-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(logs)
	k := &kit{cfg: cfg, sz: cfg.sizes(), logs: logs}
	cal := &results.Calibration{Started: time.Now().UTC(), Mode: cfg.Mode, Floor: results.Floor{StealFraction: -1}}
	steal0, total0, stealErr := probe.ReadSteal()

	cfg.logf("calibrate: the machine's floor (an idle thread's stalls on each CPU, %v each)", k.sz.floor)
	if cal.Floor, err = k.floor(ctx); err != nil {
		return nil, err
	}
	type step struct {
		instr string
		run   func(context.Context) ([]results.Check, error)
	}
	steps := []step{
		{results.InstrStartup, k.startup},
		{results.InstrPeakRSS, k.peakRSS},
		{results.InstrCPUTime, k.cpuTime},
		{results.InstrHiccup, k.hiccup},
		{results.InstrLoadgen, func(ctx context.Context) ([]results.Check, error) { return k.loadgen(ctx, cal.Floor) }},
	}
	for _, s := range steps {
		if !cfg.wants(s.instr) {
			continue
		}
		cfg.logf("calibrate: %s", s.instr)
		checks, err := s.run(ctx)
		if err != nil {
			return nil, err
		}
		for i := range checks {
			checks[i].Attempts = 1
			for try := 0; try < cfg.Retries && checks[i].Status == results.CheckFail; try++ {
				cfg.logf("calibrate: %s failed (%+.1f%%), once more: the machine is shared", checks[i].Name, 100*checks[i].Error)
				again, err := s.run(ctx)
				if err != nil {
					return nil, err
				}
				if j := find(again, checks[i].Name); j >= 0 {
					first := checks[i]
					checks[i] = again[j]
					checks[i].Attempts = first.Attempts + 1
					checks[i].Note = joinNote(checks[i].Note, fmt.Sprintf("first attempt %+.1f%%", 100*first.Error))
				}
			}
		}
		cal.Checks = append(cal.Checks, checks...)
	}
	if steal1, total1, err := probe.ReadSteal(); err == nil && stealErr == nil && total1 > total0 {
		cal.Floor.StealFraction = float64(steal1-steal0) / float64(total1-total0)
	}
	cal.Duration = time.Since(cal.Started).Seconds()
	return cal, nil
}

func find(checks []results.Check, name string) int {
	for i, c := range checks {
		if c.Name == name {
			return i
		}
	}
	return -1
}

func joinNote(a, b string) string {
	if a == "" {
		return b
	}
	return a + "; " + b
}

// kit holds what the checks share.
type kit struct {
	cfg    Config
	sz     sizes
	logs   string // the peers' output, for the length of the calibration
	pinned bool   // pinHarness holds the harness on its CPU
}

// pinHarness keeps the harness's threads on its CPU for a block of runs, as a run keeps them
// for a group of cases; unpin lets them go.
func (k *kit) pinHarness() (unpin func(), err error) {
	restore, err := runner.PinHarness(k.cfg.CPUs)
	if err != nil {
		return nil, err
	}
	k.pinned = true
	return func() { k.pinned = false; restore() }, nil
}

// peerCPU is where one-thread peers run, harnessCPU where the harness and the load generator do.
func (k *kit) peerCPU() int    { return k.cfg.CPUs[len(k.cfg.CPUs)-1] }
func (k *kit) harnessCPU() int { return k.cfg.CPUs[0] }

func (k *kit) bin(rel string) (string, error) {
	path := filepath.Join(k.cfg.Root, rel)
	if _, err := os.Stat(path); err != nil {
		return "", fmt.Errorf("%s is not built (run make peers)", rel)
	}
	return path, nil
}

// logFiles opens a fresh pair of log files for a peer.
func (k *kit) logFiles(name string) (out, errf *os.File, err error) {
	out, err = os.CreateTemp(k.logs, name+"-*.out")
	if err != nil {
		return nil, nil, err
	}
	errf, err = os.CreateTemp(k.logs, name+"-*.err")
	if err != nil {
		out.Close()
		return nil, nil, err
	}
	return out, errf, nil
}

// execPeer runs one batch peer as a run does (runner.Exec, pinned, the harness on its CPU,
// pinned for this run unless pinHarness already holds it there for a block of runs).
func (k *kit) execPeer(ctx context.Context, path string, args []string, started func(int)) (runner.Outcome, error) {
	out, errf, err := k.logFiles(filepath.Base(path))
	if err != nil {
		return runner.Outcome{}, err
	}
	defer out.Close()
	defer errf.Close()
	if !k.pinned {
		restore, err := runner.PinHarness(k.cfg.CPUs)
		if err != nil {
			return runner.Outcome{}, err
		}
		defer restore()
	}
	o, err := runner.Exec(ctx, runner.Spec{Path: path, Args: args, Env: runner.ThreadEnv(1), CPUs: []int{k.peerCPU()},
		Timeout: time.Minute, Stdout: out, Stderr: errf, Started: started})
	if err != nil {
		return o, err
	}
	if why := o.Failure(time.Minute); why != "" {
		return o, fmt.Errorf("%s %s", filepath.Base(path), why)
	}
	return o, nil
}

// tool runs an independent tool pinned to cpu (taskset), with env as its whole environment
// (nil: the harness's), and returns its rusage's user+sys.
func tool(ctx context.Context, cpu int, env []string, stdout io.Writer, name string, args ...string) (time.Duration, error) {
	if _, err := exec.LookPath(name); err != nil {
		return 0, fmt.Errorf("%s is not installed (scripts/setup.sh installs it)", name)
	}
	cmd := exec.CommandContext(ctx, "taskset", append([]string{"-c", fmt.Sprint(cpu), name}, args...)...)
	cmd.Env = env
	if env == nil {
		cmd.Env = os.Environ()
	}
	cmd.Stdout = stdout
	var stderr limited
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return 0, ctx.Err()
		}
		return 0, fmt.Errorf("%s: %v: %s", name, err, stderr.String())
	}
	return cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime(), nil
}

// limited keeps the first 2 KiB written to it.
type limited struct{ b []byte }

func (l *limited) Write(p []byte) (int, error) {
	if room := 2048 - len(l.b); room > 0 {
		l.b = append(l.b, p[:min(room, len(p))]...)
	}
	return len(p), nil
}
func (l *limited) String() string { return string(l.b) }

// skipped is a check that could not run, saying why.
func skipped(instr, name, ref string, why error) results.Check {
	return results.Check{Instrument: instr, Name: name, Reference: ref, Status: results.CheckSkipped, Note: why.Error()}
}

// interrupted reports whether err means the calibration itself must stop.
func interrupted(ctx context.Context, err error) bool {
	return ctx.Err() != nil || errors.Is(err, runner.ErrInterrupted)
}
