package probe

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/shirou/gopsutil/v4/cpu"
	"github.com/shirou/gopsutil/v4/host"
	"github.com/shirou/gopsutil/v4/mem"
)

// Host is where a run ran. Without it a number cannot be compared later.
type Host struct {
	Hostname    string   `json:"hostname"`
	OS          string   `json:"os"`
	Arch        string   `json:"arch"`
	Kernel      string   `json:"kernel"`
	CPUModel    string   `json:"cpu_model"`
	CPUs        int      `json:"cpus"`             // logical CPUs online
	CPUMHz      float64  `json:"cpu_mhz"`          // nominal, as /proc/cpuinfo says; 0 if unknown
	CPUFlags    []string `json:"-"`                // for the vector-width and peak estimates
	PeakGFLOPS  float64  `json:"peak_fp64_gflops"` // estimated double-precision peak; 0 if unknown
	PeakHow     string   `json:"peak_fp64_how"`    // how it was estimated, or why it is unknown
	Governor    string   `json:"governor"`         // cpufreq governor of cpu0, or "unknown (no cpufreq)"
	MemTotalB   uint64   `json:"mem_total_bytes"`
	Virtualized string   `json:"virtualization"` // e.g. "kvm (guest)", or ""
}

// ReadHost gathers the host facts; what it cannot read it says is unknown.
func ReadHost() Host {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	h := Host{OS: runtime.GOOS, Arch: runtime.GOARCH, CPUs: runtime.NumCPU(), CPUModel: "unknown", Kernel: "unknown"}
	h.Hostname, _ = os.Hostname()
	if infos, err := cpu.InfoWithContext(ctx); err == nil && len(infos) > 0 {
		h.CPUModel = strings.TrimSpace(infos[0].ModelName)
		h.CPUMHz = infos[0].Mhz
		h.CPUFlags = infos[0].Flags
	}
	if v, err := host.KernelVersionWithContext(ctx); err == nil {
		h.Kernel = v
	}
	if vm, err := mem.VirtualMemoryWithContext(ctx); err == nil {
		h.MemTotalB = vm.Total
	}
	if sys, role, err := host.VirtualizationWithContext(ctx); err == nil && sys != "" {
		h.Virtualized = sys + " (" + role + ")"
	}
	p := PeakFP64(h)
	h.PeakGFLOPS, h.PeakHow = p.GFLOPS, p.How
	h.Governor = "unknown (no cpufreq)"
	if b, err := os.ReadFile("/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor"); err == nil {
		h.Governor = strings.TrimSpace(string(b))
	}
	return h
}

// Toolchains are the compilers' own version lines; a missing tool reads "missing".
type Toolchains struct {
	Go    string `json:"go"`
	Rustc string `json:"rustc"`
	Cargo string `json:"cargo"`
	CC    string `json:"cc"`
}

// ReadToolchains asks each compiler for its version.
func ReadToolchains() Toolchains {
	return Toolchains{
		Go:    ToolVersion("go", "version"),
		Rustc: ToolVersion("rustc", "-V"),
		Cargo: ToolVersion("cargo", "-V"),
		CC:    ToolVersion("cc", "--version"),
	}
}

// ToolVersion runs name args and returns the first line of its output, or "missing".
func ToolVersion(name string, args ...string) string {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, name, args...).Output()
	if err != nil {
		return "missing"
	}
	line, _, _ := strings.Cut(strings.TrimSpace(string(out)), "\n")
	return line
}

// GitCommit is the checkout's commit (with "-dirty" if it has uncommitted changes), or "unknown".
func GitCommit(dir string) string {
	out, err := exec.Command("git", "-C", dir, "rev-parse", "--short=12", "HEAD").Output()
	if err != nil {
		return "unknown"
	}
	commit := strings.TrimSpace(string(out))
	if st, err := exec.Command("git", "-C", dir, "status", "--porcelain", "--untracked-files=no").Output(); err == nil && len(strings.TrimSpace(string(st))) > 0 {
		commit += "-dirty"
	}
	return commit
}

// ReadSteal reads the machine's steal time (CPU time a hypervisor gave to others while this
// machine's CPUs wanted it) and its total CPU time since boot, in seconds.
func ReadSteal() (steal, total float64, err error) {
	t, err := cpu.Times(false)
	if err != nil {
		return 0, 0, err
	}
	if len(t) != 1 {
		return 0, 0, fmt.Errorf("no CPU time totals")
	}
	return t[0].Steal, t[0].User + t[0].System + t[0].Idle + t[0].Nice + t[0].Iowait + t[0].Irq + t[0].Softirq + t[0].Steal, nil
}

// TimerSlack is this thread's timer slack (/proc/self/timerslack_ns): how late the kernel may
// fire its timers to group wake-ups; -1 if unknown.
func TimerSlack() int64 {
	b, err := os.ReadFile("/proc/self/timerslack_ns")
	if err != nil {
		return -1
	}
	v, err := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64)
	if err != nil {
		return -1
	}
	return v
}
