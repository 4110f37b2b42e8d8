package main

import (
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/gorustbench/gorustbench/bench/peer"
)

// TestMain lets the tests run this package's main as a peer: the test binary re-executes
// itself with FOOTPRINT_PEER=1.
func TestMain(m *testing.M) {
	if os.Getenv("FOOTPRINT_PEER") == "1" {
		os.Args = append([]string{"footprint"}, os.Args[1:]...)
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func runPeer(t *testing.T, args ...string) (stdout, stderr string, code int) {
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), "FOOTPRINT_PEER=1")
	var out, errb strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return out.String(), errb.String(), code
}

// A small run validates, counts every task, and reports its measurements in extra.
func TestProtocol(t *testing.T) {
	out, errs, code := runPeer(t, "--size", "2000", "--threads", "2")
	if code != 0 || errs != "" {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
	r, err := peer.ParseResult([]byte(out), peer.Expect{Workload: "footprint", Lang: "go", Variant: "goroutine",
		Params: peer.Params{Size: 2000, Iters: 1, Threads: 2, Seed: 1}})
	if err != nil {
		t.Fatal(err)
	}
	// FNV-1a 64 of "2000", the number of tasks that parked.
	if r.Checksum != "183e2e0b358bfc77" || r.Ops != 2000 {
		t.Errorf("%+v", r)
	}
	for _, k := range []string{"rss_before_kib", "rss_parked_kib", "spawn_ns", "park_ns", "join_ns", "go_stacks_before_bytes", "go_stacks_parked_bytes"} {
		if _, ok := r.Extra[k]; !ok {
			t.Errorf("extra lacks %s: %v", k, r.Extra)
		}
	}
	if r.Extra["rss_before_kib"] == 0 || r.Extra["go_stacks_parked_bytes"] <= r.Extra["go_stacks_before_bytes"] {
		t.Errorf("implausible extra %v", r.Extra)
	}
}

// Bad command lines and sizes the machine cannot hold: exit 2, one line, nothing on stdout.
func TestRefusals(t *testing.T) {
	for _, args := range [][]string{
		{"--size", "0"},
		{"--iters", "2"},
		{"--size", "1000000000000"}, // 16 PiB reserved: refused with MemAvailable named
		{"--variant", "tokio"},
		{"--workers"},
	} {
		out, errs, code := runPeer(t, args...)
		if code != 2 || out != "" || !strings.HasPrefix(errs, "footprint: ") || strings.Count(errs, "\n") != 1 {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", args, code, out, errs)
		}
	}
}
