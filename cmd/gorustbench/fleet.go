package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"sort"
	"strings"
	"syscall"
	"time"
	"unicode/utf8"

	"github.com/gorustbench/gorustbench/bench/metrics"
	"github.com/gorustbench/gorustbench/bench/pack"
	"github.com/gorustbench/gorustbench/bench/results"
	"github.com/gorustbench/gorustbench/bench/runner"
	"github.com/gorustbench/gorustbench/bench/suite"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// fleetFlags are run's flags for running on many machines: prebuilt peers, live metrics and
// a Pushgateway.
type fleetFlags struct {
	peersFrom    string
	metricsAddr  string
	metricsGrace time.Duration
	pushgateway  string
	machine      string

	metricsLn net.Listener // opened by check, before the run folder is made
}

// check validates the flags and takes the metrics port before anything is made, so a
// malformed URL, a bad name or a busy port is a usage error, not a run folder left behind or
// a run measured for nothing. The caller closes what it opened with closeUnused if the run
// never starts.
func (f *fleetFlags) check() error {
	if f.metricsGrace < 0 {
		return &exitError{2, fmt.Sprintf("--metrics-grace %s: give 0 or more", f.metricsGrace)}
	}
	if f.machine != "" && (strings.ContainsAny(f.machine, "/ \t\n") || !utf8.ValidString(f.machine)) {
		return &exitError{2, fmt.Sprintf("--machine %q: give a name without spaces or slashes (it is a Pushgateway grouping key)", f.machine)}
	}
	if f.pushgateway != "" {
		u, err := url.Parse(f.pushgateway)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return &exitError{2, fmt.Sprintf("--pushgateway %q is not an http:// or https:// URL with a host (e.g. http://pushgateway:9091)", f.pushgateway)}
		}
	}
	if f.metricsAddr != "" {
		ln, err := metrics.Listen(f.metricsAddr)
		if err != nil {
			return &exitError{2, err.Error()}
		}
		f.metricsLn = ln
	}
	return nil
}

// closeUnused closes the metrics socket if live never served on it.
func (f *fleetFlags) closeUnused() {
	if f.metricsLn != nil {
		f.metricsLn.Close()
		f.metricsLn = nil
	}
}

func (f *fleetFlags) register(fs *pflag.FlagSet) {
	fs.StringVar(&f.peersFrom, "peers", "", "run prebuilt peers from this archive or folder (gorustbench build --pack) instead of those built under --root")
	fs.StringVar(&f.metricsAddr, "metrics-addr", "", "serve live Prometheus metrics at http://ADDR/metrics while the run goes on (e.g. 127.0.0.1:9464; a bare :PORT listens on loopback)")
	fs.DurationVar(&f.metricsGrace, "metrics-grace", time.Minute, "with --metrics-addr: keep serving the final figures this long after the run ends, so a scrape sees them (0: stop at once; Ctrl-C ends the wait)")
	fs.StringVar(&f.pushgateway, "pushgateway", "", "push the run's results to this Prometheus Pushgateway URL at the end, grouped by machine and run id")
	fs.StringVar(&f.machine, "machine", "", "the machine's name in metrics and exports (default: its host name, which may collide across VMs and containers)")
}

// peers returns the root the peer binaries are found under, and the cases to run: root
// itself and every case, or the pack given to --peers, checked against this machine and
// recorded in the manifest, and the cases it can run. A case whose binary the pack lacks (the
// native build of a kernel, in a pack of the default build only), or whose native binary
// needs CPU features this machine lacks, is left out, said on stdout and noted in the
// manifest.
func (f *fleetFlags) peers(stdout io.Writer, root string, m *results.Manifest, cases []*suite.Case) (string, []*suite.Case, func(), error) {
	if f.peersFrom == "" {
		return root, cases, func() {}, nil
	}
	dir, pm, cleanup, err := pack.Open(f.peersFrom)
	if err != nil {
		return "", nil, nil, &exitError{2, err.Error()}
	}
	fail := func(code int, format string, a ...any) (string, []*suite.Case, func(), error) {
		cleanup()
		return "", nil, nil, &exitError{code, fmt.Sprintf(format, a...)}
	}
	if m.Native && !pm.Has(pack.Native) {
		return fail(2, "--peers %s holds the default build only; run without --native, or pack where 'make peers' built the native one", f.peersFrom)
	}
	on := pack.ThisMachine()
	missing := pm.MissingFeatures(on)
	var run []*suite.Case
	var paths []string
	leftOut := map[string][]string{}
	for _, c := range cases {
		switch {
		case !pm.Holds(c.Impl.Binary):
			build := pack.Default
			if c.Impl.Build == "native" || m.Native {
				build = pack.Native
			}
			why := "the pack holds no " + build + " build"
			if pm.Has(build) {
				why = "the pack's " + build + " build lacks their peers"
				if build == pack.Native {
					why += " ('make peers' builds the native variant of the CPU kernels only)"
				}
			}
			leftOut[why] = append(leftOut[why], c.Name())
		case c.Impl.Build == "native" && len(missing) > 0 && !m.Native:
			why := fmt.Sprintf("the pack's native build uses %s, which this CPU lacks", strings.Join(missing, ", "))
			leftOut[why] = append(leftOut[why], c.Name())
		default:
			run = append(run, c)
			paths = append(paths, c.Impl.Binary)
		}
	}
	if err := pack.Check(pm, paths, on); err != nil {
		return fail(1, "cannot run the peers of %s: %v", f.peersFrom, err)
	}
	if len(run) == 0 {
		return fail(2, "--peers %s holds none of the peers the selected cases run (builds in it: %s)", f.peersFrom, strings.Join(pm.Builds, ", "))
	}
	m.Prebuilt = pm.Prebuilt(f.peersFrom)
	if m.GitCommit == "unknown" || m.GitCommit == "" {
		// Outside a checkout: the harness's own commit (go build stamps it), else the pack's,
		// which 'make pack' builds beside the harness.
		m.GitCommit = harnessCommit()
		if m.GitCommit == "" {
			m.GitCommit = pm.GitCommit
		}
	}
	fmt.Fprintf(stdout, "peers: prebuilt pack %s (%s) from %s, packed on %s at commit %s\n", pm.ID, strings.Join(pm.Builds, " and ")+" build", f.peersFrom, m.Prebuilt.PackedOn, pm.GitCommit)
	whys := make([]string, 0, len(leftOut))
	for why := range leftOut {
		whys = append(whys, why)
	}
	sort.Strings(whys)
	for _, why := range whys {
		note := fmt.Sprintf("left out %d case(s) because %s: %s", len(leftOut[why]), why, strings.Join(leftOut[why], ", "))
		fmt.Fprintf(stdout, "peers: %s\n", note)
		m.Notes = append(m.Notes, "--peers: "+note)
	}
	return dir, run, cleanup, nil
}

// harnessCommit is the commit this harness was built from (12 digits, "-dirty" when the tree
// had changes), as go build stamps it; "" when it did not.
func harnessCommit() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return ""
	}
	rev, dirty := "", false
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if rev != "" && dirty {
		rev += "-dirty"
	}
	return rev
}

// liveMetrics is the live endpoint of a run, when --metrics-addr asks for one.
type liveMetrics struct {
	l    *metrics.Live
	addr string
	stop context.CancelFunc
}

// live starts the metrics endpoint, if asked for, and returns the progress the runner reports
// to. The endpoint outlives the run's context: end (below) stops it after the grace period.
func (f *fleetFlags) live(stdout io.Writer, m *results.Manifest, dir *results.Dir, p runner.Progress) (runner.Progress, *liveMetrics, error) {
	if f.metricsLn == nil {
		return p, nil, nil
	}
	l := metrics.NewLive(m)
	ctx, stop := context.WithCancel(context.Background())
	addr := metrics.ServeOn(ctx, f.metricsLn, l.Registry)
	f.metricsLn = nil // served: closed when stop is called
	dir.Observe = l.Observe
	fmt.Fprintf(stdout, "metrics: http://%s/metrics\n", addr)
	return l.Progress(p), &liveMetrics{l: l, addr: addr, stop: stop}, nil
}

// end records the run's final state on the endpoint and keeps serving it for the grace
// period (cut short by Ctrl-C or SIGTERM), so that a scrape after the run sees the final
// counts; then it stops the endpoint.
func (f *fleetFlags) end(lm *liveMetrics, state string, stdout io.Writer) {
	if lm == nil {
		return
	}
	defer lm.stop()
	lm.l.Finish(state)
	if f.metricsGrace <= 0 || state == results.StateInterrupted {
		return
	}
	fmt.Fprintf(stdout, "metrics: serving the final figures at http://%s/metrics for %s (--metrics-grace; Ctrl-C stops)\n", lm.addr, f.metricsGrace)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	select {
	case <-ctx.Done():
	case <-time.After(f.metricsGrace):
	}
}

// push sends the finished run to the Pushgateway, if asked for.
func (f *fleetFlags) push(out string, stdout io.Writer) error {
	if f.pushgateway == "" {
		return nil
	}
	run, err := results.Load(out)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := metrics.Push(ctx, f.pushgateway, run); err != nil {
		return fmt.Errorf("the run is complete in %s, but %v ('gorustbench export --format prom %s' writes it as a textfile instead)", out, err, out)
	}
	fmt.Fprintf(stdout, "pushed to %s (machine %s, run %s)\n", f.pushgateway, metrics.Machine(&run.Manifest), run.Manifest.RunID)
	return nil
}

// writePack packs the built peers (every build recorded: default and native) into to: an
// archive path (.tar.gz, .tgz) or a folder, and copies this harness beside the archive, so
// that the folder is all a machine without toolchains needs.
func writePack(cmd *cobra.Command, root string, to string) error {
	if to == "" {
		return usageError{fmt.Errorf("--pack-only needs --pack ARCHIVE|DIR")}
	}
	path := to
	if !strings.HasSuffix(to, ".tar.gz") && !strings.HasSuffix(to, ".tgz") {
		if err := os.MkdirAll(to, 0o755); err != nil {
			return err
		}
		path = filepath.Join(to, "gorustbench-peers-"+runtime.GOARCH+".tar.gz")
	}
	m, err := pack.Write(root, path)
	if err != nil {
		return fmt.Errorf("pack: %v", err)
	}
	harness := filepath.Join(filepath.Dir(path), "gorustbench")
	if err := copyHarness(harness); err != nil {
		return fmt.Errorf("packed %s, but copying the harness beside it failed: %v", path, err)
	}
	fmt.Fprintf(cmd.OutOrStdout(), "packed %d peers (%s build) as %s (pack %s), with the harness %s; run them elsewhere with: ./gorustbench run --peers %s\n",
		len(m.Files), strings.Join(m.Builds, " and "), path, m.ID, harness, filepath.Base(path))
	return nil
}

// copyHarness copies the running executable to dst (atomically, by a rename), unless dst is
// that executable.
func copyHarness(dst string) error {
	self, err := os.Executable()
	if err != nil {
		return err
	}
	if a, err := os.Stat(self); err == nil {
		if b, err := os.Stat(dst); err == nil && os.SameFile(a, b) {
			return nil
		}
	}
	data, err := os.ReadFile(self)
	if err != nil {
		return err
	}
	tmp := dst + ".tmp"
	if err := os.WriteFile(tmp, data, 0o755); err != nil {
		return err
	}
	return os.Rename(tmp, dst)
}
