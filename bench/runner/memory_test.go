package runner

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/gorustbench/gorustbench/bench/peer"
	"github.com/gorustbench/gorustbench/bench/probe"
)

// buildC compiles one C peer from cpeers/ into a temporary folder.
func buildC(t *testing.T, name string) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), name)
	src := "../../cpeers/"
	cmd := exec.Command("cc", "-O2", "-std=c11", "-D_GNU_SOURCE", "-o", out, src+name+".c", src+"peerkit.c", "-lpthread")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("compiling %s: %v\n%s", name, err, b)
	}
	return out
}

func execPeer(t *testing.T, path string, want peer.Expect, args ...string) (peer.Result, Outcome) {
	t.Helper()
	logs := t.TempDir()
	stdout, _ := os.Create(filepath.Join(logs, "out"))
	stderr, _ := os.Create(filepath.Join(logs, "err"))
	defer stdout.Close()
	defer stderr.Close()
	o, err := Exec(context.Background(), Spec{Path: path, Args: args, Timeout: 30 * time.Second, Stdout: stdout, Stderr: stderr, CPUs: probe.AllowedCPUs()[len(probe.AllowedCPUs())-1:]})
	if err != nil {
		t.Fatal(err)
	}
	if why := o.Failure(30 * time.Second); why != "" {
		t.Fatal(why)
	}
	res, err := peer.ParseResult(o.Stdout, want)
	if err != nil {
		t.Fatal(err)
	}
	return res, o
}

// The peer's memory must be the peer's, not the harness's: a C hello reads under 3 MB while
// the harness holds 256 MiB. (rusage ru_maxrss of the same child is logged to show why the
// harness never uses it.)
func TestPeerMemoryIsNotTheHarnesss(t *testing.T) {
	ballast := make([]byte, 256<<20)
	for i := 0; i < len(ballast); i += 4096 {
		ballast[i] = 1
	}
	self, _ := probe.ReadStatus(os.Getpid())
	hello := buildC(t, "hello")
	want := peer.Expect{Workload: "hello", Lang: "c", Variant: "std", Params: peer.Params{Iters: 1, Threads: 1, Seed: 1}}
	res, o := execPeer(t, hello, want)
	runtime.KeepAlive(ballast)
	hwm := res.VmHWMKiB * 1024
	t.Logf("harness VmHWM %d MiB; C hello VmHWM %d KiB", self.VmHWMKiB>>10, res.VmHWMKiB)
	if hwm >= 3_000_000 {
		t.Errorf("C hello VmHWM %d bytes, want under 3 MB", hwm)
	}
	_ = o
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_CHILDREN, &ru); err == nil {
		t.Logf("for comparison, rusage ru_maxrss of the harness's children: %d MiB (what the harness must not report)", ru.Maxrss>>10)
	}
}

// A peer that touches exactly 64 MiB reads as its base plus 64 MiB, within 5%.
func TestKnownAllocationReadsAsItsSize(t *testing.T) {
	memhog := buildC(t, "memhog")
	want := func(size int64) peer.Expect {
		return peer.Expect{Workload: "memhog", Lang: "c", Variant: "std", Params: peer.Params{Size: size, Iters: 1, Threads: 1, Seed: 1}}
	}
	base, _ := execPeer(t, memhog, want(0), "--size", "0")
	hog, _ := execPeer(t, memhog, want(64), "--size", "64")
	grew := float64(hog.VmHWMKiB-base.VmHWMKiB) / 1024
	t.Logf("memhog base %d KiB, with 64 MiB %d KiB: grew %.2f MiB", base.VmHWMKiB, hog.VmHWMKiB, grew)
	if grew < 64*0.95 || grew > 64*1.05 {
		t.Errorf("grew %.2f MiB, want 64 MiB within 5%%", grew)
	}
}

// The harness's own /proc read of a running process (how servers are measured) sees the same.
func TestProcReadOfRunningProcess(t *testing.T) {
	hold := func(mib int) probe.Status {
		exe, _ := os.Executable()
		cmd := exec.Command(exe)
		cmd.Env = append(os.Environ(), "GORUSTBENCH_FAKE_PEER=1", "FAKE_HOLD_MIB="+strconv.Itoa(mib))
		stdout, _ := cmd.StdoutPipe()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		defer func() { cmd.Process.Kill(); cmd.Wait() }()
		buf := make([]byte, 6)
		if _, err := stdout.Read(buf); err != nil { // "READY\n" once the memory is touched
			t.Fatal(err)
		}
		st, err := probe.ReadStatus(cmd.Process.Pid)
		if err != nil {
			t.Fatal(err)
		}
		return st
	}
	base, big := hold(0), hold(64)
	grew := float64(big.VmRSSKiB-base.VmRSSKiB) / 1024
	t.Logf("held 0: RSS %d KiB; held 64 MiB: RSS %d KiB; grew %.2f MiB", base.VmRSSKiB, big.VmRSSKiB, grew)
	if grew < 64*0.95 || grew > 64*1.05 {
		t.Errorf("grew %.2f MiB, want 64 MiB within 5%%", grew)
	}
}
