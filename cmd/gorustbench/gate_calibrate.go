package main

import (
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/gorustbench/gorustbench/bench/gate"
	"github.com/gorustbench/gorustbench/bench/results"
	"gonum.org/v1/gonum/stat/distuv"
)

// calibration measures the gate's own error rates on this machine, run as examples/ci runs it:
// interleaved rounds of a small profile, gated with the same options.
type calibration struct {
	root, workloads, out string
	rounds, repeat       int
	aa, injected, hog    int
	burn                 time.Duration
	keep                 bool
}

func (c *calibration) flags(cmd interface {
	IntVar(*int, string, int, string)
	StringVar(*string, string, string, string)
	DurationVar(*time.Duration, string, time.Duration, string)
	BoolVar(*bool, string, bool, string)
}) {
	cmd.IntVar(&c.rounds, "rounds", 6, "with --calibrate: interleaved rounds per gate, as examples/ci's ROUNDS")
	cmd.IntVar(&c.repeat, "repeat", 10, "with --calibrate: timed runs per case and round, as examples/ci's REPEAT")
	cmd.IntVar(&c.aa, "aa", 20, "with --calibrate: A/A gates (the same peers on both sides)")
	cmd.IntVar(&c.injected, "injected", 10, "with --calibrate: gates with a known regression injected (--burn)")
	cmd.IntVar(&c.hog, "hog", 5, "with --calibrate: A/A gates with a CPU hog beside every candidate round")
	cmd.DurationVar(&c.burn, "burn", 300*time.Microsecond, "with --calibrate: the CPU time burnt before the C hello's exec in the injected gates")
	cmd.StringVar(&c.workloads, "calibrate-workloads", "hello", "with --calibrate: the smoke profile's workloads each run holds")
	cmd.StringVar(&c.root, "root", ".", "with --calibrate: repository root, where the peer binaries are")
	cmd.StringVar(&c.out, "calibrate-out", "", "with --calibrate: keep the runs in this folder (default: a temporary one, removed)")
}

// burnC wraps a peer: it burns BURN_NS of CPU time, then execs REAL with the same arguments.
// The baseline's wrapper burns 0, so both sides pay the wrapper's own exec and the change
// between them is the burn alone.
const burnC = `#include <time.h>
#include <unistd.h>
static long long cpu_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return t.tv_sec * 1000000000LL + t.tv_nsec;
}
int main(int argc, char **argv) {
    (void)argc;
    long long end = cpu_ns() + BURN_NS;
    volatile unsigned long spin = 0;
    while (cpu_ns() < end)
        spin++;
    argv[0] = REAL;
    execv(REAL, argv);
    return 127;
}
`

// wrappedRoot makes a repository root whose peers are root's, but for the C hello, wrapped to
// burn burn of CPU time before its exec.
func wrappedRoot(dir, root string, burn time.Duration) (string, error) {
	absRoot, err := filepath.Abs(root)
	if err != nil {
		return "", err
	}
	wr := filepath.Join(dir, fmt.Sprintf("root-burn-%s", burn))
	for _, d := range []string{"workloads/bin", "workloads/bin-native", "rustpeers/target", "cpeers/bin-native"} {
		if _, err := os.Stat(filepath.Join(absRoot, d)); err != nil {
			continue // not built: the cases that need it are skipped, as in root
		}
		if err := os.MkdirAll(filepath.Dir(filepath.Join(wr, d)), 0o755); err != nil {
			return "", err
		}
		if err := os.Symlink(filepath.Join(absRoot, d), filepath.Join(wr, d)); err != nil {
			return "", err
		}
	}
	cbin := filepath.Join(absRoot, "cpeers", "bin")
	entries, err := os.ReadDir(cbin)
	if err != nil {
		return "", fmt.Errorf("the C peers are not built (%v): run 'make peers' first", err)
	}
	wbin := filepath.Join(wr, "cpeers", "bin")
	if err := os.MkdirAll(wbin, 0o755); err != nil {
		return "", err
	}
	for _, e := range entries {
		if e.Name() != "hello" {
			if err := os.Symlink(filepath.Join(cbin, e.Name()), filepath.Join(wbin, e.Name())); err != nil {
				return "", err
			}
		}
	}
	src := filepath.Join(wr, "burn.c")
	if err := os.WriteFile(src, []byte(burnC), 0o644); err != nil {
		return "", err
	}
	cc := exec.Command("cc", "-O2", "-static", "-Wall", "-Werror", fmt.Sprintf("-DBURN_NS=%dLL", burn.Nanoseconds()),
		fmt.Sprintf(`-DREAL="%s"`, filepath.Join(cbin, "hello")), "-o", filepath.Join(wbin, "hello"), src)
	if out, err := cc.CombinedOutput(); err != nil {
		return "", fmt.Errorf("building the burn wrapper: %v: %s", err, out)
	}
	return wr, nil
}

// calTrial is one gate's outcome.
type calTrial struct {
	exit      int
	regressed []string // "name unit"
	cases     []string // the cases of regressed, once each
	machine   string
	res       *gate.Result
}

func (c *calibration) run(w io.Writer, o gate.Options) error {
	self, err := os.Executable()
	if err != nil {
		return err
	}
	dir := c.out
	if dir == "" {
		if dir, err = os.MkdirTemp("", "gate-calibrate-"); err != nil {
			return err
		}
		defer os.RemoveAll(dir)
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	n := 0
	runOne := func(root string) (*results.Run, error) {
		n++
		out := filepath.Join(dir, fmt.Sprintf("run-%04d", n))
		cmd := exec.Command(self, "run", "--calibrate", "off", "--root", root, "--profile", "smoke", "--workloads", c.workloads,
			"--repeat", fmt.Sprint(c.repeat), "--out", out)
		if msg, err := cmd.CombinedOutput(); err != nil {
			return nil, fmt.Errorf("%s: %v: %s", strings.Join(cmd.Args, " "), err, lastLine(msg))
		}
		rs, err := gate.Rounds([]string{out})
		if err != nil {
			return nil, err
		}
		return rs[0], nil
	}
	trial := func(baseRoot, candRoot string, hog bool) (calTrial, error) {
		var bs, cs []*results.Run
		for range c.rounds {
			b, err := runOne(baseRoot)
			if err != nil {
				return calTrial{}, err
			}
			stop := func() {}
			if hog {
				stop = startHog()
			}
			cr, err := runOne(candRoot)
			stop()
			if err != nil {
				return calTrial{}, err
			}
			bs, cs = append(bs, b), append(cs, cr)
		}
		res, err := gate.Judge(bs, cs, o)
		if err != nil {
			return calTrial{exit: 2, machine: err.Error()}, nil
		}
		t := calTrial{exit: res.Exit(), machine: res.Machine, res: res}
		for _, l := range res.Lines {
			if l.Status == gate.Regressed {
				t.regressed = append(t.regressed, l.Row.Name+" "+l.Row.Unit)
				if !slices.Contains(t.cases, l.Row.Name) {
					t.cases = append(t.cases, l.Row.Name)
				}
			}
		}
		return t, nil
	}
	fmt.Fprintf(w, "gate calibration: smoke profile, workloads %s, %d rounds of --repeat %d per gate, threshold %g%%, alpha %g\n",
		c.workloads, c.rounds, c.repeat, 100*o.Threshold, o.Alpha)
	fmt.Fprintf(w, "machine: %s\n\n", loadAvg())

	// A/A: the same peers on both sides.
	var aa []calTrial
	logRatios := map[string][]float64{} // per gated metric, every A/A round's log ratio
	for i := range c.aa {
		t, err := trial(c.root, c.root, false)
		if err != nil {
			return err
		}
		aa = append(aa, t)
		fmt.Fprintf(w, "A/A %d/%d: exit %d %s\n", i+1, c.aa, t.exit, describe(t))
		if t.res != nil && t.res.Pairs != nil {
			for _, l := range t.res.Lines {
				if l.Row.Exact || l.Est.Rounds == 0 {
					continue
				}
				k := l.Row.Name + " " + l.Row.Unit
				for _, p := range t.res.Pairs {
					b, _ := gate.RoundValue(l.Row.Unit, p[0].Values(l.Row.Name, l.Row.Unit))
					cv, _ := gate.RoundValue(l.Row.Unit, p[1].Values(l.Row.Name, l.Row.Unit))
					if b > 0 && cv > 0 {
						logRatios[k] = append(logRatios[k], math.Log(cv/b))
					}
				}
			}
		}
	}
	// Injected: the C hello burns c.burn of CPU before its exec in the candidate.
	var inj []calTrial
	if c.injected > 0 {
		base, err := wrappedRoot(dir, c.root, 0)
		if err != nil {
			return err
		}
		cand, err := wrappedRoot(dir, c.root, c.burn)
		if err != nil {
			return err
		}
		for i := range c.injected {
			t, err := trial(base, cand, false)
			if err != nil {
				return err
			}
			inj = append(inj, t)
			fmt.Fprintf(w, "injected %d/%d: exit %d %s\n", i+1, c.injected, t.exit, describe(t))
		}
	}
	// A/A with a CPU hog beside every candidate round.
	var hogs []calTrial
	for i := range c.hog {
		t, err := trial(c.root, c.root, true)
		if err != nil {
			return err
		}
		hogs = append(hogs, t)
		fmt.Fprintf(w, "A/A beside a CPU hog %d/%d: exit %d %s\n", i+1, c.hog, t.exit, describe(t))
	}

	fmt.Fprintf(w, "\nmachine after: %s\n", loadAvg())
	count := func(ts []calTrial, f func(calTrial) bool) int {
		k := 0
		for _, t := range ts {
			if f(t) {
				k++
			}
		}
		return k
	}
	if len(aa) > 0 {
		fmt.Fprintf(w, "A/A: %d false alarm(s) (exit 1) in %d gates; %d exit 2 (cannot judge); %d exit 0\n",
			count(aa, func(t calTrial) bool { return t.exit == 1 }), len(aa),
			count(aa, func(t calTrial) bool { return t.exit == 2 }), count(aa, func(t calTrial) bool { return t.exit == 0 }))
	}
	if len(inj) > 0 {
		want := gate.Controls[0].Name // the C hello
		only := func(t calTrial) bool { return t.exit == 1 && len(t.cases) == 1 && t.cases[0] == want }
		fmt.Fprintf(w, "injected +%s of CPU before the C hello's exec: detected (exit 1, only %s named) in %d of %d gates (its exec-ns in %d); exit 1 naming other cases too: %d; missed: %d\n",
			c.burn, want, count(inj, only), len(inj),
			count(inj, func(t calTrial) bool { return only(t) && slices.Contains(t.regressed, want+" exec-ns") }),
			count(inj, func(t calTrial) bool { return t.exit == 1 && !only(t) }),
			count(inj, func(t calTrial) bool { return t.exit != 1 }))
	}
	if len(hogs) > 0 {
		fmt.Fprintf(w, "A/A beside a CPU hog: exit 0 in %d, exit 2 (the machine changed) in %d, exit 1 (called a regression) in %d of %d gates\n",
			count(hogs, func(t calTrial) bool { return t.exit == 0 }), count(hogs, func(t calTrial) bool { return t.exit == 2 }),
			count(hogs, func(t calTrial) bool { return t.exit == 1 }), len(hogs))
	}
	if len(logRatios) > 0 {
		fmt.Fprintf(w, "\nsmallest slowdown detected with 90%% power at %d rounds (from the A/A rounds' spread of per-round ratios; t approximation, before the false-discovery correction):\n", c.rounds)
		var keys []string
		for k := range logRatios {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			v := logRatios[k]
			if len(v) < 3 {
				continue
			}
			fmt.Fprintf(w, "  %-40s +%.1f%% (per-round ratio spread %.1f%%, %d rounds)\n", k, 100*mde(v, c.rounds, o), 100*stddev(v), len(v))
		}
	}
	return nil
}

// mde is the smallest slowdown a gate of k rounds detects with 90% power: the per-round log
// ratio's spread s gives the mean's standard error s/sqrt(k); the interval's near end must
// clear the threshold, so the change must exceed log(1+threshold) by (t(1-alpha/2) + t(0.9))
// standard errors.
func mde(logs []float64, k int, o gate.Options) float64 {
	t := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(k - 1)}
	se := stddev(logs) / math.Sqrt(float64(k))
	return math.Exp(math.Log(1+o.Threshold)+(t.Quantile(1-o.Alpha/2)+t.Quantile(0.9))*se) - 1
}

func stddev(v []float64) float64 {
	m := 0.0
	for _, x := range v {
		m += x
	}
	m /= float64(len(v))
	s := 0.0
	for _, x := range v {
		s += (x - m) * (x - m)
	}
	return math.Sqrt(s / float64(len(v)-1))
}

func describe(t calTrial) string {
	switch {
	case t.machine != "":
		return "(" + t.machine + ")"
	case len(t.regressed) > 0:
		return "(regressed: " + strings.Join(t.regressed, ", ") + ")"
	}
	return ""
}

// startHog starts one busy process per CPU and returns what stops them.
func startHog() func() {
	var procs []*exec.Cmd
	for range runtime.NumCPU() {
		p := exec.Command("sh", "-c", "while :; do :; done")
		if p.Start() == nil {
			procs = append(procs, p)
		}
	}
	return func() {
		for _, p := range procs {
			_ = p.Process.Kill()
			_ = p.Wait()
		}
	}
}

func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "load average unknown"
	}
	f := strings.Fields(string(b))
	return "load average " + strings.Join(f[:3], " ")
}

func lastLine(b []byte) string {
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	return lines[len(lines)-1]
}
