package probe

import (
	"os"
	"strings"
	"testing"
)

func TestParseStatus(t *testing.T) {
	s, err := parseStatus([]byte("Name:\tx\nVmPeak:\t 9000 kB\nVmHWM:\t    1084 kB\nVmRSS:\t     980 kB\n"), 1)
	if err != nil || s.VmHWMKiB != 1084 || s.VmRSSKiB != 980 {
		t.Fatalf("got %+v, %v", s, err)
	}
	// A zombie's status has no memory lines.
	_, err = parseStatus([]byte("Name:\tx\nState:\tZ (zombie)\n"), 7)
	if err == nil || !strings.Contains(err.Error(), "has exited") {
		t.Fatalf("got %v", err)
	}
	_, err = parseStatus([]byte("VmHWM:\t 12 MB\nVmRSS:\t 1 kB\n"), 7)
	if err == nil {
		t.Fatal("accepted a unit other than kB")
	}
}

func TestReadSelf(t *testing.T) {
	s, err := ReadStatus(os.Getpid())
	if err != nil || s.VmHWMKiB < s.VmRSSKiB || s.VmRSSKiB <= 0 {
		t.Fatalf("got %+v, %v", s, err)
	}
	st, err := ReadSchedstat(os.Getpid())
	if err != nil || st.RunNs <= 0 {
		t.Fatalf("got %+v, %v", st, err)
	}
}

func TestReadHost(t *testing.T) {
	h := ReadHost()
	if h.CPUs < 1 || h.Kernel == "" || h.OS != "linux" {
		t.Fatalf("implausible host %+v", h)
	}
}

func TestPeakFP64(t *testing.T) {
	h := Host{CPUs: 2, CPUMHz: 2500, CPUFlags: []string{"sse2", "avx", "avx2", "fma"}}
	if p := PeakFP64(h); p.GFLOPS != 80 && p.GFLOPS != 40 { // 40 on a Zen 1 host running the test
		t.Errorf("AVX2+FMA: %+v", p)
	}
	h.CPUFlags = []string{"sse2"}
	if p := PeakFP64(h); p.GFLOPS != 20 {
		t.Errorf("SSE2: %+v", p)
	}
	h.CPUMHz = 0
	if p := PeakFP64(h); p.GFLOPS != 0 || !strings.HasPrefix(p.How, "unknown") {
		t.Errorf("no frequency: %+v", p)
	}
}
