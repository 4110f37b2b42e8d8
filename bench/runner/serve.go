package runner

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"time"

	"github.com/gorustbench/gorustbench/bench/key"
	"github.com/gorustbench/gorustbench/bench/loadgen"
	"github.com/gorustbench/gorustbench/bench/peer"
	"github.com/gorustbench/gorustbench/bench/probe"
	"github.com/gorustbench/gorustbench/bench/results"
	"github.com/gorustbench/gorustbench/bench/suite"
	"github.com/gorustbench/gorustbench/bench/units"
	"golang.org/x/perf/benchfmt"
)

// Phases of a peer's runs, as the progress line and the logs name them.
const (
	phaseVerify = "verify"     // the first run: checked before anything is timed
	phaseWarmup = "warm-up"    // discarded
	phaseTimed  = "timed"      // a sample
	phaseCold   = "cold start" // a start-up with the page cache dropped first
)

// runServerGroup measures server peers in four phases: start-ups (exec to READY, exec to the
// first 200, idle RSS), the first of which verifies the service; cold start-ups; each
// server's maximum throughput in a closed loop; then open-loop rates common to all servers
// (fractions of the slowest one's maximum), repeated and interleaved, each round measuring
// the maximum again. The load generator runs in the harness, pinned to the CPUs the servers
// do not have.
func (r *Runner) runServerGroup(ctx context.Context, g []*caseRun, done *int) error {
	for _, cr := range g {
		r.skipUnbuilt(cr)
	}
	defer r.endPending(g)
	if err := r.serverStartups(ctx, g, done); err != nil {
		return err
	}
	if err := r.coldStartups(ctx, g, done); err != nil {
		return err
	}
	plan := g[0].c.Load
	if plan == nil || len(live(g)) == 0 {
		return nil
	}
	return r.withLoad(ctx, g, done, func(load loadWindow) error {
		// The slowest server's closed-loop maximum sets the open-loop rates for all of them.
		slowest := 0.0
		for _, cr := range live(g) {
			res, ok, err := load(cr, 0, key.Max)
			if err != nil {
				return err
			}
			if ok && (slowest == 0 || res.AchievedRate < slowest) {
				slowest = res.AchievedRate
			}
		}
		for _, cr := range g {
			cr.slowest = slowest
		}
		if slowest == 0 {
			return nil
		}
		for round := 0; round < plan.Rounds; round++ {
			if err := r.loadRound(ctx, g, round, load); err != nil {
				return err
			}
		}
		return nil
	})
}

// loadRound is one interleaved round of load windows of g's live servers, each preceded by a
// measure of the machine's own stalls on the servers' CPU with nothing else on it.
func (r *Runner) loadRound(ctx context.Context, g []*caseRun, round int, load loadWindow) error {
	began := time.Now()
	if err := r.measureFloor(ctx, g[0].st.CPUs, g[0].c.Load.Duration); err != nil {
		return err
	}
	share := time.Since(began) / time.Duration(max(1, len(live(g)))) // the floor's cost, shared
	for _, cr := range rotated(live(g), round) {
		cr.loadCost.sum += share
		began := time.Now()
		if err := serverRound(cr, round, cr.slowest, cr.c.Load, load); err != nil {
			return err
		}
		cr.loadCost.add(time.Since(began))
	}
	return nil
}

// withLoad runs f with the harness pinned to the CPUs g's servers do not have (the load
// generator's), the histogram log open, and load measuring one window of a server.
func (r *Runner) withLoad(ctx context.Context, g []*caseRun, done *int, f func(load loadWindow) error) error {
	if r.hlog == nil {
		l, err := results.OpenHistogramLog(r.Dir.Path)
		if err != nil {
			return fmt.Errorf("opening the histogram log: %w", err)
		}
		r.hlog = l
		defer func() { l.Close(); r.hlog = nil }()
	}
	lgCPUs := r.loadgenCPUs(g)
	restore, err := pinSelf(lgCPUs)
	if err != nil {
		return err
	}
	defer restore()
	return f(func(cr *caseRun, rate float64, level key.Level) (loadgen.Result, bool, error) {
		s, res, err := r.serverLoad(ctx, cr, rate, level, lgCPUs, done)
		if err != nil || s == nil {
			return res, false, err
		}
		if err := r.record(cr, *s); err != nil {
			return res, false, err
		}
		if s.Failed != "" {
			r.fail(cr, fmt.Sprintf("load %s window failed: %s; its %d planned load window(s) after it did not run", level, s.Failed, r.windowsLeft(cr)))
			return res, false, nil
		}
		return res, true, nil
	})
}

// loadWindow runs one load window of cr at rate (0: closed loop) and level; ok is false when
// it gave no sample or failed (the case then failed, saying why), and always with err.
type loadWindow func(cr *caseRun, rate float64, level key.Level) (res loadgen.Result, ok bool, err error)

// serverRound is one round of cr's load windows: the maximum again (round 0's was measured
// to derive the rates), each open-loop level, and the stalls window. A failed window ends
// the case's round.
func serverRound(cr *caseRun, round int, slowest float64, plan *suite.LoadPlan, load loadWindow) error {
	if round > 0 {
		if _, ok, err := load(cr, 0, key.Max); !ok {
			return err
		}
	}
	for k, f := range plan.Fractions {
		if _, ok, err := load(cr, f*slowest, plan.Levels[k]); !ok {
			return err
		}
	}
	if plan.StallsFraction > 0 && cr.st.State == results.CasePending {
		_, _, err := load(cr, plan.StallsFraction*slowest, key.Stalls)
		return err
	}
	return nil
}

// plannedRuns is how many peer runs a case takes, for the progress total: its verify run and
// warm-ups, its timed runs and, for a server, every start and load window runServerGroup
// plans (the cold starts, and each round's maximum, levels and stalls window).
func plannedRuns(c *suite.Case) int {
	n := max(1, c.Warmup) + c.Repeat
	if l := c.Load; l != nil {
		perRound := 1 + len(l.Fractions)
		if l.StallsFraction > 0 {
			perRound++
		}
		n += l.Cold + l.Rounds*perRound
	}
	return n
}

// rotated is l with its first i%len(l) cases moved to the end: repetition i of an
// interleaved group starts with another implementation (A B C, B C A, ...).
func rotated(l []*caseRun, i int) []*caseRun {
	if len(l) == 0 {
		return l
	}
	i %= len(l)
	return append(append([]*caseRun(nil), l[i:]...), l[:i]...)
}

// serverStartups verifies each server on its first start, discards the warm-ups, then takes
// the timed starts, interleaved.
func (r *Runner) serverStartups(ctx context.Context, g []*caseRun, done *int) error {
	c0 := g[0].c
	for i := 0; i < c0.Warmup+c0.Repeat; i++ {
		phase := phaseTimed
		switch {
		case i == 0:
			phase = phaseVerify
		case i < c0.Warmup:
			phase = phaseWarmup
		}
		for _, cr := range rotated(live(g), i) {
			began := time.Now()
			s, err := r.serverStart(ctx, cr, phase, false, done)
			if err != nil {
				return err
			}
			if s != nil && phase == phaseTimed {
				cr.timedCost.add(time.Since(began))
				if err := r.record(cr, *s); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// coldStartups are start-ups with the page cache dropped before each, where the machine
// permits it; where not, every case gets a note saying so.
func (r *Runner) coldStartups(ctx context.Context, g []*caseRun, done *int) error {
	plan := g[0].c.Load
	if plan == nil || plan.Cold == 0 || len(live(g)) == 0 {
		return nil
	}
	if err := probe.DropPageCache(); err != nil {
		for _, cr := range live(g) {
			cr.st.Notes = append(cr.st.Notes, "cold starts not measured: cannot drop the page cache ("+err.Error()+"); run as root on a host")
		}
		return nil
	}
	for i := 0; i < plan.Cold; i++ {
		for _, cr := range rotated(live(g), i) {
			if err := probe.DropPageCache(); err != nil {
				return fmt.Errorf("dropping the page cache: %w", err)
			}
			s, err := r.serverStart(ctx, cr, phaseCold, true, done)
			if err != nil {
				return err
			}
			if s != nil {
				if err := r.record(cr, *s); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// record counts a sample of the case and adds it to the folder.
func (r *Runner) record(cr *caseRun, s results.Sample) error {
	s.Case = cr.st
	cr.st.Samples++
	if err := r.Dir.Add(s); err != nil {
		return fmt.Errorf("writing results: %w", err)
	}
	return nil
}

// stopGrace is how long a server has to exit after SIGTERM before its group is killed.
const stopGrace = 5 * time.Second

// live are the cases of g still running (not failed, not skipped).
func live(g []*caseRun) []*caseRun { return inState(g, results.CasePending) }

// inState are the cases of g in state.
func inState(g []*caseRun, state string) []*caseRun {
	var out []*caseRun
	for _, cr := range g {
		if cr.st.State == state {
			out = append(out, cr)
		}
	}
	return out
}

// endPending ends the cases of g still pending ok (those that did not fail).
func (r *Runner) endPending(g []*caseRun) {
	for _, cr := range g {
		if cr.st.State == results.CasePending {
			cr.st.State = results.CaseOK
		}
	}
}

// loadgenCPUs are the allowed CPUs no server of the group is pinned to; with one CPU, that one.
func (r *Runner) loadgenCPUs(g []*caseRun) []int {
	used := map[int]bool{}
	for _, cr := range g {
		for _, c := range cr.st.CPUs {
			used[c] = true
		}
	}
	var out []int
	for _, c := range r.CPUs {
		if !used[c] {
			out = append(out, c)
		}
	}
	if len(out) == 0 {
		return r.CPUs
	}
	return out
}

func (r *Runner) spec(cr *caseRun, extra ...string) Spec {
	path, args := cr.c.Argv(r.Root)
	return Spec{Path: path, Args: append(args, extra...), Env: cr.st.Env, CPUs: cr.st.CPUs,
		Timeout: cr.c.Timeout, Stdout: cr.out, Stderr: cr.err}
}

func (r *Runner) beginRun(cr *caseRun, phase string, done *int) error {
	r.Progress.Step(*done, cr.c, phase)
	*done++
	if err := cr.open(r.Dir.Path); err != nil {
		return err
	}
	cr.runs++
	_, err1 := fmt.Fprintf(cr.out, "=== run %d (%s)\n", cr.runs, phase)
	_, err2 := fmt.Fprintf(cr.err, "=== run %d (%s)\n", cr.runs, phase)
	if err := errors.Join(err1, err2); err != nil {
		return &WriteError{fmt.Errorf("writing logs: %w", err)}
	}
	return nil
}

// stopServer stops s and validates its result line; a failure fails the case.
func (r *Runner) stopServer(cr *caseRun, s *Server, phase string) (peer.Result, Outcome, bool) {
	o := s.Stop(stopGrace)
	r.noteEscaped(cr, o)
	if why := o.Failure(stopGrace); why != "" {
		if o.TimedOut {
			why = "hung after SIGTERM: no exit within 5s; killed its process group"
		}
		r.fail(cr, fmt.Sprintf("%s run %d %s", phase, cr.runs, why))
		return peer.Result{}, o, false
	}
	res, err := parseResult(o, cr.c.Expect())
	if err == nil {
		err = peer.SameChecksum(res.Checksum, cr.c.Known(), peer.Tolerance{})
	}
	if err != nil {
		r.fail(cr, fmt.Sprintf("%s run %d: %v", phase, cr.runs, err))
		return peer.Result{}, o, false
	}
	cr.st.Checksum = res.Checksum
	return res, o, true
}

// serverStart is one start-up run; the sample is nil when the case failed.
func (r *Runner) serverStart(ctx context.Context, cr *caseRun, phase string, cold bool, done *int) (*results.Sample, error) {
	if ctx.Err() != nil {
		return nil, ErrInterrupted
	}
	if err := r.beginRun(cr, phase, done); err != nil {
		return nil, err
	}
	s, err := StartServer(ctx, r.spec(cr), cr.c.Timeout)
	if errors.Is(err, ErrInterrupted) {
		return nil, err
	} else if err != nil {
		r.fail(cr, fmt.Sprintf("%s run %d: %v", phase, cr.runs, err))
		return nil, nil
	}
	if phase == phaseVerify {
		if err := loadgen.VerifyEcho(s.Addr); err != nil {
			s.Stop(stopGrace)
			r.fail(cr, "wrong service: "+err.Error())
			return nil, nil
		}
	}
	time.Sleep(cr.c.Load.Settle)
	idle, err := probe.ReadStatus(s.Pid)
	if err != nil {
		s.Stop(stopGrace)
		r.fail(cr, fmt.Sprintf("%s run %d: died while idle (%v)", phase, cr.runs, err))
		return nil, nil
	}
	res, o, ok := r.stopServer(cr, s, phase)
	if !ok {
		return nil, nil
	}
	return &results.Sample{Key: cr.c.Key().Startup(cold), Iters: 1, Values: []benchfmt.Value{
		{Value: float64(s.ExecToReady.Nanoseconds()), Unit: units.Exec},
		{Value: float64(s.ExecToFirst.Nanoseconds()), Unit: units.First200},
		{Value: float64(idle.VmRSSKiB * 1024), Unit: units.IdleRSS},
		{Value: float64(res.VmHWMKiB) * 1024, Unit: units.PeakRSS},
		{Value: float64(o.User.Nanoseconds()), Unit: units.User},
		{Value: float64(o.Sys.Nanoseconds()), Unit: units.Sys},
	}}, nil
}

// serverLoad starts a fresh server, warms it up, records one window of load (closed loop when
// rate is 0), and stops it. The sample is nil when the case failed.
func (r *Runner) serverLoad(ctx context.Context, cr *caseRun, rate float64, level key.Level, lgCPUs []int, done *int) (*results.Sample, loadgen.Result, error) {
	if ctx.Err() != nil {
		return nil, loadgen.Result{}, ErrInterrupted
	}
	phase := "load " + string(level)
	cr.windows++
	if err := r.beginRun(cr, phase, done); err != nil {
		return nil, loadgen.Result{}, err
	}
	plan := cr.c.Load
	// The hiccup meter runs only in the stalls window: its wake-ups (and, in Go, the extra P
	// it needs) would add to the throughput, CPU per request and latency the other windows
	// compare across languages.
	var extra []string
	if level == key.Stalls {
		extra = append(extra, "--hiccup")
	}
	s, err := StartServer(ctx, r.spec(cr, extra...), cr.c.Timeout)
	if errors.Is(err, ErrInterrupted) {
		return nil, loadgen.Result{}, err
	} else if err != nil {
		r.fail(cr, fmt.Sprintf("%s: %v", phase, err))
		return nil, loadgen.Result{}, nil
	}
	payload := make([]byte, cr.c.Params.Size)
	for i := range payload {
		payload[i] = byte('a' + i%26)
	}
	cfg := loadgen.Config{Addr: s.Addr, Path: "/echo", Payload: payload, ContentType: "application/octet-stream",
		Conns: plan.Conns, Rate: rate, Duration: plan.Warmup, Slack: loadgen.DefaultSlack}
	if _, err := loadgen.Run(ctx, cfg); err != nil { // warm-up, discarded
		s.Stop(stopGrace)
		r.fail(cr, fmt.Sprintf("%s warm-up: %v", phase, err))
		return nil, loadgen.Result{}, nil
	}
	before, err1 := probe.ReadSchedstat(s.Pid)
	cfg.Duration = plan.Duration
	windowStart := time.Now()
	lg, err := loadgen.Run(ctx, cfg)
	windowEnd := time.Now()
	after, err2 := probe.ReadSchedstat(s.Pid)
	if ctx.Err() != nil {
		s.Stop(stopGrace)
		return nil, lg, ErrInterrupted
	}
	if err != nil || err1 != nil || err2 != nil || !s.Alive() {
		o := s.Stop(stopGrace)
		why := o.Failure(stopGrace)
		if why == "" {
			why = fmt.Sprint(errors.Join(err, err1, err2))
		}
		r.fail(cr, fmt.Sprintf("%s: the server died under load: %s", phase, why))
		return nil, lg, nil
	}
	// The server's RSS after the window: a read that fails leaves the value out (and says
	// why), never records 0.
	rss, rssErr := probe.ReadStatus(s.Pid)
	res, _, ok := r.stopServer(cr, s, phase)
	if !ok {
		return nil, lg, nil
	}
	sample, err := r.loadSample(cr, rate, level, lg, res.ServerValues(), after.RunNs-before.RunNs, rss, rssErr, windowStart, windowEnd)
	return sample, lg, err
}

// loadSample is one load window's sample of cr at rate and level: the load generator's
// figures, the server's CPU per request (cpuNs over the window), its RSS after the window
// (left out, with a note, when rssErr says it could not be read), and what its result line
// said; the window's latency histograms go to the histogram log. A window the load generator
// may have paced gets a note.
func (r *Runner) loadSample(cr *caseRun, rate float64, level key.Level, lg loadgen.Result, peerValues []benchfmt.Value,
	cpuNs int64, rss probe.Status, rssErr error, windowStart, windowEnd time.Time) (*results.Sample, error) {
	if lg.Bottleneck != "" {
		r.Dir.Manifest(func(m *results.Manifest) {
			cr.st.Notes = append(cr.st.Notes, fmt.Sprintf("%s (%.0f req/s asked): the load generator may have set the pace: %s", level, rate, lg.Bottleneck))
		})
	}
	server := []benchfmt.Value{
		{Value: float64(cpuNs) / float64(max(1, lg.Requests)), Unit: units.CPUPerReq},
	}
	if rssErr == nil {
		server = append(server, benchfmt.Value{Value: float64(rss.VmRSSKiB * 1024), Unit: units.ServerRSS})
	} else {
		r.Dir.Manifest(func(m *results.Manifest) {
			cr.st.Notes = append(cr.st.Notes, fmt.Sprintf("%s (%.0f req/s asked): the server's RSS after the window was not read: %v", level, rate, rssErr))
		})
	}
	vals := append(append(lg.Values(), server...), peerValues...)
	k := cr.c.Key().AtLevel(level)
	if r.hlog != nil {
		if err := errors.Join(r.hlog.Add(k, results.Corrected, lg.Histograms.Corrected, windowStart, windowEnd),
			r.hlog.Add(k, results.Uncorrected, lg.Histograms.Uncorrected, windowStart, windowEnd)); err != nil {
			return nil, fmt.Errorf("writing the histogram log: %w", err)
		}
	}
	return &results.Sample{Key: k, Iters: int(lg.Requests), Values: vals, Failed: lg.Failure()}, nil
}

// windowsLeft is how many of cr's planned load windows have not begun.
func (r *Runner) windowsLeft(cr *caseRun) int {
	l := cr.c.Load
	planned := l.Rounds * (1 + len(l.Fractions))
	if l.StallsFraction > 0 {
		planned += l.Rounds
	}
	return max(0, planned-cr.windows)
}

// pinSelf pins every thread of the harness to cpus (probe.PinThreads) and sets GOMAXPROCS to
// match, so the in-process load generator stays off the server's CPUs.
func pinSelf(cpus []int) (restore func(), err error) {
	if len(cpus) == 0 {
		return func() {}, nil
	}
	unpin, err := probe.PinThreads(cpus)
	if err != nil {
		return nil, err
	}
	procs := runtime.GOMAXPROCS(len(cpus))
	return func() {
		runtime.GOMAXPROCS(procs)
		unpin()
	}, nil
}

// PinLoadGenerator moves the harness to cpus, with GOMAXPROCS to match, as a server group
// does while its load generator runs; calibration uses it to check the generator as it runs.
func PinLoadGenerator(cpus []int) (restore func(), err error) { return pinSelf(cpus) }
