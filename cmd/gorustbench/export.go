package main

import (
	"fmt"

	"github.com/gorustbench/gorustbench/bench/metrics"
	"github.com/gorustbench/gorustbench/bench/results"
	"github.com/spf13/cobra"
)

func exportCmd() *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "export --format prom <results-folder>",
		Short: "Write a stored run as a Prometheus textfile (node_exporter's textfile collector)",
		Long: `export prints a stored run in the Prometheus text format, in base units with one family
per unit: for every benchmark and metric the median, its 95% interval and the number of samples
(gorustbench_result_median_seconds, _bytes, _ratio, ...; gorustbench_result_samples), labelled
by workload, impl, lang, build, size, threads (every part of the benchmark name), metric,
machine and run_id; each claim's verdict (gorustbench_claim_verdict); the run's state and cases;
gorustbench_run_info naming the commit and the prebuilt pack, and gorustbench_machine_info the
CPU, cores and kernel. Write it into node_exporter's --collector.textfile.directory (as a .prom
file, renamed into place) and every run of a fleet lands in one Prometheus (docs/fleet.md).`,
		Example: `  gorustbench export --format prom results/latest > /var/lib/node_exporter/gorustbench.prom.tmp &&
    mv /var/lib/node_exporter/gorustbench.prom.tmp /var/lib/node_exporter/gorustbench.prom`,
		Args: oneFolder,
		RunE: func(cmd *cobra.Command, a []string) error {
			if format != "prom" {
				return usageError{fmt.Errorf("--format %q: only prom is supported", format)}
			}
			run, err := results.Load(a[0])
			if err != nil {
				return &exitError{2, err.Error()}
			}
			out, err := metrics.Export(run)
			if err != nil {
				return err
			}
			fmt.Fprintln(cmd.OutOrStdout(), string(out))
			return nil
		},
	}
	cmd.Flags().StringVar(&format, "format", "prom", "output format: prom")
	return cmd
}
