package runner

import (
	"context"
	"errors"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"time"

	"github.com/gorustbench/gorustbench/bench/loadgen"
	"github.com/gorustbench/gorustbench/bench/peer"
	"github.com/gorustbench/gorustbench/bench/probe"
	"github.com/gorustbench/gorustbench/bench/results"
	"github.com/gorustbench/gorustbench/bench/suite"
	"github.com/gorustbench/gorustbench/bench/units"
	"golang.org/x/perf/benchfmt"
	"golang.org/x/sys/unix"
)

// runServerGroup measures server peers: start-up runs (exec to READY, exec to the first 200,
// idle RSS), the first of which verifies the service; then each server's maximum throughput
// in a closed loop; then open-loop rates common to all servers (fractions of the slowest
// one's maximum), repeated and interleaved. The load generator runs in the harness, pinned to
// the CPUs the server does not have.
func (r *Runner) runServerGroup(ctx context.Context, g []*caseRun, done *int) error {
	live := func() []*caseRun {
		var out []*caseRun
		for _, cr := range g {
			if cr.st.State == results.CasePending {
				out = append(out, cr)
			}
		}
		return out
	}
	for _, cr := range g {
		r.skipUnbuilt(cr)
	}
	// Start-up: verify on the first start, discard warm-ups, then timed starts, interleaved.
	c0 := g[0].c
	for i := 0; i < c0.Warmup+c0.Repeat; i++ {
		phase := map[bool]string{true: "warm-up", false: "timed"}[i < c0.Warmup]
		if i == 0 {
			phase = "verify"
		}
		l := live()
		for j := range l {
			cr := l[(i+j)%len(l)]
			s, err := r.serverStart(ctx, cr, phase, done)
			if err != nil {
				return err
			}
			if s != nil && phase == "timed" {
				cr.st.Samples++
				if err := r.Dir.Add(*s); err != nil {
					return err
				}
			}
		}
	}
	// Cold starts: the page cache dropped before each, where the machine permits it.
	if c0.Load != nil && c0.Load.Cold > 0 && len(live()) > 0 {
		if err := probe.DropPageCache(); err != nil {
			for _, cr := range live() {
				cr.st.Notes = append(cr.st.Notes, "cold starts not measured: cannot drop the page cache ("+err.Error()+"); run as root on a host")
			}
		} else {
			for i := 0; i < c0.Load.Cold; i++ {
				l := live()
				for j := range l {
					cr := l[(i+j)%len(l)]
					if err := probe.DropPageCache(); err != nil {
						return fmt.Errorf("dropping the page cache: %w", err)
					}
					s, err := r.serverStart(ctx, cr, "cold start", done)
					if err != nil {
						return err
					}
					if s != nil {
						s.Name = suite.ColdStartName(cr.c.Impl.ID())
						cr.st.Samples++
						if err := r.Dir.Add(*s); err != nil {
							return err
						}
					}
				}
			}
		}
	}
	plan := c0.Load
	if plan == nil || len(live()) == 0 {
		r.finishServers(g)
		return nil
	}
	// The load generator gets the CPUs the servers do not.
	lgCPUs := r.loadgenCPUs(g)
	restore, err := pinSelf(lgCPUs)
	if err != nil {
		return err
	}
	defer restore()

	maxRate := map[*caseRun]float64{}
	for _, cr := range live() {
		s, res, err := r.serverLoad(ctx, cr, 0, "max", lgCPUs, done)
		if err != nil {
			return err
		}
		if s != nil {
			maxRate[cr] = res.AchievedRate
			cr.st.Samples++
			if err := r.Dir.Add(*s); err != nil {
				return err
			}
		}
	}
	slowest := 0.0
	for _, rate := range maxRate {
		if slowest == 0 || rate < slowest {
			slowest = rate
		}
	}
	if slowest == 0 {
		r.finishServers(g)
		return nil
	}
	for round := 0; round < plan.Rounds; round++ {
		l := live()
		for j := range l {
			cr := l[(round+j)%len(l)]
			if round > 0 { // round 0's maximum was measured above, to derive the rates
				s, _, err := r.serverLoad(ctx, cr, 0, "max", lgCPUs, done)
				if err != nil {
					return err
				}
				if s == nil {
					continue
				}
				cr.st.Samples++
				if err := r.Dir.Add(*s); err != nil {
					return err
				}
			}
			for k, f := range plan.Fractions {
				s, _, err := r.serverLoad(ctx, cr, f*slowest, plan.Labels[k], lgCPUs, done)
				if err != nil {
					return err
				}
				if s == nil {
					break
				}
				cr.st.Samples++
				if err := r.Dir.Add(*s); err != nil {
					return err
				}
			}
		}
	}
	r.finishServers(g)
	return nil
}

func (r *Runner) finishServers(g []*caseRun) {
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
	return Spec{Path: cr.c.BinaryPath(r.Root), Args: append(cr.c.Args(), extra...), Env: cr.st.Env, CPUs: cr.st.CPUs,
		Timeout: cr.c.Timeout, Stdout: cr.out, Stderr: cr.err}
}

func (r *Runner) beginRun(cr *caseRun, phase string, done *int) error {
	r.Progress.Step(*done, cr.c, phase)
	*done++
	if err := cr.open(r.Dir.Path); err != nil {
		return err
	}
	cr.runs++
	fmt.Fprintf(cr.out, "=== run %d (%s)\n", cr.runs, phase)
	fmt.Fprintf(cr.err, "=== run %d (%s)\n", cr.runs, phase)
	return nil
}

// stopServer stops s and validates its result line; a failure fails the case.
func (r *Runner) stopServer(cr *caseRun, s *Server, phase string) (peer.Result, Outcome, bool) {
	o := s.Stop(5 * time.Second)
	if why := o.Failure(5 * time.Second); why != "" {
		if o.TimedOut {
			why = "hung after SIGTERM: no exit within 5s; killed its process group"
		}
		r.fail(cr, fmt.Sprintf("%s run %d %s", phase, cr.runs, why))
		return peer.Result{}, o, false
	}
	res, err := peer.ParseResult(o.Stdout, cr.c.Expect())
	if err == nil {
		err = peer.SameChecksum(res.Checksum, cr.c.Workload.Checksum, peer.Tolerance{})
	}
	if err != nil {
		r.fail(cr, fmt.Sprintf("%s run %d: %v", phase, cr.runs, err))
		return peer.Result{}, o, false
	}
	cr.st.Checksum = res.Checksum
	return res, o, true
}

// serverStart is one start-up run; the sample is nil when the case failed.
func (r *Runner) serverStart(ctx context.Context, cr *caseRun, phase string, done *int) (*results.Sample, error) {
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
	if phase == "verify" {
		if err := loadgen.VerifyEcho(s.Addr); err != nil {
			s.Stop(5 * time.Second)
			r.fail(cr, "wrong service: "+err.Error())
			return nil, nil
		}
	}
	time.Sleep(cr.c.Load.Settle)
	idle, err := probe.ReadStatus(s.Pid)
	if err != nil {
		s.Stop(5 * time.Second)
		r.fail(cr, fmt.Sprintf("%s run %d: died while idle (%v)", phase, cr.runs, err))
		return nil, nil
	}
	res, o, ok := r.stopServer(cr, s, phase)
	if !ok {
		return nil, nil
	}
	v := func(x float64, unit string) benchfmt.Value { return benchfmt.Value{Value: x, Unit: unit} }
	return &results.Sample{Name: suite.StartupName(cr.c.Impl.ID()), Iters: 1, Values: []benchfmt.Value{
		v(float64(s.ExecToReady.Nanoseconds()), units.Exec),
		v(float64(s.ExecToFirst.Nanoseconds()), units.First200),
		v(float64(idle.VmRSSKiB*1024), units.IdleRSS),
		v(float64(res.VmHWMKiB*1024), units.PeakRSS),
		v(float64(o.User.Nanoseconds()), units.User),
		v(float64(o.Sys.Nanoseconds()), units.Sys),
	}}, nil
}

// serverLoad starts a fresh server, warms it up, records one window of load (closed loop when
// rate is 0), and stops it. The sample is nil when the case failed.
func (r *Runner) serverLoad(ctx context.Context, cr *caseRun, rate float64, label string, lgCPUs []int, done *int) (*results.Sample, loadgen.Result, error) {
	if ctx.Err() != nil {
		return nil, loadgen.Result{}, ErrInterrupted
	}
	phase := "load " + label
	if err := r.beginRun(cr, phase, done); err != nil {
		return nil, loadgen.Result{}, err
	}
	plan := cr.c.Load
	s, err := StartServer(ctx, r.spec(cr, "--hiccup"), cr.c.Timeout)
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
		Conns: plan.Conns, Rate: rate, Duration: plan.Warmup}
	if _, err := loadgen.Run(ctx, cfg); err != nil { // warm-up, discarded
		s.Stop(5 * time.Second)
		r.fail(cr, fmt.Sprintf("%s warm-up: %v", phase, err))
		return nil, loadgen.Result{}, nil
	}
	before, err1 := probe.ReadSchedstat(s.Pid)
	cfg.Duration = plan.Duration
	lg, err := loadgen.Run(ctx, cfg)
	after, err2 := probe.ReadSchedstat(s.Pid)
	if ctx.Err() != nil {
		s.Stop(5 * time.Second)
		return nil, lg, ErrInterrupted
	}
	if err != nil || err1 != nil || err2 != nil || !s.Alive() {
		o := s.Stop(5 * time.Second)
		why := o.Failure(5 * time.Second)
		if why == "" {
			why = fmt.Sprint(errors.Join(err, err1, err2))
		}
		r.fail(cr, fmt.Sprintf("%s: the server died under load: %s", phase, why))
		return nil, lg, nil
	}
	rss, _ := probe.ReadStatus(s.Pid)
	res, _, ok := r.stopServer(cr, s, phase)
	if !ok {
		return nil, lg, nil
	}
	if lg.Bottleneck != "" {
		r.Dir.Manifest(func(m *results.Manifest) {
			cr.st.Notes = append(cr.st.Notes, fmt.Sprintf("%s (%.0f req/s asked): the load generator may have set the pace: %s", label, rate, lg.Bottleneck))
		})
	}
	answered := float64(lg.Requests)
	if answered == 0 {
		answered = 1
	}
	limited := 0.0
	if lg.Bottleneck != "" {
		limited = 1
	}
	v := func(x float64, unit string) benchfmt.Value { return benchfmt.Value{Value: x, Unit: unit} }
	vals := []benchfmt.Value{
		v(lg.AchievedRate, units.Throughput),
		v(rate, units.TargetRate),
		v(float64(lg.Latency.P50), units.LatP50),
		v(float64(lg.Latency.P90), units.LatP90),
		v(float64(lg.Latency.P99), units.LatP99),
		v(float64(lg.Latency.P999), units.LatP999),
		v(float64(lg.Latency.Max), units.LatMax),
		v(float64(lg.Uncorrected.P99), units.LatP99Uncorr),
		v(float64(after.RunNs-before.RunNs)/answered, units.CPUPerReq),
		v(float64(rss.VmRSSKiB*1024), units.ServerRSS),
		v(float64(res.VmHWMKiB*1024), units.PeakRSS),
		v(float64(lg.Errors+lg.Non2xx), units.Errors),
		v(limited, units.Limited),
	}
	if h := res.Hiccup; h != nil {
		vals = append(vals, v(float64(h.P99Ns), units.HiccupP99), v(float64(h.MaxNs), units.HiccupMax))
	}
	if g := res.Go; g != nil {
		vals = append(vals, v(float64(g.GCPauses), units.GCPauses), v(float64(g.GCPauseMaxNs), units.GCPauseMax))
	}
	return &results.Sample{Name: suite.LoadName(cr.c.Impl.ID(), label), Iters: int(lg.Requests), Values: vals}, lg, nil
}

// pinSelf pins every thread of the harness to cpus (threads created later inherit the mask)
// and sets GOMAXPROCS to match, so the in-process load generator stays off the server's CPUs.
func pinSelf(cpus []int) (restore func(), err error) {
	if len(cpus) == 0 {
		return func() {}, nil
	}
	var old, set unix.CPUSet
	if err := unix.SchedGetaffinity(0, &old); err != nil {
		return nil, err
	}
	for _, c := range cpus {
		set.Set(c)
	}
	tasks, err := os.ReadDir("/proc/self/task")
	if err != nil {
		return nil, err
	}
	var tids []int
	for _, t := range tasks {
		tid, err := strconv.Atoi(t.Name())
		if err != nil {
			continue
		}
		if unix.SchedSetaffinity(tid, &set) == nil {
			tids = append(tids, tid)
		}
	}
	procs := runtime.GOMAXPROCS(len(cpus))
	return func() {
		runtime.GOMAXPROCS(procs)
		tasks, _ := os.ReadDir("/proc/self/task")
		for _, t := range tasks {
			if tid, err := strconv.Atoi(t.Name()); err == nil {
				_ = unix.SchedSetaffinity(tid, &old)
			}
		}
	}, nil
}
