package results

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// CalibrationFile is where a run folder keeps its calibration.
const CalibrationFile = "calibration.json"

// The instruments a calibration checks, as Check.Instrument names them.
const (
	InstrStartup = "startup-clock" // exec-to-exit (and exec-to-READY) on the harness's clock
	InstrPeakRSS = "peak-rss"      // VmHWM as peers report it
	InstrCPUTime = "cpu-time"      // user+sys from wait4
	InstrHiccup  = "hiccup-meter"  // the kits' hiccup meters
	InstrLoadgen = "loadgen"       // the load generator: rate, lag, CPU per request
)

// One-sided checks: only a Measured above Expected*(1+Tolerance) fails (BoundMax), or only
// one below Expected*(1-Tolerance) (BoundMin).
const (
	BoundMax = "max"
	BoundMin = "min"
)

// Check statuses.
const (
	CheckPass    = "pass"
	CheckFail    = "fail"
	CheckSkipped = "skipped" // the reference or a peer is missing: nothing is known
)

// Calibration is what `gorustbench calibrate` found on a machine: each instrument checked
// against an independent tool or a known answer, and the machine's own floor.
type Calibration struct {
	Started  time.Time `json:"started"`
	Duration float64   `json:"duration_s"`
	Mode     string    `json:"mode"` // "short" (before a run) or "full"
	Checks   []Check   `json:"checks"`
	Floor    Floor     `json:"floor"`
}

// Check is one instrument against one reference. Error is Measured/Expected - 1, and the
// check passes when |Error| <= Tolerance; a one-sided check (Bound) fails only on one side.
type Check struct {
	Instrument string  `json:"instrument"` // one of the Instr constants
	Name       string  `json:"name"`       // what was measured: "exec to exit, C hello"
	Reference  string  `json:"reference"`  // what it was measured against: "hyperfine -N, same binary and CPU"
	Unit       string  `json:"unit"`       // of Measured and Expected: "ns", "KiB", "req/s"
	Measured   float64 `json:"measured"`
	Expected   float64 `json:"expected"`
	Error      float64 `json:"error"`
	Tolerance  float64 `json:"tolerance"`
	Bound      string  `json:"bound,omitempty"` // "": two-sided; BoundMax, BoundMin: one-sided
	N          int     `json:"n"`               // samples on each side
	Attempts   int     `json:"attempts"`        // 2 when a failed first attempt was retried
	Status     string  `json:"status"`
	Note       string  `json:"note,omitempty"`
}

// Floor is the machine's own noise: how late an idle thread that sleeps 1 ms wakes on each
// CPU with nothing else on it, the timer slack, and the time the hypervisor took (steal).
type Floor struct {
	CPUs          []CPUFloor `json:"cpus,omitempty"`
	TimerSlackNs  int64      `json:"timer_slack_ns"`
	StealFraction float64    `json:"steal_fraction"` // of all CPU time during the calibration; -1 if unknown
}

// CPUFloor is the idle hiccup meter on one CPU.
type CPUFloor struct {
	CPU    int   `json:"cpu"`
	N      int   `json:"n"` // wake-ups
	P99Ns  int64 `json:"p99_ns"`
	P999Ns int64 `json:"p999_ns"`
	MaxNs  int64 `json:"max_ns"`
}

// Failed lists the checks of instrument that failed.
func (c *Calibration) Failed(instrument string) []Check {
	if c == nil {
		return nil
	}
	var out []Check
	for _, k := range c.Checks {
		if k.Instrument == instrument && k.Status == CheckFail {
			out = append(out, k)
		}
	}
	return out
}

// Judge sets k.Error and k.Status from Measured, Expected and Tolerance.
func (k *Check) Judge() {
	if k.Status == CheckSkipped {
		return
	}
	if k.Expected == 0 {
		k.Status, k.Note = CheckSkipped, joinNote(k.Note, "no reference value")
		return
	}
	k.Error = k.Measured/k.Expected - 1
	tol := k.Tolerance + 1e-9 // a ratio exactly at the edge passes, whatever its rounding
	ok := (k.Error <= tol || k.Bound == BoundMin) && (k.Error >= -tol || k.Bound == BoundMax)
	k.Status = CheckFail
	if ok {
		k.Status = CheckPass
	}
}

// Cells are a check's columns for a table, formatted for a reader: the two values compared
// ("812µs vs 736µs"), the error ("+10.3%"), the tolerance ("±15%", "at most +100%") and the
// result with its attempt and note. Values and error are empty for a skipped check.
func (k Check) Cells() (values, errText, tolerance, result string) {
	if k.Status != CheckSkipped {
		values = FormatValue(k.Measured, k.Unit) + " vs " + FormatValue(k.Expected, k.Unit)
		errText = fmt.Sprintf("%+.1f%%", 100*k.Error)
	}
	switch {
	case k.Status == CheckSkipped: // no tolerance was applied
	case k.Bound == "":
		tolerance = fmt.Sprintf("±%.0f%%", 100*k.Tolerance)
	case k.Bound == BoundMax:
		tolerance = fmt.Sprintf("at most +%.0f%%", 100*k.Tolerance)
	case k.Bound == BoundMin:
		tolerance = fmt.Sprintf("at least -%.0f%%", 100*k.Tolerance)
	}
	result = k.Status
	if k.Attempts > 1 {
		result += fmt.Sprintf(" (attempt %d)", k.Attempts)
	}
	if k.Note != "" {
		result += ": " + k.Note
	}
	return values, errText, tolerance, result
}

// FormatValue formats a calibration value of unit ("ns", "KiB", "req/s") for a reader.
func FormatValue(v float64, unit string) string {
	switch unit {
	case "ns":
		if v < 0 {
			return "unknown"
		}
		return time.Duration(v).Round(time.Microsecond).String()
	case "KiB":
		return fmt.Sprintf("%.1f MiB", v/1024)
	case "req/s":
		return fmt.Sprintf("%.0f req/s", v)
	}
	return fmt.Sprintf("%g %s", v, unit)
}

func joinNote(a, b string) string {
	if a == "" {
		return b
	}
	return a + "; " + b
}

// WriteCalibration writes c into dir atomically.
func WriteCalibration(dir string, c *Calibration) error {
	js, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return err
	}
	return WriteFileAtomic(filepath.Join(dir, CalibrationFile), append(js, '\n'))
}

// ReadCalibration reads dir's calibration; nil, nil if the run has none.
func ReadCalibration(dir string) (*Calibration, error) {
	b, err := os.ReadFile(filepath.Join(dir, CalibrationFile))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var c Calibration
	if err := json.Unmarshal(b, &c); err != nil {
		return nil, fmt.Errorf("%s: %w (delete it or run gorustbench calibrate --out %s again)", filepath.Join(dir, CalibrationFile), err, dir)
	}
	return &c, nil
}
