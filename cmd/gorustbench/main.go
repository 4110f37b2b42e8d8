// Command gorustbench measures the performance claims of a Rust-vs-Go report with matched
// workloads in Go, Rust and C. It is a thin layer over the packages under bench/.
package main

import (
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strings"

	"github.com/spf13/cobra"
)

// exitError carries a process exit status with its one-line message.
type exitError struct {
	code int
	msg  string
}

func (e *exitError) Error() string { return e.msg }

func main() { os.Exit(cli(os.Stdout, os.Stderr, os.Args[1:])) }

// cli runs the command line args, writing to stdout and stderr, and returns the exit status:
// 0 done, 1 failed (one line on stderr saying what and what to do), 2 a bad command line,
// 130 interrupted.
func cli(stdout, stderr io.Writer, args []string) int {
	if args == nil {
		args = []string{} // cobra reads os.Args when given nil
	}
	root := rootCmd()
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SetArgs(args)
	err := root.Execute()
	if err == nil {
		return 0
	}
	code := 1
	var ee *exitError
	var ue usageError
	switch {
	case errors.As(err, &ee):
		code = ee.code
	case errors.As(err, &ue):
		code = 2
	}
	if err.Error() != "" {
		fmt.Fprintf(stderr, "gorustbench: %v\n", err)
	}
	return code
}

func rootCmd() *cobra.Command {
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
		// Runnable, so that an unknown command reaches Args (a usage error) instead of help.
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return nil
			}
			hint := "see 'gorustbench --help'"
			if s := cmd.SuggestionsFor(args[0]); len(s) > 0 {
				hint = "did you mean " + strings.Join(s, " or ") + "?"
			}
			return usageError{fmt.Errorf("unknown command %q (%s)", args[0], hint)}
		},
		RunE: func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	root.SuggestionsMinimumDistance = 2
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	root.AddCommand(runCmd(), reportCmd(), claimsCmd(), doctorCmd(), buildCmd(), attackCmd(), versionCmd())
	root.AddCommand(compareCmd(), gateCmd(), exportCmd(), calibrateCmd())
	return root
}

// usageError is a bad command line: exit status 2.
type usageError struct{ error }

// oneFolder accepts exactly one results folder.
func oneFolder(cmd *cobra.Command, a []string) error {
	if len(a) != 1 {
		return usageError{fmt.Errorf("%s takes one results folder, e.g. results/latest (got %d arguments)", cmd.Name(), len(a))}
	}
	return nil
}

// args makes a cobra argument check's complaint a usage error.
func args(check cobra.PositionalArgs) cobra.PositionalArgs {
	return func(cmd *cobra.Command, a []string) error {
		if err := check(cmd, a); err != nil {
			return usageError{err}
		}
		return nil
	}
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
