// Command gorustbench measures the performance claims of a Rust-vs-Go report with matched
// workloads in Go, Rust and C. It is a thin layer over the packages under bench/.
package main

import (
	"errors"
	"fmt"
	"net"
	"os"

	"github.com/spf13/cobra"
)

// exitError carries a process exit status with its one-line message.
type exitError struct {
	code int
	msg  string
}

func (e *exitError) Error() string { return e.msg }

func main() {
	root := &cobra.Command{
		Use:   "gorustbench",
		Short: "Check a Rust-vs-Go report's performance claims on this machine",
		Long: `gorustbench runs the same workloads written in Go, Rust and C, measures every
implementation from outside as a process (start-up, CPU, memory, GC pauses), and judges the
report's performance claims against the numbers.

Typical use:
  make bench                          build every peer, run the quick profile, write a report
  gorustbench run --profile smoke     a fast end-to-end check
  gorustbench report results/latest   regenerate report.md for a run
  gorustbench claims                  what the report claims and how each claim is measured
  gorustbench doctor                  is this machine ready, and how noisy is it`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.AddCommand(runCmd(), reportCmd(), claimsCmd(), doctorCmd(), buildCmd(), attackCmd(), versionCmd())
	if err := root.Execute(); err != nil {
		code := 1
		var ee *exitError
		if errors.As(err, &ee) {
			code = ee.code
		} else if isUsageError(err) {
			code = 2
		}
		if err.Error() != "" {
			fmt.Fprintf(os.Stderr, "gorustbench: %v\n", err)
		}
		os.Exit(code)
	}
}

// isUsageError recognises cobra's own complaints about the command line.
func isUsageError(err error) bool {
	msg := err.Error()
	for _, p := range []string{"unknown command", "unknown flag", "unknown shorthand", "invalid argument", "accepts ", "requires ", "flag needs"} {
		if len(msg) >= len(p) && contains(msg, p) {
			return true
		}
	}
	return false
}

func contains(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return true
		}
	}
	return false
}

// requireLoopback refuses to send load anywhere but this machine.
func requireLoopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("--addr %q is not host:port", addr)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return fmt.Errorf("--addr %q is not a loopback address: gorustbench sends load to this machine only", addr)
	}
	return nil
}
