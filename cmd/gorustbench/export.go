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
		Long: `export prints a stored run in the Prometheus text format: for every benchmark and metric
the median, its 95% interval and the number of samples (gorustbench_result_*), labelled by
benchmark, workload, impl, metric, machine and run_id, and gorustbench_machine_info joining the
machine to its CPU, cores and kernel. Write it into node_exporter's --collector.textfile.directory
(as a .prom file, renamed into place) and every run of a fleet lands in one Prometheus.`,
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
