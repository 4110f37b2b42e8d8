package main

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/gorustbench/gorustbench/bench/compare"
	"github.com/gorustbench/gorustbench/bench/gate"
	"github.com/gorustbench/gorustbench/bench/results"
	"github.com/spf13/cobra"
)

func compareCmd() *cobra.Command {
	var format, filter, charts string
	var alpha float64
	var noVerdicts bool
	cmd := &cobra.Command{
		Use:   "compare RUN_A RUN_B [RUN...]",
		Short: "Compare runs side by side: medians, intervals, changes with their significance, verdicts",
		Long: `compare reads two or more run folders (machines, or commits) and prints, for every
benchmark and unit, each run's median with its 95% interval and each run's change against the
first with its significance (Mann-Whitney U, as benchstat; units whose Unit line says
assume=exact, such as binary sizes, are compared exactly). Columns are labelled by what
differs between the runs: the machine (CPU model and cores), else the commit, else the run id.
Then every claim's verdict on each run, side by side; claims whose verdicts differ come first.
--format html writes one self-contained page (nothing fetched from the network): the verdicts
and each claim's headline figure side by side, each run's overview chart, and every row.

Several runs of the same build can be pooled into one column with '+': A1+A2 B1+B2.`,
		Example: `  gorustbench compare results/laptop results/server
  gorustbench compare --format md base-run cand-run > compare.md
  gorustbench compare --filter '/impl:(go-std OR rust-hyper)' a b
  gorustbench compare --format csv a b c > all.csv
  gorustbench compare --format html laptop server > compare.html
  gorustbench compare --charts compare-charts a b`,
		Args: func(cmd *cobra.Command, a []string) error {
			if len(a) < 2 {
				return usageError{fmt.Errorf("compare takes two or more results folders, e.g. results/base results/head (got %d)", len(a))}
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, a []string) error {
			if format != "text" && format != "md" && format != "csv" && format != "html" {
				return usageError{fmt.Errorf("--format %q: use text, md, csv or html", format)}
			}
			var runs []*results.Run
			for _, arg := range a {
				r, err := gate.Load(strings.Split(arg, "+"))
				if err != nil {
					return &exitError{2, strings.TrimPrefix(err.Error(), gate.ErrInput.Error()+": ")}
				}
				runs = append(runs, r)
			}
			var cols []compare.Column
			for i, l := range compare.Label(runs) {
				cols = append(cols, compare.Column{Label: l, Run: runs[i]})
			}
			t, err := compare.Build(cols, compare.Options{Filter: filter, Alpha: alpha})
			if err != nil {
				return &exitError{2, err.Error()}
			}
			out := cmd.OutOrStdout()
			if charts != "" {
				files, err := compare.Charts(charts, t, nil)
				if err != nil {
					return err
				}
				fmt.Fprintf(cmd.ErrOrStderr(), "%d charts in %s\n", len(files), charts)
			}
			switch format {
			case "csv":
				return compare.CSV(out, t)
			case "html":
				var judged []compare.Judged
				if !noVerdicts {
					if judged, err = compare.JudgeColumns(t); err != nil {
						return err
					}
				}
				return compare.HTML(out, t, judged)
			case "md":
				err = compare.Markdown(out, t)
			default:
				err = compare.Text(out, t)
			}
			if err != nil || noVerdicts {
				return err
			}
			v, err := compare.Verdicts(t)
			if err != nil {
				return err
			}
			return compare.VerdictsText(out, t, v, format == "md")
		},
	}
	f := cmd.Flags()
	f.StringVar(&format, "format", "text", "text, md (Markdown), csv, or html (one self-contained page with each run's overview chart)")
	f.StringVar(&filter, "filter", "", "benchproc filter on benchmarks and units, e.g. '/impl:go-std' or '.unit:exec-ns'")
	f.Float64Var(&alpha, "alpha", 0.05, "significance level of the U test")
	f.BoolVar(&noVerdicts, "no-verdicts", false, "omit the claims' verdicts")
	f.StringVar(&charts, "charts", "", "also draw charts (PNG, one per workload and metric, runs side by side) into this folder")
	return cmd
}

func gateCmd() *cobra.Command {
	var baseline, candidate, metrics []string
	var threshold, filter, summaryPath string
	var alpha float64
	var calibrate bool
	var cal calibration
	cmd := &cobra.Command{
		Use:   "gate --baseline RUN --candidate RUN",
		Short: "Fail (exit 1) when the candidate run regressed against the baseline",
		Long: `gate compares a candidate with a baseline and exits 1 when the candidate is broken or
regressed, 2 when it cannot judge, 0 otherwise.

Broken is worse than slow: a case the baseline ran ok that the candidate lacks, or that failed,
hung or was skipped there, fails the gate by name. A run that did not finish (interrupted, or
its harness killed), a truncated samples.bench, or a manifest that counts other samples is
exit 2 with the reason.

Give --baseline and --candidate once per round. When the runs came in interleaved rounds
(base, head, base, head, ...: examples/ci), each metric is compared round by round: the
per-round ratio of medians, with Student's t interval over the rounds. Otherwise the samples
are pooled (Mann-Whitney U) with a warning. Either way the control, the C hello's exec time (a
fixed C peer every profile runs), tells the machine from the code: when it moved beyond its
noise and the other cases' times moved with it, the machine changed, and gate exits 2.

Gated by default: each workload's primary metrics (exec-ns, ns/op, peak-RSS-B) and exact sizes;
--metric adds units (never sys-ns or GC counters unless named). A metric regresses when it is
worse with significance, the false discovery rate held at --alpha across all gated metrics
(Benjamini-Hochberg), and its whole interval lies beyond --threshold. A baseline of 0 is not a
percentage: not gated. A bimodal metric is "unstable, not gated", with the remedy. A changed
checksum is a regression whatever the threshold.

It prints a Markdown summary fit for a pull-request comment (and writes it to --summary).
'gorustbench gate --calibrate' measures the gate's own error rates on this machine.`,
		Example: `  gorustbench gate --baseline results/base --candidate results/cand
  gorustbench gate --baseline b1 --candidate c1 --baseline b2 --candidate c2 --threshold 10%
  gorustbench gate --baseline b --candidate c --metric user-ns --summary gate.md
  gorustbench gate --calibrate --rounds 6 --repeat 10`,
		Args: args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			th, err := parsePercent(threshold)
			if err != nil {
				return usageError{err}
			}
			if alpha <= 0 || alpha >= 1 {
				return usageError{fmt.Errorf("--alpha %g: must be between 0 and 1", alpha)}
			}
			o := gate.Options{Threshold: th, Alpha: alpha, Metrics: metrics, Filter: filter}
			if calibrate {
				if len(baseline)+len(candidate) > 0 {
					return usageError{errors.New("--calibrate makes its own runs: give no --baseline or --candidate")}
				}
				if cal.rounds < 2 || cal.repeat < 1 || cal.aa < 0 || cal.injected < 0 || cal.hog < 0 {
					return usageError{errors.New("--calibrate needs --rounds 2 or more, --repeat 1 or more, and counts of gates that are not negative")}
				}
				return cal.run(cmd.OutOrStdout(), o)
			}
			if len(baseline) == 0 || len(candidate) == 0 {
				return usageError{errors.New("gate needs --baseline and --candidate run folders")}
			}
			bRounds, err := gate.Rounds(baseline)
			if err != nil {
				return &exitError{2, "baseline: " + strings.TrimPrefix(err.Error(), gate.ErrInput.Error()+": ")}
			}
			cRounds, err := gate.Rounds(candidate)
			if err != nil {
				return &exitError{2, "candidate: " + strings.TrimPrefix(err.Error(), gate.ErrInput.Error()+": ")}
			}
			b, c := compare.Merge(bRounds), compare.Merge(cRounds)
			res, err := gate.Judge(bRounds, cRounds, o)
			if err != nil {
				return &exitError{2, strings.TrimPrefix(err.Error(), gate.ErrInput.Error()+": ")}
			}
			var md strings.Builder
			gate.Markdown(&md, res, b, c, o)
			fmt.Fprint(cmd.OutOrStdout(), md.String())
			if summaryPath != "" {
				if err := os.WriteFile(summaryPath, []byte(md.String()), 0o644); err != nil {
					return err
				}
			}
			switch {
			case len(res.Broken) > 0:
				return &exitError{1, fmt.Sprintf("broken in the candidate: %s", strings.Join(res.Broken, "; "))}
			case res.Machine != "":
				return &exitError{2, res.Machine}
			case res.Failed:
				return &exitError{1, "regression: see the summary above"}
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringSliceVar(&baseline, "baseline", nil, "baseline run folder (once per round)")
	f.StringSliceVar(&candidate, "candidate", nil, "candidate run folder (once per round)")
	f.StringVar(&threshold, "threshold", "5%", "a change smaller than this is never a regression")
	f.Float64Var(&alpha, "alpha", 0.05, "false discovery rate across the gated metrics (Benjamini-Hochberg)")
	f.StringSliceVar(&metrics, "metric", nil, "units to gate besides exec-ns, ns/op, peak-RSS-B and exact sizes, e.g. user-ns")
	f.StringVar(&filter, "filter", "", "benchproc filter on benchmarks, e.g. '/impl:go-std'")
	f.StringVar(&summaryPath, "summary", "", "also write the Markdown summary to this file")
	f.BoolVar(&calibrate, "calibrate", false, "measure the gate's error rates on this machine: A/A gates, an injected known regression, A/A beside a CPU hog")
	cal.flags(f)
	return cmd
}

// parsePercent reads "5%", "5" (percent) or "0.05%".
func parsePercent(s string) (float64, error) {
	var v float64
	if _, err := fmt.Sscanf(strings.TrimSuffix(strings.TrimSpace(s), "%"), "%g", &v); err != nil || v < 0 {
		return 0, fmt.Errorf("--threshold %q: give a percentage such as 5%%", s)
	}
	return v / 100, nil
}
