// Package doctor checks whether this machine can build and measure the peers, and says
// exactly what is missing and how to get it.
package doctor

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"time"
	"unsafe"

	"github.com/gorustbench/gorustbench/bench/probe"
	"golang.org/x/sys/unix"
)

// Check is one finding.
type Check struct {
	Name     string
	OK       bool
	Required bool   // a missing required thing fails doctor
	Detail   string // what was found
	Fix      string // what to do when not OK
}

// Run performs every check.
func Run() []Check {
	var cs []Check
	tools := []struct{ name, arg, fix string }{
		{"go", "version", "install Go 1.26 or newer (https://go.dev/dl)"},
		{"cargo", "-V", "install Rust with rustup, or apt-get install cargo"},
		{"rustc", "-V", "install Rust with rustup, or apt-get install rustc"},
		{"cc", "--version", "apt-get install build-essential"},
		{"make", "--version", "apt-get install make"},
		{"strip", "--version", "apt-get install binutils"},
	}
	for _, t := range tools {
		v := probe.ToolVersion(t.name, t.arg)
		cs = append(cs, Check{Name: t.name, OK: v != "missing", Required: true, Detail: v, Fix: t.fix})
	}
	cs = append(cs, openBLAS())
	for _, t := range []struct{ name, why string }{
		{"hyperfine", "cross-checks the harness's start-up timing (make check-startup)"},
		{"benchstat", "reads samples.bench (go install golang.org/x/perf/cmd/benchstat@latest)"},
	} {
		_, err := exec.LookPath(t.name)
		cs = append(cs, Check{Name: t.name, OK: err == nil, Detail: map[bool]string{true: "found", false: "not installed: " + t.why}[err == nil],
			Fix: "scripts/setup.sh installs it"})
	}
	cpus := probe.AllowedCPUs()
	cs = append(cs, Check{Name: "cpus", OK: len(cpus) >= 2, Detail: fmt.Sprintf("%d usable: %v", len(cpus), cpus),
		Fix: "with one CPU the load generator and a server cannot be pinned apart; HTTP results will say so"})
	h := probe.ReadHost()
	cs = append(cs, Check{Name: "governor", OK: h.Governor == "performance" || strings.HasPrefix(h.Governor, "unknown"),
		Detail: h.Governor, Fix: "cpupower frequency-set -g performance (frequency scaling adds noise)"})
	pin := Check{Name: "pinning", OK: true, Detail: "sched_setaffinity works"}
	if err := probe.CanPin(); err != nil {
		pin = Check{Name: "pinning", Detail: err.Error(), Fix: "run outside a container that forbids affinity; runs will record 'unpinned'"}
	}
	cs = append(cs, pin, perfCounters(), dropCaches())
	return cs
}

func openBLAS() Check {
	if _, err := exec.LookPath("cc"); err != nil {
		// Without a compiler nothing can be said about OpenBLAS: name the compiler, not it.
		return Check{Name: "openblas", Detail: "not checked: no C compiler (cc) to compile against it",
			Fix: "install cc first (apt-get install build-essential), then run doctor again"}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "cc", "-x", "c", "-", "-o", os.DevNull, "-lopenblas")
	cmd.Stdin = strings.NewReader("#include <cblas.h>\nint main(void){double a=1,b=1,c=0;cblas_dgemm(CblasRowMajor,CblasNoTrans,CblasNoTrans,1,1,1,1,&a,1,&b,1,0,&c,1);return 0;}\n")
	if out, err := cmd.CombinedOutput(); err != nil {
		first, _, _ := strings.Cut(strings.TrimSpace(string(out)), "\n")
		return Check{Name: "openblas", Required: true, Detail: "cannot compile against cblas.h/-lopenblas: " + first, Fix: "apt-get install libopenblas-dev"}
	}
	return Check{Name: "openblas", OK: true, Required: true, Detail: "cblas.h and -lopenblas link"}
}

func perfCounters() Check {
	attr := unix.PerfEventAttr{Type: unix.PERF_TYPE_HARDWARE, Config: unix.PERF_COUNT_HW_CPU_CYCLES}
	attr.Size = uint32(unsafe.Sizeof(attr))
	attr.Bits = unix.PerfBitDisabled | unix.PerfBitExcludeKernel | unix.PerfBitExcludeHv
	fd, err := unix.PerfEventOpen(&attr, 0, -1, -1, 0)
	if err != nil {
		return Check{Name: "perf counters", Detail: "perf_event_open(cycles): " + err.Error(),
			Fix: "optional: cycles and instructions are not recorded; times and CPU from rusage still are"}
	}
	unix.Close(fd)
	return Check{Name: "perf counters", OK: true, Detail: "hardware cycle counter opens"}
}

func dropCaches() Check {
	if runtime.GOOS != "linux" {
		return Check{Name: "drop page cache", Detail: "not Linux"}
	}
	f, err := os.OpenFile("/proc/sys/vm/drop_caches", os.O_WRONLY, 0)
	if err == nil {
		_, err = f.WriteString("1")
		f.Close()
	}
	if err != nil {
		return Check{Name: "drop page cache", Detail: err.Error(), Fix: "optional: cold-start runs need root on a host (not a container); warm starts are still measured"}
	}
	return Check{Name: "drop page cache", OK: true, Detail: "writing /proc/sys/vm/drop_caches works"}
}

// Print writes one line per check.
func Print(w io.Writer, cs []Check) {
	for _, c := range cs {
		mark := "ok  "
		switch {
		case !c.OK && c.Required:
			mark = "MISS"
		case !c.OK:
			mark = "--  "
		}
		fmt.Fprintf(w, "%s %-16s %s\n", mark, c.Name, c.Detail)
		if !c.OK && c.Fix != "" {
			fmt.Fprintf(w, "     %-16s -> %s\n", "", c.Fix)
		}
	}
}

// Missing names the required checks that failed.
func Missing(cs []Check) []string {
	var out []string
	for _, c := range cs {
		if c.Required && !c.OK {
			out = append(out, c.Name)
		}
	}
	return out
}
