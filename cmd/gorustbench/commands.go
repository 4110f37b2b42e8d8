package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"syscall"
	"text/tabwriter"

	"github.com/gorustbench/gorustbench/bench/build"
	"github.com/gorustbench/gorustbench/bench/claims"
	"github.com/gorustbench/gorustbench/bench/doctor"
	"github.com/gorustbench/gorustbench/bench/report"
	"github.com/gorustbench/gorustbench/bench/suite"
	"github.com/gorustbench/gorustbench/bench/units"
	"github.com/spf13/cobra"
)

func reportCmd() *cobra.Command {
	var o report.Options
	cmd := &cobra.Command{
		Use:   "report <results-folder>",
		Short: "Write report.md, report.html, charts/ and verdicts.json for a run",
		Long: `report reads a run folder (manifest.json and samples.bench), judges every claim of the
report on its numbers, and writes report.md (verdicts citing the numbers, the machine and
the number of samples; every case with its state and medians; the build), report.html (one
self-contained page: the verdicts, then each claim with its chart and numbers), charts/ and
verdicts.json into the same folder. It reads the stored samples only, so the same run gives
the same bytes. It works on interrupted runs too, with what they hold.`,
		Example: `  gorustbench report results/latest
  gorustbench report results/20261123-201500
  gorustbench report --format png --out figures results/latest   only the charts, as PNG`,
		Args: oneFolder,
		RunE: func(cmd *cobra.Command, args []string) error {
			if o.Format != "svg" && o.Format != "png" {
				return usageError{fmt.Errorf("--format %q: want svg or png", o.Format)}
			}
			path, err := report.Write(args[0], o)
			if err != nil {
				return err
			}
			fmt.Fprintln(cmd.OutOrStdout(), path)
			return nil
		},
	}
	cmd.Flags().StringVar(&o.Format, "format", "svg", "charts' file format: svg or png")
	cmd.Flags().StringVar(&o.Out, "out", "", "write only the charts, into this folder (nothing into the run folder)")
	return cmd
}

func claimsCmd() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "claims",
		Short: "List the report's claims, how each is measured, and the verdict rule",
		Long: `claims prints the registry: every measurable claim of the report (id, line in the report,
the original words, what they say, how gorustbench measures it, the rule that makes a verdict,
and whether this version can measure it yet), then the claims no benchmark can judge, with why.`,
		Example: `  gorustbench claims
  gorustbench claims --json | jq '.measurable[].id'`,
		Args: args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			out := cmd.OutOrStdout()
			if asJSON {
				type row struct {
					*claims.Claim
					Rule       string   `json:"rule"` // with the thresholds and pairings it judges by
					Workloads  []string `json:"workloads"`
					Measurable bool     `json:"measurable_now"`
					Pending    string   `json:"pending,omitempty"`
				}
				var rows []row
				for _, c := range claims.Registry {
					rows = append(rows, row{c, c.RuleText(), c.Workloads(), c.Measurable(), c.Pending()})
				}
				enc := json.NewEncoder(out)
				enc.SetIndent("", "  ")
				return enc.Encode(map[string]any{"measurable": rows, "unmeasurable": claims.Unmeasurable})
			}
			tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tLINES\tSTATEMENT\tNOW")
			for _, c := range claims.Registry {
				now := "measured"
				if !c.Measurable() {
					now = "not yet: " + c.Pending()
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", c.ID, c.Lines, c.Statement, now)
			}
			tw.Flush()
			fmt.Fprintf(out, "\nNot measurable by any benchmark (%d):\n", len(claims.Unmeasurable))
			for _, u := range claims.Unmeasurable {
				fmt.Fprintf(out, "  %s (line %s): %s — %s\n", u.Topic, u.Lines, u.Statement, u.Reason)
			}
			fmt.Fprintln(out, "\n'gorustbench claims --json' adds the original quotes, what measures each claim, and its verdict rule.")
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

func doctorCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "doctor",
		Short: "Check that this machine can build and measure the peers",
		Long: `doctor checks the toolchains (go, cargo, rustc, cc, make, strip), the C libraries (OpenBLAS),
the CPUs and frequency governor, whether peers can be pinned to CPUs, whether hardware
performance counters work, and whether the page cache can be dropped (for cold starts).
It exits 1 listing exactly what is missing and how to get it; optional capabilities that are
unavailable are reported, with what they cost the measurements, but do not fail it.`,
		Example: `  gorustbench doctor`,
		Args:    args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			checks := doctor.Run()
			doctor.Print(cmd.OutOrStdout(), checks)
			if missing := doctor.Missing(checks); len(missing) > 0 {
				return &exitError{1, "missing: " + strings.Join(missing, ", ") + " (run scripts/setup.sh, or see above)"}
			}
			return nil
		},
	}
}

func buildCmd() *cobra.Command {
	var root, packTo string
	var only []string
	var noClean, native, packOnly bool
	cmd := &cobra.Command{
		Use:   "build",
		Short: "Build every Go, Rust and C peer, timing clean builds and measuring binaries",
		Long: `build builds the peers of all three languages (go build; cargo build --release --locked;
make -C cpeers) and records, in results/build.json, each language's clean build time, its
rebuild time after one file of the shared peer kit changed, and every binary's size as built
and stripped and whether it is static. 'gorustbench run' copies the record into the run: it
answers the compile-speed and binary-size claims.

"Clean" is the project and its third-party dependencies compiled from nothing, with the
standard library already compiled (Go's is compiled into a fresh cache first, untimed, because
Rust and C ship theirs prebuilt). No tracked file is modified. --no-clean builds
incrementally and records sizes only. --native builds the native variant beside the default
one (results/build-native.json); 'gorustbench run --native' runs it. --only restricts an
incremental build to some workloads' peers: 'make peers' builds the CPU kernels' native
variant that way, which the kernels' cases run beside the ordinary one.`,
		Example: `  gorustbench build            # what 'make peers' runs first
  gorustbench build --no-clean # quick incremental rebuild while developing a peer
  gorustbench build --native --no-clean --only nbody,spectralnorm,fannkuch,mandelbrot,binarytrees`,
		Args: args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if packOnly {
				return writePack(cmd, root, packTo)
			}
			ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			if len(only) > 0 && !noClean {
				return usageError{fmt.Errorf("--only builds incrementally: add --no-clean (clean build times are of every peer)")}
			}
			for _, w := range only {
				if suite.Lookup(w) == nil && w != "jsonv2" {
					return usageError{fmt.Errorf("--only: unknown workload %q (have %s)", w, strings.Join(suite.Names(), ", "))}
				}
			}
			b, err := build.Build(ctx, build.Options{Root: root, Clean: !noClean, Native: native, Only: only, Log: cmd.ErrOrStderr()})
			if b != nil {
				for _, l := range b.Languages {
					if l.CleanNs > 0 {
						fmt.Fprintf(cmd.OutOrStdout(), "%-5s clean %s, one file changed %s\n", l.Lang, units.Duration(float64(l.CleanNs)), units.Duration(float64(l.RebuildNs)))
					}
				}
				fmt.Fprintf(cmd.OutOrStdout(), "%d binaries recorded in %s\n", len(b.Binaries), build.RecordFile(native))
			}
			if err != nil {
				return fmt.Errorf("build failed: %v", err)
			}
			if packTo != "" {
				return writePack(cmd, root, packTo)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&packTo, "pack", "", "then write every built peer (the default and the native build, whichever are recorded), with a manifest (toolchains, flags, CPU features, libraries, hashes), into one archive (a .tar.gz path or a folder), and copy this harness beside it")
	cmd.Flags().BoolVar(&packOnly, "pack-only", false, "with --pack: pack what is built, without building")
	cmd.Flags().StringVar(&root, "root", ".", "repository root")
	cmd.Flags().BoolVar(&noClean, "no-clean", false, "build incrementally; do not time clean builds")
	cmd.Flags().StringSliceVar(&only, "only", nil, "with --no-clean: build only these workloads' peers (comma-separated)")
	cmd.Flags().BoolVar(&native, "native", false, "build the native variant: C -O3 -march=native (cpeers/bin-native), Rust target-cpu=native (rustpeers/target/native), Go GOAMD64=v3 (workloads/bin-native)")
	return cmd
}

func versionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print gorustbench's version and the Go it was built with",
		Args:  args(cobra.NoArgs),
		Run: func(cmd *cobra.Command, _ []string) {
			version, rev := "devel", ""
			if bi, ok := debug.ReadBuildInfo(); ok {
				if bi.Main.Version != "" && bi.Main.Version != "(devel)" {
					version = bi.Main.Version
				}
				for _, s := range bi.Settings {
					if s.Key == "vcs.revision" && len(s.Value) >= 12 {
						rev = " " + s.Value[:12]
					}
				}
				fmt.Fprintf(cmd.OutOrStdout(), "gorustbench %s%s (%s)\n", version, rev, bi.GoVersion)
				return
			}
			fmt.Fprintf(cmd.OutOrStdout(), "gorustbench %s\n", version)
		},
	}
}
