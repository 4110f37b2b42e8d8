package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

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
	peersFrom   string
	metricsAddr string
	pushgateway string

	metricsLn net.Listener // opened by check, before the run folder is made
}

// check validates the flags and takes the metrics port before anything is made, so a
// malformed URL or a busy port is a usage error, not a run folder left behind or a run
// measured for nothing. The caller closes what it opened with closeUnused if the run never
// starts.
func (f *fleetFlags) check() error {
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
	fs.StringVar(&f.pushgateway, "pushgateway", "", "push the run's results to this Prometheus Pushgateway URL at the end, grouped by machine and run id")
}

// peers returns the root the peer binaries are found under: root itself, or the pack given
// to --peers, checked against this machine and recorded in the manifest.
func (f *fleetFlags) peers(stdout io.Writer, root string, m *results.Manifest, cases []*suite.Case) (string, func(), error) {
	if f.peersFrom == "" {
		return root, func() {}, nil
	}
	dir, pm, cleanup, err := pack.Open(f.peersFrom)
	if err != nil {
		return "", nil, &exitError{2, err.Error()}
	}
	var paths []string
	for _, c := range cases {
		paths = append(paths, c.Impl.Binary)
	}
	if m.Native != pm.Native {
		cleanup()
		return "", nil, &exitError{2, fmt.Sprintf("--peers %s holds the %s build; run with%s --native", f.peersFrom,
			map[bool]string{true: "native", false: "default"}[pm.Native], map[bool]string{true: "", false: "out"}[pm.Native])}
	}
	if err := pack.Check(pm, paths, pack.ThisMachine()); err != nil {
		cleanup()
		return "", nil, &exitError{1, fmt.Sprintf("cannot run the peers of %s: %v", f.peersFrom, err)}
	}
	m.Prebuilt = pm.Prebuilt(f.peersFrom)
	fmt.Fprintf(stdout, "peers: prebuilt pack %s from %s, packed on %s at commit %s\n", pm.ID, f.peersFrom, m.Prebuilt.PackedOn, pm.GitCommit)
	return dir, cleanup, nil
}

// live starts the metrics endpoint, if asked for, and returns the progress the runner reports
// to.
func (f *fleetFlags) live(ctx context.Context, stdout io.Writer, m *results.Manifest, dir *results.Dir, p runner.Progress) (runner.Progress, error) {
	if f.metricsLn == nil {
		return p, nil
	}
	l := metrics.NewLive(m)
	addr := metrics.ServeOn(ctx, f.metricsLn, l.Registry)
	f.metricsLn = nil // served: closed when ctx ends
	dir.Observe = l.Observe
	fmt.Fprintf(stdout, "metrics: http://%s/metrics\n", addr)
	return l.Progress(p), nil
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

// writePack packs the built peers into to: an archive path (.tar.gz, .tgz) or a folder.
func writePack(cmd *cobra.Command, root string, native bool, to string) error {
	if to == "" {
		return usageError{fmt.Errorf("--pack-only needs --pack ARCHIVE|DIR")}
	}
	path := to
	if !strings.HasSuffix(to, ".tar.gz") && !strings.HasSuffix(to, ".tgz") {
		if err := os.MkdirAll(to, 0o755); err != nil {
			return err
		}
		name := "gorustbench-peers-" + runtime.GOARCH
		if native {
			name += "-native"
		}
		path = filepath.Join(to, name+".tar.gz")
	}
	m, err := pack.Write(root, native, path)
	if err != nil {
		return fmt.Errorf("pack: %v", err)
	}
	fmt.Fprintf(cmd.OutOrStdout(), "packed %d peers as %s (pack %s); run them elsewhere with: gorustbench run --peers %s\n", len(m.Files), path, m.ID, filepath.Base(path))
	return nil
}
