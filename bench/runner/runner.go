package runner

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/gorustbench/gorustbench/bench/peer"
	"github.com/gorustbench/gorustbench/bench/probe"
	"github.com/gorustbench/gorustbench/bench/results"
	"github.com/gorustbench/gorustbench/bench/suite"
	"github.com/gorustbench/gorustbench/bench/units"
	"golang.org/x/perf/benchfmt"
)

// Progress hears about a run as it goes. Implementations print; the runner never does.
type Progress interface {
	// Start announces the number of peer runs planned.
	Start(total int)
	// Step reports that a run of c in phase ("verify", "warm-up", "timed") is starting;
	// done runs came before it.
	Step(done int, c *suite.Case, phase string)
	// Failed reports that c failed and will not run again.
	Failed(c *suite.Case, reason string)
}

// Skipper is a Progress that also hears about cases that cannot run (a missing binary).
type Skipper interface {
	Skipped(c *suite.Case, reason string)
}

// EscapeeWatch is how often a run looks for peer descendants that left the harness's
// session (setsid), to register them; see watchEscapees.
var EscapeeWatch = 500 * time.Millisecond

// Runner runs cases into a results folder.
type Runner struct {
	Root     string // repository root: peer binaries are found under it
	Dir      *results.Dir
	Progress Progress
	// CPUs the peers may be pinned to (the harness's own affinity); nil runs them unpinned.
	CPUs []int
	// More, when set, is sequential sampling: after the planned rounds (and after each extra
	// round) it is asked which cases to give one more interleaved round; see moreRounds.
	More MoreFunc

	hlog *results.HistogramLog // each load window's latency histograms (histograms.hlog)
}

type caseRun struct {
	c        *suite.Case
	st       *results.CaseState
	out, err *os.File
	runs     int
	windows  int // load windows begun (servers)
	// movedNoted: a run that changed its own CPU affinity has been noted on the case.
	movedNoted bool
	// timedCost is what its timed runs (a server's timed starts) took, loadCost its load
	// rounds: together, the cost of one more round (sequential sampling).
	timedCost, loadCost cost
	slowest             float64 // a server group's slowest maximum, req/s: its open-loop rates' base
	startsOnly          bool    // its extra rounds are timed starts alone (a server; see MoreFunc)
	extraFailed         string  // why an extra round failed; it takes no more (keepPlanned)
	reason              string  // its reason before an extra round, restored by keepPlanned
}

// Run verifies, warms up and times every case, group by group (a group is one workload with
// one set of parameters; its implementations are interleaved A B C, B C A, ...). A case that
// fails stops running and keeps its reason; the others go on. It returns the number of failed
// cases, and ErrInterrupted if ctx was cancelled.
func (r *Runner) Run(ctx context.Context, cases []*suite.Case) (failed int, err error) {
	var groups [][]*caseRun
	index := map[string]int{}
	total := 0
	for _, c := range cases {
		cr := &caseRun{c: c, st: r.caseState(c)}
		r.Dir.Manifest(func(m *results.Manifest) { m.Cases = append(m.Cases, cr.st) })
		g, ok := index[c.Group()]
		if !ok {
			g = len(groups)
			index[c.Group()] = g
			groups = append(groups, nil)
		}
		groups[g] = append(groups[g], cr)
		total += plannedRuns(c)
	}
	// Peers a killed harness left running are stopped before anything is measured.
	if swept := Sweep(); len(swept) > 0 {
		r.Dir.Manifest(func(m *results.Manifest) { m.Notes = append(m.Notes, swept...) })
	}
	// Descendants that escape their peer's group are registered as soon as they are seen,
	// so that they too are swept if this harness is killed.
	defer watchEscapees(EscapeeWatch)()
	// The case list reaches disk before the first peer starts, so a harness killed in its
	// first second still leaves a manifest that says what was planned.
	if err := r.Dir.Flush(); err != nil {
		return 0, fmt.Errorf("writing results: %w", err)
	}
	r.Progress.Start(total)
	done := 0
	for _, g := range groups {
		run := r.runBatchGroup
		if g[0].c.Workload.Server {
			run = r.runServerGroup
		}
		if err = run(ctx, g, &done); err != nil {
			break
		}
	}
	if err == nil {
		err = r.moreRounds(ctx, groups, &done)
	}
	return r.settle(groups, err)
}

// settle closes every case's logs and counts the failed ones; after an interruption (err is
// ErrInterrupted) the cases that had not finished become interrupted, keeping their samples.
// It writes the manifest a last time and returns the failed count with err, or with the
// write's error if only that failed.
func (r *Runner) settle(groups [][]*caseRun, err error) (failed int, _ error) {
	interrupted := errors.Is(err, ErrInterrupted)
	if rerr := RegistryError(); rerr != nil {
		r.Dir.Manifest(func(m *results.Manifest) {
			m.Notes = append(m.Notes, fmt.Sprintf("running peers could not all be registered for the next harness to sweep (%v): had this harness been killed, they could have outlived it", rerr))
		})
	}
	r.Dir.Manifest(func(*results.Manifest) {
		for _, g := range groups {
			for _, cr := range g {
				cr.close()
				switch {
				case cr.st.State == results.CaseFailed:
					failed++
				case cr.st.State == results.CasePending && interrupted:
					cr.st.State = results.CaseInterrupted
					cr.st.Reason = fmt.Sprintf("the run was interrupted after %d sample(s) of this case", cr.st.Samples)
				}
			}
		}
	})
	if ferr := r.Dir.Flush(); ferr != nil && err == nil {
		err = ferr
	}
	return failed, err
}

// runBatchGroup runs a group of batch peers with the harness's own threads on the first of
// its CPUs, which cpusFor leaves to it: what the harness does while a peer runs (reading its
// output, the registry, the collector) must not take the peer's CPU, or it is counted as the
// peer's time.
func (r *Runner) runBatchGroup(ctx context.Context, g []*caseRun, done *int) error {
	restore, err := PinHarness(r.CPUs)
	if err != nil {
		return err
	}
	defer restore()
	return r.runGroup(ctx, g, done)
}

// PinHarness moves the harness's threads to the first of cpus, the one cpusFor leaves to the
// harness, while batch peers are timed; with one CPU or none it does nothing.
func PinHarness(cpus []int) (restore func(), err error) {
	if len(cpus) < 2 {
		return func() {}, nil
	}
	return probe.PinThreads(cpus[:1])
}

func (r *Runner) caseState(c *suite.Case) *results.CaseState {
	env := ThreadEnv(c.Params.Threads)
	return &results.CaseState{
		Name: c.Name(), Workload: c.Workload.Name, Impl: c.Impl.ID(), Group: c.Group(), Params: c.Params,
		State: results.CasePending, Command: command(c),
		CPUs: r.cpusFor(c), Env: env, Log: filepath.Join("logs", c.ID()+".out"),
	}
}

// command is c's command line as the manifest records it, paths relative to the root.
func command(c *suite.Case) []string {
	argv := []string{c.Impl.Binary}
	if c.Impl.Module != "" {
		argv = append(argv, c.Impl.Module)
	}
	return append(argv, c.Args()...)
}

// ThreadEnv is the environment that holds a peer's runtimes to its thread count.
func ThreadEnv(threads int64) []string {
	n := strconv.FormatInt(threads, 10)
	return []string{"GOMAXPROCS=" + n, "OPENBLAS_NUM_THREADS=" + n, "RAYON_NUM_THREADS=" + n}
}

// cpusFor pins a peer that uses fewer threads than there are CPUs to the last ones, leaving
// the first for the harness; a peer that uses them all gets them all.
func (r *Runner) cpusFor(c *suite.Case) []int {
	n := int(c.Params.Threads)
	if len(r.CPUs) == 0 || n >= len(r.CPUs) {
		return r.CPUs
	}
	return r.CPUs[len(r.CPUs)-n:]
}

func (r *Runner) runGroup(ctx context.Context, g []*caseRun, done *int) error {
	// Inputs first (the json documents): a case whose input cannot be made fails with why.
	for _, cr := range g {
		if prep := cr.c.Workload.Prepare; prep != nil && cr.st.State == results.CasePending {
			if err := prep(r.Root, cr.c); err != nil {
				r.fail(cr, "preparing its input: "+err.Error())
				continue
			}
			cr.st.Command = command(cr.c)
		}
	}
	// Verify: the first run of every case, checked before anything is timed against the
	// workload's known answer or, without one, against what the majority of the group computed
	// (never against whichever implementation happened to run first).
	var verified []*caseRun
	for _, cr := range g {
		if r.skipUnbuilt(cr) {
			*done += max(1, cr.c.Warmup) + cr.c.Repeat
			continue
		}
		res, err := r.runOnce(ctx, cr, phaseVerify, done)
		if err != nil {
			return err
		}
		if cr.st.State == results.CaseFailed {
			continue
		}
		cr.st.Checksum = res.Checksum
		if want := cr.c.Known(); want != "" {
			if err := peer.SameChecksum(res.Checksum, want, cr.c.Workload.Tolerance); err != nil {
				r.fail(cr, fmt.Sprintf("wrong output: %v (the workload's definition fixes %s)", err, want))
			}
			continue
		}
		if want, ok := r.answers(cr.c.Workload.PeerName())[cr.c.Params.Size]; ok {
			if err := peer.SameChecksum(res.Checksum, want, cr.c.Workload.Tolerance); err != nil {
				r.fail(cr, fmt.Sprintf("wrong output: %v (the known answer for size %d, %s)", err, cr.c.Params.Size, KnownAnswers))
			}
			continue
		}
		verified = append(verified, cr)
	}
	r.agree(verified)
	if len(verified) == 1 {
		if err := r.verifyAlone(ctx, verified[0]); err != nil {
			return err
		}
	}
	for w := 1; w < g[0].c.Warmup; w++ {
		for _, cr := range live(g) {
			// Warm-ups are discarded, but must still compute the verified answer.
			if _, _, err := r.checkedRun(ctx, cr, phaseWarmup, done); err != nil {
				return err
			}
		}
	}
	for rep := 0; rep < g[0].c.Repeat; rep++ {
		if err := r.batchRound(ctx, live(g), rep, done); err != nil {
			return err
		}
	}
	for _, cr := range live(g) {
		cr.st.State = results.CaseOK
	}
	return nil
}

// batchRound is one interleaved round of timed runs of l, rotated by rep.
func (r *Runner) batchRound(ctx context.Context, l []*caseRun, rep int, done *int) error {
	for _, cr := range rotated(l, rep) {
		began := time.Now()
		res, o, err := r.timedRun(ctx, cr, done)
		if err != nil {
			return err
		}
		if cr.st.State == results.CaseFailed {
			continue
		}
		cr.timedCost.add(time.Since(began))
		cr.st.Samples++
		if err := r.Dir.Add(sampleOf(cr, res, o)); err != nil {
			return fmt.Errorf("writing results: %w", err)
		}
	}
	return nil
}

// agree decides the truth of a group whose workload fixes no answer: the checksum a strict
// majority of the verified implementations computed. The others fail, naming the majority.
// Without a strict majority nobody can be trusted, and every one of them fails with all the
// checksums listed. A lone implementation has nothing to agree with and stands.
func (r *Runner) agree(verified []*caseRun) {
	if len(verified) < 2 {
		return
	}
	type class struct {
		sum   string
		cases []*caseRun
	}
	var classes []*class
	for _, cr := range verified {
		var in *class
		for _, cl := range classes {
			if peer.SameChecksum(cr.st.Checksum, cl.sum, cr.c.Workload.Tolerance) == nil {
				in = cl
				break
			}
		}
		if in == nil {
			in = &class{sum: cr.st.Checksum}
			classes = append(classes, in)
		}
		in.cases = append(in.cases, cr)
	}
	if len(classes) == 1 {
		return
	}
	var all []string
	var major *class
	for _, cl := range classes {
		var ids []string
		for _, cr := range cl.cases {
			ids = append(ids, cr.c.Impl.ID())
		}
		all = append(all, fmt.Sprintf("%s: %s", strings.Join(ids, ", "), cl.sum))
		if 2*len(cl.cases) > len(verified) {
			major = cl
		}
	}
	for _, cl := range classes {
		if cl == major {
			continue
		}
		for _, cr := range cl.cases {
			if major == nil {
				r.fail(cr, fmt.Sprintf("wrong output: the implementations disagree and no majority exists (%s)", strings.Join(all, "; ")))
				continue
			}
			var ids []string
			for _, m := range major.cases {
				ids = append(ids, m.c.Impl.ID())
			}
			r.fail(cr, fmt.Sprintf("wrong output: checksum %s, but the majority (%s) computed %s", cr.st.Checksum, strings.Join(ids, ", "), major.sum))
		}
	}
}

// skipUnbuilt marks a case whose binary (or WebAssembly module) is missing as skipped, saying
// how to build it.
func (r *Runner) skipUnbuilt(cr *caseRun) bool {
	missing := ""
	for _, p := range []struct{ abs, rel string }{{cr.c.BinaryPath(r.Root), cr.c.Impl.Binary}, {cr.c.ModulePath(r.Root), cr.c.Impl.Module}} {
		if _, err := os.Stat(p.abs); p.rel != "" && err != nil && missing == "" {
			missing = p.rel
		}
	}
	if missing == "" {
		return false
	}
	cr.st.State = results.CaseSkipped
	cr.st.Reason = fmt.Sprintf("not built: %s is missing (run 'make peers')", missing)
	if s, ok := r.Progress.(Skipper); ok {
		s.Skipped(cr.c, cr.st.Reason)
	}
	return true
}

func (r *Runner) timedRun(ctx context.Context, cr *caseRun, done *int) (peer.Result, Outcome, error) {
	return r.checkedRun(ctx, cr, phaseTimed, done)
}

// checkedRun is a run after verification: it must still compute the verified checksum.
func (r *Runner) checkedRun(ctx context.Context, cr *caseRun, phase string, done *int) (peer.Result, Outcome, error) {
	res, o, err := r.exec(ctx, cr, phase, done)
	if err != nil || cr.st.State == results.CaseFailed {
		return res, o, err
	}
	if err := peer.SameChecksum(res.Checksum, cr.st.Checksum, cr.c.Workload.Tolerance); err != nil {
		r.fail(cr, fmt.Sprintf("output changed between runs: %v (%s run %d)", err, phase, cr.runs))
	}
	return res, o, nil
}

func (r *Runner) runOnce(ctx context.Context, cr *caseRun, phase string, done *int) (peer.Result, error) {
	res, _, err := r.exec(ctx, cr, phase, done)
	return res, err
}

func (r *Runner) exec(ctx context.Context, cr *caseRun, phase string, done *int) (peer.Result, Outcome, error) {
	if ctx.Err() != nil {
		return peer.Result{}, Outcome{}, ErrInterrupted
	}
	if err := r.beginRun(cr, phase, done); err != nil {
		return peer.Result{}, Outcome{}, err
	}
	path, args := cr.c.Argv(r.Root)
	o, err := Exec(ctx, Spec{
		Path: path, Args: args, Env: cr.st.Env, CPUs: cr.st.CPUs,
		Timeout: cr.c.Timeout, Stdout: cr.out, Stderr: cr.err,
	})
	r.noteEscaped(cr, o)
	var we *WriteError
	if errors.Is(err, ErrInterrupted) || errors.As(err, &we) {
		return peer.Result{}, o, err
	}
	if err != nil {
		r.fail(cr, err.Error())
		return peer.Result{}, o, nil
	}
	if why := o.Failure(cr.c.Timeout); why != "" {
		r.fail(cr, fmt.Sprintf("%s run %d %s", phase, cr.runs, why))
		return peer.Result{}, o, nil
	}
	res, err := parseResult(o, cr.c.Expect())
	if err != nil {
		r.fail(cr, fmt.Sprintf("%s run %d: %v", phase, cr.runs, err))
		return peer.Result{}, o, nil
	}
	return res, o, nil
}

// parseResult validates a run's result line (the last line of its stdout) and checks its
// timed region against the process's exec to exit. The harness holds only the last MaxOutput
// bytes of output: a line that fills them without a start was longer, and says so.
func parseResult(o Outcome, want peer.Expect) (peer.Result, error) {
	if len(o.Stdout) >= MaxOutput && bytes.IndexByte(bytes.TrimRight(o.Stdout, "\r\n"), '\n') < 0 {
		line := peer.LastLine(o.Stdout)
		return peer.Result{}, fmt.Errorf("result line longer than the %d KiB the harness reads back (PROTOCOL.md): it ends %s", MaxOutput>>10, peer.Quote(line[len(line)-min(len(line), 100):]))
	}
	res, err := peer.ParseResult(o.Stdout, want)
	if err == nil {
		err = peer.CheckTime(res, o.Wall)
	}
	return res, err
}

// noteEscaped records, on the case, descendants of its peer that escaped their process group,
// and a peer that changed its own CPU affinity.
func (r *Runner) noteEscaped(cr *caseRun, o Outcome) {
	if n := affinityNote(cr.runs, cr.st.CPUs, o.CPUsAtExit); n != "" && !cr.movedNoted {
		cr.movedNoted = true // once a case: its first run that moved
		r.note(cr, n)
	}
	if len(o.Escaped) == 0 {
		return
	}
	r.Dir.Manifest(func(*results.Manifest) {
		for _, e := range o.Escaped {
			cr.st.Notes = append(cr.st.Notes, fmt.Sprintf("run %d: %s", cr.runs, e))
		}
	})
}

func (r *Runner) fail(cr *caseRun, reason string) {
	cr.st.State = results.CaseFailed
	cr.st.Reason = reason + "; log: " + cr.st.Log
	r.Progress.Failed(cr.c, cr.st.Reason)
}

func (cr *caseRun) open(dir string) error {
	if cr.out != nil {
		return nil
	}
	base := filepath.Join(dir, "logs", cr.c.ID())
	var err error
	if cr.out, err = os.OpenFile(base+".out", os.O_CREATE|os.O_RDWR|os.O_APPEND, 0o644); err != nil {
		return err
	}
	cr.err, err = os.OpenFile(base+".err", os.O_CREATE|os.O_RDWR|os.O_APPEND, 0o644)
	return err
}

func (cr *caseRun) close() {
	if cr.out != nil {
		cr.out.Close()
		cr.err.Close()
	}
}

// sampleOf turns one timed run into a samples.bench line: the harness's measurements of the
// process, then what the peer reported.
func sampleOf(cr *caseRun, res peer.Result, o Outcome) results.Sample {
	vals := append(o.Values(), res.Values()...)
	if cr.c.InputB > 0 {
		vals = append(vals, benchfmt.Value{Value: float64(cr.c.InputB), Unit: units.InputBytes})
	}
	return results.Sample{Key: cr.c.Key(), Iters: int(res.Ops), Values: vals, Case: cr.st}
}
