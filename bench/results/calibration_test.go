package results

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestCheckJudge(t *testing.T) {
	for _, tc := range []struct {
		name               string
		measured, expected float64
		tol                float64
		bound, want        string
	}{
		{"equal", 100, 100, 0.15, "", CheckPass},
		{"at the upper edge", 115, 100, 0.15, "", CheckPass},
		{"above", 116, 100, 0.15, "", CheckFail},
		{"at the lower edge", 85, 100, 0.15, "", CheckPass},
		{"below", 84, 100, 0.15, "", CheckFail},
		{"max bound, far below", 10, 100, 1, BoundMax, CheckPass},
		{"max bound, at twice", 200, 100, 1, BoundMax, CheckPass},
		{"max bound, above twice", 201, 100, 1, BoundMax, CheckFail},
		{"min bound, far above", 1000, 100, 0.15, BoundMin, CheckPass},
		{"min bound, below", 84, 100, 0.15, BoundMin, CheckFail},
		{"no reference", 100, 0, 0.15, "", CheckSkipped},
	} {
		k := Check{Measured: tc.measured, Expected: tc.expected, Tolerance: tc.tol, Bound: tc.bound}
		k.Judge()
		if k.Status != tc.want {
			t.Errorf("%s: %v vs %v (tolerance %v, bound %q): %s, want %s", tc.name, tc.measured, tc.expected, tc.tol, tc.bound, k.Status, tc.want)
		}
	}
	k := Check{Status: CheckSkipped, Note: "hyperfine is not installed"}
	k.Judge()
	if k.Status != CheckSkipped || k.Note != "hyperfine is not installed" {
		t.Errorf("a skipped check was judged: %+v", k)
	}
}

func TestCalibrationRoundTrip(t *testing.T) {
	dir := t.TempDir()
	if c, err := ReadCalibration(dir); c != nil || err != nil {
		t.Fatalf("no calibration.json: got %v, %v; want nil, nil", c, err)
	}
	c := &Calibration{Started: time.Date(2026, 12, 3, 22, 0, 0, 0, time.UTC), Mode: "short", Duration: 31,
		Floor:  Floor{CPUs: []CPUFloor{{CPU: 0, N: 990, P99Ns: 200000, P999Ns: 900000, MaxNs: 1200000}}, TimerSlackNs: 50000, StealFraction: 0.01},
		Checks: []Check{{Instrument: InstrStartup, Name: "exec to exit, C hello", Measured: 800, Expected: 700, Tolerance: 0.15, Status: CheckPass, N: 100, Attempts: 1}}}
	if err := WriteCalibration(dir, c); err != nil {
		t.Fatal(err)
	}
	got, err := ReadCalibration(dir)
	if err != nil || !reflect.DeepEqual(got, c) {
		t.Fatalf("read back %+v, %v; want %+v", got, err, c)
	}
	if len(got.Failed(InstrStartup)) != 0 {
		t.Errorf("a passing check counted as failed")
	}
	got.Checks[0].Status = CheckFail
	if f := got.Failed(InstrStartup); len(f) != 1 || len(got.Failed(InstrPeakRSS)) != 0 {
		t.Errorf("Failed: %v", f)
	}
	os.WriteFile(filepath.Join(dir, CalibrationFile), []byte("{not json"), 0o644)
	if _, err := ReadCalibration(dir); err == nil || !strings.Contains(err.Error(), "calibration.json") {
		t.Errorf("a corrupt calibration.json: %v, want an error naming the file", err)
	}
}
