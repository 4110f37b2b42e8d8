package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/gorustbench/gorustbench/bench/loadgen"
	"github.com/spf13/cobra"
)

func attackCmd() *cobra.Command {
	var (
		cfg     loadgen.Config
		payload int
		get     bool
	)
	cmd := &cobra.Command{
		Use:   "attack",
		Short: "Send HTTP load at a server and print what it measured, as JSON",
		Long: `attack is the load generator the harness runs (pinned to CPUs apart from the server's).

With --rate it is an open loop, as wrk2: requests are due on a fixed schedule, each goes out
on an idle connection, and a request's latency counts from when it was due, so a stalled server
cannot hide the requests queued behind the stall (coordinated omission); the uncorrected
latency and the schedule lag are reported too. Requests due within --slack of one another go
out together, up to --slack early (an early one's latency counts from its send): fewer
wake-ups, about half the CPU per request at 10,000/s on a 2-vCPU VM; --slack 0 sends each
alone, at the cost of CPU and of the timer's own wake-up lag.
Without --rate it is a closed loop, as wrk: each connection sends its next request when the
previous answer arrives, for the maximum throughput.

It prints one JSON object: requests answered, errors, non-2xx answers, achieved rate, latency
percentiles (ns), its own CPU use (share and ns per request), and "bottleneck" when it, not
the server, may have limited the run (open loop: sends behind schedule, requests never sent,
rate not reached; closed loop: its CPU saturated). One goroutine drives every connection, as
wrk does; an answer is timed when it reached the socket (the kernel's receive timestamp), not
when the generator read it. It sends to loopback addresses only.`,
		Example: `  gorustbench attack --addr 127.0.0.1:8080 --conns 64 --duration 10s            # max throughput
  gorustbench attack --addr 127.0.0.1:8080 --rate 10000 --duration 10s --payload 1024
  taskset -c 0 gorustbench attack --addr 127.0.0.1:8080 --rate 5000 | jq .latency`,
		Args: args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if cfg.Addr == "" {
				return &exitError{2, "--addr is required: the server's loopback host:port, e.g. --addr 127.0.0.1:8080"}
			}
			if err := requireLoopback(cfg.Addr); err != nil {
				return &exitError{2, err.Error()}
			}
			switch {
			case cfg.Conns < 1:
				return &exitError{2, fmt.Sprintf("--conns %d: want at least 1", cfg.Conns)}
			case cfg.Rate < 0:
				return &exitError{2, fmt.Sprintf("--rate %v: want 0 (closed loop) or a positive rate", cfg.Rate)}
			case cfg.Duration <= 0 || cfg.Warmup < 0:
				return &exitError{2, fmt.Sprintf("--duration %v --warmup %v: want a positive duration and a warm-up of 0 or more", cfg.Duration, cfg.Warmup)}
			case cfg.Slack < 0 || cfg.Slack > 10*time.Millisecond:
				return &exitError{2, fmt.Sprintf("--slack %v: want 0 to 10ms (default %v)", cfg.Slack, loadgen.DefaultSlack)}
			}
			if !get {
				cfg.Payload = make([]byte, payload)
				for i := range cfg.Payload {
					cfg.Payload[i] = byte('a' + i%26)
				}
				cfg.ContentType = "application/octet-stream"
			}
			ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			res, err := loadgen.Run(ctx, cfg)
			if err != nil {
				return err
			}
			enc := json.NewEncoder(cmd.OutOrStdout())
			enc.SetIndent("", "  ")
			return enc.Encode(res)
		},
	}
	f := cmd.Flags()
	f.StringVar(&cfg.Addr, "addr", "", "server address, host:port (loopback; required)")
	f.StringVar(&cfg.Path, "path", "/echo", "request path")
	f.IntVar(&payload, "payload", 1024, "POST body size in bytes")
	f.BoolVar(&get, "get", false, "send GET without a body instead of POST")
	f.IntVar(&cfg.Conns, "conns", 16, "keep-alive connections")
	f.Float64Var(&cfg.Rate, "rate", 0, "requests per second over all connections (0: closed loop)")
	f.DurationVar(&cfg.Slack, "slack", loadgen.DefaultSlack, "open loop: requests due within this much of one another go out together (0: each alone)")
	f.DurationVar(&cfg.Warmup, "warmup", time.Second, "load sent before recording starts")
	f.DurationVar(&cfg.Duration, "duration", 5*time.Second, "recorded load")
	return cmd
}
