// Package kerneltest is what the CPU kernels' Go tests share: the expected checksums in
// workloads/testdata/kernels.txt and a protocol check of the built peer.
package kerneltest

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/gorustbench/gorustbench/workloads/peerkit"
)

// Case is one line of the table: the checksum of `workload` at `--size Size`.
type Case struct {
	Size     string
	Checksum string
}

// Table reads the expected checksums of workload; the test runs in workloads/<name>.
func Table(t *testing.T, workload string) []Case {
	t.Helper()
	f, err := os.Open(filepath.Join("..", "testdata", "kernels.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var cases []Case
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) == 3 && fields[0] == workload {
			cases = append(cases, Case{fields[1], fields[2]})
		}
	}
	if err := sc.Err(); err != nil || len(cases) == 0 {
		t.Fatalf("no cases for %s in kernels.txt (%v)", workload, err)
	}
	return cases
}

// Peer builds the peer in the current directory and checks it: every table size, with 1 and 3
// threads, gives the table's checksum on a valid result line; bad command lines exit 2 with
// one line on stderr.
func Peer(t *testing.T, workload string) {
	bin := filepath.Join(t.TempDir(), workload)
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	for _, c := range Table(t, workload) {
		for _, threads := range []string{"1", "3"} {
			args := []string{"--size", c.Size, "--threads=" + threads, "--iters", "2", "--seed", "9"}
			cmd := exec.Command(bin, args...)
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			out, err := cmd.Output()
			if err != nil || stderr.Len() != 0 {
				t.Fatalf("%v: %v, stderr %q", args, err, stderr.String())
			}
			lines := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
			var r struct {
				Protocol  int               `json:"protocol"`
				Workload  string            `json:"workload"`
				Lang      string            `json:"lang"`
				Variant   string            `json:"variant"`
				Params    map[string]uint64 `json:"params"`
				Ops       int64             `json:"ops"`
				ElapsedNs *int64            `json:"elapsed_ns"`
				Checksum  string            `json:"checksum"`
				VmHWMKiB  int64             `json:"vmhwm_kib"`
				Go        map[string]uint64 `json:"go"`
			}
			if len(lines) != 1 || !strings.HasSuffix(string(out), "\n") {
				t.Fatalf("%v: stdout is not exactly one result line: %q", args, out)
			}
			if err := json.Unmarshal([]byte(lines[0]), &r); err != nil {
				t.Fatalf("%v: %v in %s", args, err, lines[0])
			}
			want := map[string]uint64{"size": 0, "iters": 2, "threads": 1, "seed": 9}
			for _, kv := range [][2]string{{"size", c.Size}, {"threads", threads}} {
				var v uint64
				for _, d := range kv[1] {
					v = v*10 + uint64(d-'0')
				}
				want[kv[0]] = v
			}
			ok := r.Protocol == 1 && r.Workload == workload && r.Lang == "go" && r.Variant == "std" &&
				r.Ops == 2 && r.ElapsedNs != nil && r.VmHWMKiB > 0 && r.Go != nil && len(r.Params) == 4
			for k, v := range want {
				ok = ok && r.Params[k] == v
			}
			if !ok {
				t.Fatalf("%v: bad result line %s", args, lines[0])
			}
			if r.Checksum != c.Checksum {
				t.Errorf("%s --size %s --threads %s: checksum %s, want %s", workload, c.Size, threads, r.Checksum, c.Checksum)
			}
		}
	}
	for _, args := range [][]string{{"--bogus", "1"}, {"--size"}, {"--size", "0"}, {"--size", "x"},
		{"--threads", "0"}, {"--variant", "simd"}, {"--iters=0"}} {
		cmd := exec.Command(bin, args...)
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		ee, isExit := err.(*exec.ExitError)
		if !isExit || ee.ExitCode() != 2 || stdout.Len() != 0 ||
			strings.Count(stderr.String(), "\n") != 1 || !strings.HasPrefix(stderr.String(), workload+": ") {
			t.Errorf("%v: %v, stdout %q, stderr %q; want exit 2 and one line", args, err, stdout.String(), stderr.String())
		}
	}
}

// Checksums checks that the kernel's program gives the table's checksum for every size in the
// table, with each of the given goroutine counts.
func Checksums(t *testing.T, workload string, run func(n, threads int) []byte, threadCounts ...int) {
	t.Helper()
	for _, c := range Table(t, workload) {
		size, err := strconv.Atoi(c.Size)
		if err != nil {
			t.Fatalf("size %q: %v", c.Size, err)
		}
		for _, threads := range threadCounts {
			if got := peerkit.FNV1a64(run(size, threads)); got != c.Checksum {
				t.Errorf("size %d threads %d: %s, want %s", size, threads, got, c.Checksum)
			}
		}
	}
}
