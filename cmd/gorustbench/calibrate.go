package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/gorustbench/gorustbench/bench/calibrate"
	"github.com/gorustbench/gorustbench/bench/results"
	"github.com/gorustbench/gorustbench/bench/runner"
	"github.com/spf13/cobra"
)

func calibrateCmd() *cobra.Command {
	var (
		root, out, mode, only, tol string
		retries                    int
		delay                      time.Duration
	)
	cmd := &cobra.Command{
		Use:   "calibrate",
		Short: "Check every instrument on this machine against an independent tool or a known answer",
		Long: `calibrate checks the harness's instruments where they run, before you trust their numbers:

  startup-clock  exec to exit of the C, Go and Rust hello, against hyperfine -N on the same
                 binary and CPU, in alternating blocks (short: 100 runs a side, full: 300)
  peak-rss       memhog's VmHWM: 64 MiB held reads as 64 MiB more than 0 MiB held (2%), and
                 as /usr/bin/time -v's maximum resident set size
  cpu-time       wait4's user+sys against a peer that burns a known 200-300 ms of CPU (5%)
  hiccup-meter   each kit's meter (C, Go, Rust) against a 100 ms SIGSTOP of the peer (5%)
  loadgen        closed-loop throughput against wrk at its maximum; CPU per request at
                 10,000 req/s within 4 times h2load's at the same rate; schedule lag p99 within
                 twice the machine's own stall p99 on the generator's CPU plus the slack

It first measures the machine's floor: an idle thread that sleeps 1 ms, alone on each CPU
(how late it wakes is the machine's own stall), the timer slack, and the hypervisor's steal
time over the calibration. Ratios to an independent tool pass within --tolerance (15%: the
machine is shared); a failed check is run --retries more times before it counts.

It prints one table and writes calibration.json into --out. 'gorustbench run' calibrates
(short) into its run folder first, and a verdict whose instrument failed is inconclusive.
Exit status: 0 every check passed or was skipped (a missing tool or peer, said in the table),
1 a check failed, 2 a bad command line, 130 interrupted.`,
		Example: `  gorustbench calibrate                         the full calibration, about 90 s
  gorustbench calibrate --mode short --only startup-clock
  gorustbench calibrate --inject-exec-delay 300us   shows that a slower exec path fails`,
		Args: args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg := calibrate.Config{Root: root, Mode: mode, Retries: retries, Log: cmd.ErrOrStderr()}
			if mode != calibrate.Short && mode != calibrate.Full {
				return usageError{fmt.Errorf("--mode %q: want short or full", mode)}
			}
			t, err := parsePercent(tol)
			if err != nil || t <= 0 || t >= 1 {
				return usageError{fmt.Errorf("--tolerance %q: want a percentage between 0 and 100, e.g. 15%%", tol)}
			}
			cfg.Tolerance = t
			if only != "" {
				for _, o := range strings.Split(only, ",") {
					if !contains(calibrate.Instruments, o) {
						return usageError{fmt.Errorf("--only: unknown instrument %q (have %s)", o, strings.Join(calibrate.Instruments, ", "))}
					}
					cfg.Only = append(cfg.Only, o)
				}
			}
			if retries < 0 {
				return usageError{fmt.Errorf("--retries %d: want 0 or more", retries)}
			}
			if delay < 0 {
				return usageError{fmt.Errorf("--inject-exec-delay %v: want 0 or more", delay)}
			}
			runner.SetExecDelay(delay)
			if err := os.MkdirAll(out, 0o755); err != nil {
				return fmt.Errorf("cannot write the calibration into %s: %v", out, err)
			}
			ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
			defer stop()
			cal, err := calibrate.Run(ctx, cfg)
			if ctx.Err() != nil {
				return &exitError{130, "interrupted: nothing was written"}
			}
			if err != nil {
				return err
			}
			if delay > 0 {
				for i := range cal.Checks {
					cal.Checks[i].Note = joinNotes(cal.Checks[i].Note, fmt.Sprintf("%v injected into the exec path", delay))
				}
			}
			if err := results.WriteCalibration(out, cal); err != nil {
				return fmt.Errorf("writing %s: %v", filepath.Join(out, results.CalibrationFile), err)
			}
			WriteCalibrationTable(cmd.OutOrStdout(), cal)
			fmt.Fprintf(cmd.OutOrStdout(), "calibration: %s\n", filepath.Join(out, results.CalibrationFile))
			if n := failed(cal); n > 0 {
				return &exitError{1, fmt.Sprintf("%d instrument check(s) failed on this machine: their figures are not to be trusted here (see the table; a quieter machine, or a fix to the instrument)", n)}
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&root, "root", ".", "repository root, where the peer binaries are")
	f.StringVar(&out, "out", filepath.Join("results", "calibration"), "folder to write calibration.json into")
	f.StringVar(&mode, "mode", calibrate.Full, "short (about 30 s, what run does first) or full (about 90 s)")
	f.StringVar(&only, "only", "", "comma-separated instruments to check: "+strings.Join(calibrate.Instruments, ","))
	f.StringVar(&tol, "tolerance", "15%", "how far a ratio to an independent tool may be from 1")
	f.IntVar(&retries, "retries", 1, "run a failed check again this many times before it counts")
	f.DurationVar(&delay, "inject-exec-delay", 0, "testing the calibration: spin this long on the peer's CPU between fork and wait")
	return cmd
}

func failed(c *results.Calibration) int {
	n := 0
	for _, k := range c.Checks {
		if k.Status == results.CheckFail {
			n++
		}
	}
	return n
}

func contains(list []string, s string) bool {
	for _, l := range list {
		if l == s {
			return true
		}
	}
	return false
}

func joinNotes(a, b string) string {
	if a == "" {
		return b
	}
	return a + "; " + b
}

// WriteCalibrationTable prints the floor and one line per check.
func WriteCalibrationTable(w io.Writer, c *results.Calibration) {
	fmt.Fprintf(w, "machine floor (idle 1 ms sleeper, alone on each CPU):")
	for _, f := range c.Floor.CPUs {
		fmt.Fprintf(w, " CPU %d p99 %s, p99.9 %s, max %s;", f.CPU, results.FormatValue(float64(f.P99Ns), "ns"), results.FormatValue(float64(f.P999Ns), "ns"), results.FormatValue(float64(f.MaxNs), "ns"))
	}
	if len(c.Floor.CPUs) == 0 {
		fmt.Fprint(w, " not measured;")
	}
	steal := "unknown"
	if c.Floor.StealFraction >= 0 {
		steal = fmt.Sprintf("%.1f%%", 100*c.Floor.StealFraction)
	}
	fmt.Fprintf(w, " timer slack %s; steal %s\n", results.FormatValue(float64(c.Floor.TimerSlackNs), "ns"), steal)
	tw := tabwriter.NewWriter(w, 2, 8, 2, ' ', 0)
	fmt.Fprintln(tw, "instrument\tmeasured\treference\tvalue\terror\ttolerance\tn\tresult")
	for _, k := range c.Checks {
		vals, errText, tol, res := k.Cells()
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%d\t%s\n", k.Instrument, k.Name, k.Reference, vals, errText, tol, k.N, res)
	}
	tw.Flush()
}
