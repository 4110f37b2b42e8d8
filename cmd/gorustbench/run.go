package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/gorustbench/gorustbench/bench/build"
	"github.com/gorustbench/gorustbench/bench/probe"
	"github.com/gorustbench/gorustbench/bench/report"
	"github.com/gorustbench/gorustbench/bench/results"
	"github.com/gorustbench/gorustbench/bench/runner"
	"github.com/gorustbench/gorustbench/bench/suite"
	"github.com/spf13/cobra"
	"golang.org/x/perf/benchfmt"
)

func runCmd() *cobra.Command {
	var (
		profile, out, root string
		workloads, impls   []string
		repeat             int
		noPin, native      bool
	)
	cmd := &cobra.Command{
		Use:   "run",
		Short: "Run workloads against every implementation and record the samples",
		Long: `run executes the profile's cases: each workload with each set of parameters against
every implementation (Go, Rust, C peers built by 'make peers').

For every group of implementations it first runs each one once and checks that they all
compute the same checksum (a peer that differs is failed, never timed). Then it does the
warm-up runs (discarded) and the timed runs, interleaving implementations (A B C, B C A, ...)
so a slow phase of a noisy machine hits all of them alike. Peers are pinned to CPUs (the
harness keeps the first) with GOMAXPROCS, OPENBLAS_NUM_THREADS and RAYON_NUM_THREADS set to
the case's thread count; every pin is recorded.

It writes results/<run-id>/ (or --out): samples.bench (the Go benchmark format: read it with
benchstat), manifest.json (the machine, toolchains, build, each case's state and reason),
logs/ (each case's stdout and stderr), report.md with the claims' verdicts, and points
results/latest at it. A peer that crashes, hangs past its timeout, prints no or a malformed
result line, or computes a different checksum fails its own case; the rest go on and run
exits 1 at the end. Ctrl-C stops at once, keeping every sample taken so far in a folder
marked interrupted (exit 130).

Profiles: smoke (seconds; a check that everything works), quick (minutes; the default),
full (long; more sizes and repetitions).`,
		Example: `  gorustbench run                                  # the quick profile, everything
  gorustbench run --profile smoke                  # fast end-to-end check
  gorustbench run --workloads hello --repeat 50    # only start-up, 50 timed runs each
  gorustbench run --impls go,rust-faer             # a language, or one implementation ID
  benchstat -col /impl results/latest/samples.bench`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cases, err := suite.Plan(profile, workloads, impls, len(runner.AllowedCPUs()))
			if err != nil {
				return &exitError{2, err.Error()}
			}
			if len(cases) == 0 {
				return &exitError{2, "nothing to run: --workloads and --impls select no case"}
			}
			if native {
				suite.UseNative(cases)
			}
			if repeat > 0 {
				for _, c := range cases {
					c.Repeat = repeat
				}
			}
			return doRun(cmd, cases, profile, out, root, noPin, native)
		},
	}
	f := cmd.Flags()
	f.StringVar(&profile, "profile", "quick", "smoke, quick or full")
	f.StringSliceVar(&workloads, "workloads", nil, "only these workloads (comma-separated: "+strings.Join(workloadNames(), ", ")+")")
	f.StringSliceVar(&impls, "impls", nil, "only these implementations: languages (go, rust, c) or IDs (go-gonum, rust-faer, ...)")
	f.StringVar(&out, "out", "", "results folder (default results/<run-id>)")
	f.IntVar(&repeat, "repeat", 0, "timed runs per case (default: the profile's)")
	f.StringVar(&root, "root", ".", "repository root, where the peer binaries are")
	f.BoolVar(&noPin, "no-pin", false, "do not pin peers to CPUs")
	f.BoolVar(&native, "native", false, "run the native builds (gorustbench build --native): -march=native, target-cpu=native, GOAMD64=v3")
	return cmd
}

func workloadNames() []string {
	var out []string
	for _, w := range suite.Workloads {
		out = append(out, w.Name)
	}
	return out
}

func doRun(cmd *cobra.Command, cases []*suite.Case, profile, out, root string, noPin, native bool) error {
	started := time.Now().UTC()
	runID := started.Format("20060102-150405")
	if out == "" {
		out = filepath.Join(root, "results", runID)
	}
	host := probe.ReadHost()
	m := &results.Manifest{
		RunID: runID, Command: os.Args, Profile: profile, Started: started,
		GitCommit: probe.GitCommit(root), Host: host, Toolchains: probe.ReadToolchains(),
		Env: map[string]string{},
	}
	for _, k := range []string{"GOGC", "GOMEMLIMIT", "GODEBUG", "GOMAXPROCS", "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"} {
		m.Env[k] = os.Getenv(k)
	}
	cpus := runner.AllowedCPUs()
	switch err := runner.CanPin(); {
	case noPin:
		cpus, m.Pinning = nil, "off (--no-pin)"
	case err != nil:
		cpus, m.Pinning = nil, "unavailable: "+err.Error()
	default:
		m.Pinning = fmt.Sprintf("sched_setaffinity before exec, within CPUs %v; a peer with fewer threads than CPUs gets the last ones, leaving CPU %d to the harness", cpus, cpus[0])
	}
	m.Native = native
	b, err := build.Load(root, native)
	if err != nil {
		fmt.Fprintf(cmd.ErrOrStderr(), "warning: %v\n", err)
	}
	m.Build = b
	dir, err := results.Create(out, m, configLines(m))
	if err != nil {
		return err
	}
	if b != nil {
		if err := dir.Add(build.Samples(b)...); err != nil {
			return err
		}
	}
	fmt.Fprintf(cmd.OutOrStdout(), "run %s: profile %s, %d cases, results in %s\n", runID, profile, len(cases), out)

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	p := newProgress(os.Stderr)
	r := &runner.Runner{Root: root, Dir: dir, Progress: p, CPUs: cpus}
	failed, runErr := r.Run(ctx, cases)
	p.Done()
	stop() // a second Ctrl-C from here on kills the harness the default way

	if errors.Is(runErr, runner.ErrInterrupted) {
		if err := dir.Finish(results.StateInterrupted, "stopped by a signal"); err != nil {
			return err
		}
		n := 0
		dir.Manifest(func(m *results.Manifest) { n = m.Samples })
		return &exitError{130, fmt.Sprintf("interrupted: %d samples kept in %s (manifest says interrupted); 'gorustbench report %s' reports what was taken", n, out, out)}
	}
	if runErr != nil {
		_ = dir.Finish(results.StateInterrupted, runErr.Error())
		return runErr
	}
	if err := dir.Finish(results.StateComplete, ""); err != nil {
		return err
	}
	linkLatest(root, out)
	path, err := report.WriteFolder(out)
	if err != nil {
		return fmt.Errorf("the run is complete in %s, but its report failed: %w", out, err)
	}
	fmt.Fprintf(cmd.OutOrStdout(), "report: %s\n", path)
	if failed > 0 {
		return &exitError{1, fmt.Sprintf("%d case(s) failed; their reasons are in the report and in %s", failed, filepath.Join(out, "manifest.json"))}
	}
	return nil
}

// configLines are samples.bench's configuration lines: where the run ran, in words benchstat
// shows and can group by.
func configLines(m *results.Manifest) []benchfmt.Config {
	kv := [][2]string{
		{"goos", m.Host.OS}, {"goarch", m.Host.Arch}, {"cpu", m.Host.CPUModel},
		{"cpus", fmt.Sprint(m.Host.CPUs)}, {"kernel", m.Host.Kernel}, {"governor", m.Host.Governor},
		{"mem-total", fmt.Sprintf("%d MiB", m.Host.MemTotalB>>20)}, {"virtualization", m.Host.Virtualized},
		{"host", m.Host.Hostname}, {"go-toolchain", m.Toolchains.Go}, {"rustc", m.Toolchains.Rustc},
		{"cc", m.Toolchains.CC}, {"commit", m.GitCommit}, {"run-id", m.RunID}, {"profile", m.Profile},
		{"pinning", m.Pinning}, {"build", map[bool]string{true: "native", false: "default"}[m.Native]},
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

// linkLatest points results/latest at the run, when the run is under results/.
func linkLatest(root, out string) {
	resultsDir := filepath.Join(root, "results")
	rel, err := filepath.Rel(resultsDir, out)
	if err != nil || strings.HasPrefix(rel, "..") {
		return
	}
	latest := filepath.Join(resultsDir, "latest")
	tmp := latest + ".tmp"
	_ = os.Remove(tmp)
	if os.Symlink(rel, tmp) == nil {
		_ = os.Rename(tmp, latest)
	}
}
