package main

import (
	"bufio"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"github.com/gorustbench/gorustbench/bench/peer"
)

// TestMain lets the tests run this package's main as a peer: the test binary re-executes
// itself with FANOUT_PEER=1.
func TestMain(m *testing.M) {
	if os.Getenv("FANOUT_PEER") == "1" {
		os.Args = append([]string{"fanout"}, os.Args[1:]...)
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

type row struct {
	size, seed uint64
	checksum   string
}

// table reads the expected checksums shared with the Rust and C tests.
func table(t *testing.T) []row {
	f, err := os.Open("checksums.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var rows []row
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) == 0 || strings.HasPrefix(fields[0], "#") {
			continue
		}
		size, err1 := strconv.ParseUint(fields[0], 10, 64)
		seed, err2 := strconv.ParseUint(fields[1], 10, 64)
		if err1 != nil || err2 != nil || len(fields) != 3 {
			t.Fatalf("bad line %q", sc.Text())
		}
		rows = append(rows, row{size, seed, fields[2]})
	}
	if len(rows) == 0 {
		t.Fatal("empty table")
	}
	return rows
}

// Both variants, at every shape, give the table's checksum.
func TestChecksumsMatchTable(t *testing.T) {
	for _, r := range table(t) {
		for _, k := range []int{1, 3, 64} {
			for _, b := range []int{0, 1, 7} {
				if got := checksum(fanoutChan(r.size, r.seed, k, b)); got != r.checksum {
					t.Errorf("chan m=%d seed=%d k=%d b=%d: %s, want %s", r.size, r.seed, k, b, got, r.checksum)
				}
				if b == 0 {
					continue
				}
				if got := checksum(fanoutMutex(r.size, r.seed, k, b)); got != r.checksum {
					t.Errorf("mutex m=%d seed=%d k=%d b=%d: %s, want %s", r.size, r.seed, k, b, got, r.checksum)
				}
			}
		}
	}
}

func runPeer(t *testing.T, args ...string) (stdout, stderr string, code int) {
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), "FANOUT_PEER=1")
	var out, errb strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code = 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return out.String(), errb.String(), code
}

// The peer's result line passes the harness's validator, params echoed with workers and capacity.
func TestProtocol(t *testing.T) {
	r := table(t)[1]
	for _, v := range []string{"chan", "mutex"} {
		out, errs, code := runPeer(t, "--variant", v, "--size", strconv.FormatUint(r.size, 10),
			"--seed", "1", "--workers", "3", "--capacity", "2", "--threads", "2", "--iters", "2", "--hiccup")
		if code != 0 || errs != "" {
			t.Fatalf("%s: exit %d, stderr %q", v, code, errs)
		}
		res, err := peer.ParseResult([]byte(out), peer.Expect{Workload: "fanout", Lang: "go", Variant: v, Hiccup: true,
			Params: peer.Params{Size: int64(r.size), Iters: 2, Threads: 2, Seed: 1, Workers: 3, Capacity: 2}})
		if err != nil {
			t.Fatal(err)
		}
		if res.Checksum != r.checksum || res.Ops != 2*int64(r.size) || res.Go.GOMAXPROCS != 2 {
			t.Errorf("%s: %+v", v, res)
		}
	}
}

// Bad command lines and refused shapes: exit 2, one line on stderr, nothing on stdout.
func TestRefusals(t *testing.T) {
	for _, args := range [][]string{
		{"--workers", "-1"},
		{"--workers", "0"},
		{"--capacity", "x"},
		{"--variant", "mutex", "--capacity", "0"},
		{"--size", "0"},
		{"--variant", "crossbeam"},
		{"--bogus"},
	} {
		out, errs, code := runPeer(t, args...)
		if code != 2 || out != "" || !strings.HasPrefix(errs, "fanout: ") || strings.Count(errs, "\n") != 1 {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", args, code, out, errs)
		}
	}
}
