package peerkit

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestSharedResultLines prints the result line of every Go case of the shared table
// (bench/peer/testdata/result-lines.txt), which the Rust and C kits and the harness's
// validator read too, and compares it byte for byte.
func TestSharedResultLines(t *testing.T) {
	f, err := os.Open("../../bench/peer/testdata/result-lines.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	n := 0
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		c := strings.Split(sc.Text(), "\t")
		if strings.HasPrefix(c[0], "#") || len(c) != 14 || c[1] != "go" {
			continue
		}
		num := func(i int) int64 {
			if c[i] == "-" {
				return -1
			}
			v, err := strconv.ParseInt(c[i], 10, 64)
			if err != nil {
				t.Fatalf("column %d: %v", i, err)
			}
			return v
		}
		seed, _ := strconv.ParseUint(c[6], 10, 64)
		p := Params{Size: num(3), Iters: num(4), Threads: num(5), Seed: seed, Variant: c[2], Workers: num(7), Capacity: num(8)}
		g := goFacts{gomaxprocs: int(p.Threads), cycles: 1, pauses: 2, pauseTotal: 30000, pauseP50: 16383, pauseP99: 16383, pauseMax: 16383}
		got := string(ResultLine(c[0], &p, num(9), time.Duration(num(10)), c[11], num(12), nil, &g))
		if got != c[13]+"\n" {
			t.Errorf("%s %s:\n got %s\nwant %s", c[0], c[2], got, c[13])
		}
		n++
	}
	if n == 0 {
		t.Fatal("no Go case in the shared table")
	}
}
