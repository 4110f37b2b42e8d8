package peer

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"testing"
)

// TestSharedResultLines validates every line of the table the Go, Rust and C kits print
// (testdata/result-lines.txt) against what the harness would expect of that case.
func TestSharedResultLines(t *testing.T) {
	f, err := os.Open("testdata/result-lines.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	langs := map[string]bool{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		c := strings.Split(sc.Text(), "\t")
		if strings.HasPrefix(c[0], "#") {
			continue
		}
		if len(c) != 14 {
			t.Fatalf("a line with %d columns: %q", len(c), sc.Text())
		}
		num := func(i int) int64 {
			if c[i] == "-" {
				return 0
			}
			v, _ := strconv.ParseInt(c[i], 10, 64)
			return v
		}
		seed, _ := strconv.ParseUint(c[6], 10, 64)
		want := Expect{Workload: c[0], Lang: c[1], Variant: c[2], Params: Params{Size: num(3), Iters: num(4), Threads: num(5), Seed: seed, Workers: num(7), Capacity: num(8)}}
		r, err := ParseResult([]byte(c[13]+"\n"), want)
		if err != nil {
			t.Errorf("%s %s %s: %v", c[0], c[1], c[2], err)
			continue
		}
		if r.Ops != num(9) || r.ElapsedNs != num(10) || r.Checksum != c[11] || r.VmHWMKiB != num(12) {
			t.Errorf("%s %s: parsed %+v", c[0], c[1], r)
		}
		langs[c[1]] = true
	}
	if len(langs) != 3 {
		t.Errorf("the table must have cases of all three kits, has %v", langs)
	}
}
