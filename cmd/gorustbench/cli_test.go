package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// baseline is the committed smoke run the gate and compare tests read.
const baseline = "../../results/baseline"

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// TestCLIGolden runs the command line in-process and compares its exit status, stdout and
// stderr with testdata/cli/<name>.golden. Run 'go test ./cmd/gorustbench -update' after a
// deliberate change, and read the diff.
func TestCLIGolden(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"help", []string{"--help"}},
		{"no-args", nil},
		{"run-help", []string{"run", "--help"}},
		{"report-help", []string{"report", "--help"}},
		{"claims", []string{"claims"}},
		{"unknown-command", []string{"rnu"}},
		{"unknown-flag", []string{"run", "--bogus"}},
		{"bad-profile", []string{"run", "--profile", "slow"}},
		{"bad-workload", []string{"run", "--workloads", "nope"}},
		{"report-no-folder", []string{"report"}},
		{"report-two-folders", []string{"report", "a", "b"}},
		{"claims-extra-arg", []string{"claims", "x"}},
		{"compare-one-run", []string{"compare", "a"}},
		{"compare-missing", []string{"compare", "nope-a", "nope-b"}},
		{"compare-bad-format", []string{"compare", "--format", "xls", "a", "b"}},
		{"compare-baseline-md", []string{"compare", "--format", "md", "--no-verdicts", "--filter", ".name:Hello", baseline, baseline}},
		{"gate-help", []string{"gate", "--help"}},
		{"gate-no-flags", []string{"gate"}},
		{"gate-calibrate-with-runs", []string{"gate", "--calibrate", "--baseline", baseline}},
		{"gate-calibrate-one-round", []string{"gate", "--calibrate", "--rounds", "1"}},
		{"gate-missing", []string{"gate", "--baseline", "nope", "--candidate", baseline}},
		{"gate-bad-threshold", []string{"gate", "--baseline", baseline, "--candidate", baseline, "--threshold", "lots"}},
		{"gate-unknown-metric", []string{"gate", "--baseline", baseline, "--candidate", baseline, "--metric", "furlongs"}},
		{"gate-same", []string{"gate", "--baseline", baseline, "--candidate", baseline}},
		{"export-bad-format", []string{"export", "--format", "json", baseline}},
		{"export-missing", []string{"export", "nope"}},
		{"attack-help", []string{"attack", "--help"}},
		{"attack-no-addr", []string{"attack"}},
		{"attack-not-loopback", []string{"attack", "--addr", "10.1.2.3:80"}},
		{"attack-bad-conns", []string{"attack", "--addr", "127.0.0.1:1", "--conns", "0"}},
		{"attack-bad-rate", []string{"attack", "--addr", "127.0.0.1:1", "--rate", "-5"}},
		{"attack-bad-slack", []string{"attack", "--addr", "127.0.0.1:1", "--slack", "20ms"}},
		{"calibrate-help", []string{"calibrate", "--help"}},
		{"calibrate-bad-mode", []string{"calibrate", "--mode", "long"}},
		{"calibrate-bad-only", []string{"calibrate", "--only", "startup-clock,thermometer"}},
		{"calibrate-bad-tolerance", []string{"calibrate", "--tolerance", "150%"}},
		{"run-bad-calibrate", []string{"run", "--calibrate", "sometimes"}},
		{"run-bad-peers", []string{"run", "--profile", "smoke", "--workloads", "hello", "--peers", "nope.tar.gz", "--out", "testdata/never"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := cli(&stdout, &stderr, tc.args)
			got := fmt.Sprintf("exit %d\n--- stdout\n%s--- stderr\n%s", code, stdout.String(), stderr.String())
			path := filepath.Join("testdata", "cli", tc.name+".golden")
			if *update {
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if got != string(want) {
				t.Errorf("%v: got\n%s\nwant\n%s", tc.args, got, want)
			}
		})
	}
}
