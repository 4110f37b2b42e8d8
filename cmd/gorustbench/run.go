package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/gorustbench/gorustbench/bench/build"
	"github.com/gorustbench/gorustbench/bench/calibrate"
	"github.com/gorustbench/gorustbench/bench/claims"
	"github.com/gorustbench/gorustbench/bench/loadgen"
	"github.com/gorustbench/gorustbench/bench/probe"
	"github.com/gorustbench/gorustbench/bench/report"
	"github.com/gorustbench/gorustbench/bench/results"
	"github.com/gorustbench/gorustbench/bench/runner"
	"github.com/gorustbench/gorustbench/bench/suite"
	"github.com/spf13/cobra"
)

func runCmd() *cobra.Command {
	var (
		o                runOptions
		workloads, impls []string
		repeat           int
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
exits 1 at the end. Ctrl-C (SIGINT), SIGTERM and SIGHUP (a closed terminal) stop at once,
keeping every sample taken so far in a folder marked interrupted (exit 130).

After the planned rounds, a claim still undecided for want of samples (its interval
straddles a threshold) gets more interleaved rounds of just the cases it reads, up to
--extra-budget. A round takes the case's whole group, so samples paired by round stay
paired. Every look at the samples asks its intervals at a stricter level (97.5% at the
second, 98.75% at the third, ...): the later looks spend under 5% between them, so a claim's
chance of a wrong verdict stays under 10% however many looks, where uncorrected looks would
let it grow without bound. Each look is a note in the manifest and the report.

Profiles: smoke (seconds; a check that everything works), quick (minutes; the default),
full (long; more sizes and repetitions).`,
		Example: `  gorustbench run                                  # the quick profile, everything
  gorustbench run --profile smoke                  # fast end-to-end check
  gorustbench run --workloads hello --repeat 50    # only start-up, 50 timed runs each
  gorustbench run --impls go,rust-faer             # a language, or one implementation ID
  benchstat -col /impl results/latest/samples.bench`,
		Args: args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			cases, err := suite.Plan(o.profile, workloads, impls, len(probe.AllowedCPUs()))
			if err != nil {
				return &exitError{2, err.Error()}
			}
			if len(cases) == 0 {
				return &exitError{2, "nothing to run: --workloads and --impls select no case"}
			}
			if o.native {
				suite.UseNative(cases)
			}
			if cmd.Flags().Changed("repeat") {
				if repeat < 1 {
					return &exitError{2, fmt.Sprintf("--repeat %d: give at least 1 timed run per case", repeat)}
				}
				for _, c := range cases {
					c.Repeat = repeat
				}
			}
			if cmd.Flags().Changed("extra-budget") && o.extraBudget < 0 {
				return &exitError{2, fmt.Sprintf("--extra-budget %v: give 0 (no extra rounds) or a positive duration such as 90s", o.extraBudget)}
			}
			if o.calibration != "off" && o.calibration != calibrate.Short && o.calibration != calibrate.Full {
				return &exitError{2, fmt.Sprintf("--calibrate %q: want short, full or off", o.calibration)}
			}
			return doRun(cmd, cases, &o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.profile, "profile", "quick", "smoke, quick or full")
	f.StringSliceVar(&workloads, "workloads", nil, "only these workloads (comma-separated: "+strings.Join(suite.Names(), ", ")+")")
	f.StringSliceVar(&impls, "impls", nil, "only these implementations: languages (go, rust, c) or IDs (go-gonum, rust-faer, ...)")
	f.StringVar(&o.out, "out", "", "results folder (default results/<run-id>)")
	f.IntVar(&repeat, "repeat", 0, "timed runs per case (default: the profile's)")
	f.StringVar(&o.root, "root", ".", "repository root, where the peer binaries are")
	f.BoolVar(&o.noPin, "no-pin", false, "do not pin peers to CPUs")
	f.BoolVar(&o.allowMissing, "allow-missing", false, "exit 0 even when cases were skipped because their peer is not built")
	f.StringVar(&o.calibration, "calibrate", calibrate.Short, "check the instruments first (gorustbench calibrate): short (about 30 s), full, or off")
	f.DurationVar(&o.extraBudget, "extra-budget", -1, "time sequential sampling may add: rounds for the claims still undecided after the planned samples (quick 90s, full 10m, smoke 0; 0 turns it off)")
	f.Lookup("extra-budget").DefValue = "the profile's" // not the sentinel -1ns
	f.BoolVar(&o.native, "native", false, "run the native builds (gorustbench build --native): -march=native, target-cpu=native, GOAMD64=v3")
	o.fleet.register(f)
	return cmd
}

// runOptions are run's flags.
type runOptions struct {
	profile, out, root string
	noPin              bool          // leave peers unpinned
	native             bool          // run the native builds
	allowMissing       bool          // exit 0 although cases were skipped for a missing peer
	calibration        string        // "short", "full" or "off"
	extraBudget        time.Duration // sequential sampling's budget; negative: the profile's
	fleet              fleetFlags
}

func doRun(cmd *cobra.Command, cases []*suite.Case, o *runOptions) (err error) {
	profile, out, root, fleet := o.profile, o.out, o.root, &o.fleet
	stdout, stderr := cmd.OutOrStdout(), cmd.ErrOrStderr()
	// A terminal or pipe that goes away (an ssh drop) makes writes to stdout and stderr fail
	// instead of killing the harness with SIGPIPE mid-run; the SIGHUP that follows stops the
	// run as an interrupt. Kept for the process's life: its last line is written after this
	// returns. (A caught signal is reset for the peers on exec, unlike an ignored one.)
	signal.Notify(make(chan os.Signal, 1), syscall.SIGPIPE)
	// Descriptors this process inherited from its parent must not reach the peers (see
	// NoInheritedFDs); only run starts peers (build's compilers may need theirs, such as a
	// make jobserver's).
	runner.NoInheritedFDs()
	// Every flag is checked before the run folder is made.
	if err := fleet.check(); err != nil {
		return err
	}
	defer fleet.closeUnused()
	m := results.NewManifest(root, profile, o.native, os.Args)
	cpus, pinning := probe.PinPlan(o.noPin)
	m.Pinning = pinning
	m.LoadSlack = loadgen.DefaultSlack.String()
	m.MachineName = fleet.machine
	peersRoot, cases, cleanup, err := fleet.peers(stdout, root, m, cases)
	if err != nil {
		return err
	}
	defer cleanup()
	b, err := build.Load(peersRoot, o.native)
	if err != nil {
		fmt.Fprintf(stderr, "warning: %v\n", err)
	}
	m.Build = b
	var dir *results.Dir
	if out == "" {
		dir, err = results.CreateRun(filepath.Join(root, "results"), m)
	} else {
		dir, err = results.Create(out, m, m.ConfigLines())
	}
	if err != nil {
		return err
	}
	out = dir.Path
	// A folder this process made is never left "running" when it returns: whatever stopped
	// it is the folder's state reason.
	defer func() {
		running := false
		dir.Manifest(func(m *results.Manifest) { running = m.State == results.StateRunning })
		if running {
			_ = dir.Finish(results.StateInterrupted, fmt.Sprintf("stopped: %v", err))
		}
	}()
	if b != nil {
		if err := dir.Add(build.Samples(b)...); err != nil {
			return err
		}
	}
	fmt.Fprintf(stdout, "run %s: profile %s, %d cases, results in %s\n", m.RunID, profile, len(cases), out)

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	defer stop()
	p := newProgress(stderr)
	progress, lm, err := fleet.live(stdout, m, dir, p)
	if err != nil {
		return err
	}
	var runErr error
	if o.calibration != "off" {
		runErr = calibrateRun(ctx, stderr, dir, peersRoot, cpus, o.calibration)
	}
	r := &runner.Runner{Root: peersRoot, Dir: dir, Progress: progress, CPUs: cpus}
	budget := o.extraBudget
	if budget < 0 {
		budget = claims.ExtraBudget(profile)
	}
	if budget > 0 {
		r.More = sequential(stderr, dir, budget)
	}
	failed := 0
	if runErr == nil {
		failed, runErr = r.Run(ctx, cases)
	}
	p.Done()
	stop() // a second Ctrl-C from here on kills the harness the default way
	final := results.StateComplete
	if runErr != nil {
		final = results.StateInterrupted
	}
	defer fleet.end(lm, final, stdout)

	if errors.Is(runErr, runner.ErrInterrupted) {
		if err := dir.Finish(results.StateInterrupted, "stopped by a signal"); err != nil {
			return err
		}
		n := 0
		dir.Manifest(func(m *results.Manifest) { n = m.Samples })
		return &exitError{130, fmt.Sprintf("interrupted: %d samples kept in %s (manifest says interrupted); 'gorustbench report %s' reports what was taken", n, out, out)}
	}
	if runErr != nil {
		// A failed write (a full disk): stop, keep what is on disk, say why in the manifest.
		_ = dir.Finish(results.StateInterrupted, "stopped: "+runErr.Error())
		n := 0
		dir.Manifest(func(m *results.Manifest) { n = m.Samples })
		return fmt.Errorf("%v: stopped; the %d samples written before are kept in %s", runErr, n, out)
	}
	if err := dir.Finish(results.StateComplete, ""); err != nil {
		return err
	}
	if err := results.LinkLatest(root, out); err != nil {
		fmt.Fprintf(stderr, "warning: %v\n", err)
	}
	path, err := report.WriteFolder(out)
	if err != nil {
		return fmt.Errorf("the run is complete in %s, but its report failed: %w", out, err)
	}
	fmt.Fprintf(stdout, "report: %s\n", path)
	if err := fleet.push(out, stdout); err != nil {
		return err
	}
	var ok, skipped []string
	dir.Manifest(func(m *results.Manifest) {
		for _, c := range m.Cases {
			switch c.State {
			case results.CaseOK:
				ok = append(ok, c.Name)
			case results.CaseSkipped:
				skipped = append(skipped, c.Name)
			}
		}
	})
	fmt.Fprintf(stdout, "cases: %d ok, %d failed, %d skipped\n", len(ok), failed, len(skipped))
	switch {
	case failed > 0:
		return &exitError{1, fmt.Sprintf("%d case(s) failed; their reasons are in the report and in %s", failed, filepath.Join(out, "manifest.json"))}
	case len(skipped) > 0 && !o.allowMissing:
		return &exitError{1, fmt.Sprintf("%d case(s) could not run because their peer is not built (%s): run 'make peers', or pass --allow-missing", len(skipped), strings.Join(skipped, ", "))}
	}
	return nil
}

// calibrateRun checks the instruments on this machine into the run folder before anything is
// measured; a failed check makes the verdicts that read through that instrument inconclusive.
func calibrateRun(ctx context.Context, stderr io.Writer, dir *results.Dir, root string, cpus []int, mode string) error {
	fmt.Fprintf(stderr, "calibrating the instruments (%s; --calibrate off skips it)\n", mode)
	cal, err := calibrate.Run(ctx, calibrate.Config{Root: root, CPUs: cpus, Mode: mode, Retries: 1, Log: stderr})
	if ctx.Err() != nil {
		return runner.ErrInterrupted
	}
	if err == nil {
		err = results.WriteCalibration(dir.Path, cal)
	}
	if err != nil {
		dir.Manifest(func(m *results.Manifest) { m.Notes = append(m.Notes, "calibration failed to run: "+err.Error()) })
		fmt.Fprintf(stderr, "warning: calibration failed to run: %v\n", err)
		return nil
	}
	for _, k := range cal.Checks {
		if k.Status == results.CheckFail {
			fmt.Fprintf(stderr, "warning: calibration: %s is %+.0f%% off %s (tolerance %.0f%%): verdicts that read through %s are inconclusive\n",
				k.Name, 100*k.Error, k.Reference, 100*k.Tolerance, k.Instrument)
		}
	}
	return nil
}
