package probe

import (
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
)

// Peak is the machine's theoretical double-precision peak, estimated from what the CPU says
// about itself: cores x nominal frequency x FLOPs per cycle of its vector units.
type Peak struct {
	GFLOPS float64 // 0 when unknown
	// How, in words: the assumptions the figure rests on, or why it is unknown.
	How string
}

// PeakFP64 estimates the peak. FLOPs per cycle assume two fused multiply-add pipes as wide
// as the widest vector extension the CPU reports (one FMA = 2 FLOPs), except where the CPU
// is known to split them (AMD Zen 1 runs 256-bit operations as two 128-bit halves). Turbo
// is ignored: the nominal frequency is what /proc/cpuinfo reports.
func PeakFP64(h Host) Peak {
	if h.CPUMHz <= 0 || h.CPUs <= 0 {
		return Peak{How: "unknown: the CPU reports no frequency"}
	}
	flags := h.CPUFlags
	has := func(f string) bool { return slices.Contains(flags, f) }
	perCycle, width := 0.0, ""
	switch {
	case has("avx512f") && has("fma"):
		perCycle, width = 32, "two 512-bit FMA pipes (some parts have one: then half)"
	case has("avx2") && has("fma"):
		perCycle, width = 16, "two 256-bit FMA pipes"
		if zen1() {
			perCycle, width = 8, "AMD Zen 1: 256-bit FMA split into two 128-bit halves"
		}
	case has("avx"):
		perCycle, width = 8, "AVX add and multiply pipes, no FMA"
	case has("sse2"):
		perCycle, width = 4, "SSE2 add and multiply pipes"
	default:
		return Peak{How: "unknown: no vector extension recognised in the CPU flags"}
	}
	g := float64(h.CPUs) * h.CPUMHz / 1000 * perCycle
	return Peak{GFLOPS: g, How: fmt.Sprintf("%d CPUs x %.0f MHz x %.0f FLOPs/cycle (%s); nominal frequency, an estimate", h.CPUs, h.CPUMHz, perCycle, width)}
}

// zen1 reports an AMD family 0x17 CPU with a model below 0x30 (Zen, Zen+).
func zen1() bool {
	data, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return false
	}
	var vendor string
	family, model := -1, -1
	for _, line := range strings.Split(string(data), "\n") {
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		switch k {
		case "vendor_id":
			vendor = v
		case "cpu family":
			family, _ = strconv.Atoi(v)
		case "model":
			model, _ = strconv.Atoi(v)
		}
		if vendor != "" && family >= 0 && model >= 0 {
			break
		}
	}
	return vendor == "AuthenticAMD" && family == 0x17 && model < 0x30
}
