package results

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/HdrHistogram/hdrhistogram-go"
	"github.com/gorustbench/gorustbench/bench/key"
)

// LatencyFile holds a run's full latency histograms (results/README.md, "latency.hlog"): an
// HdrHistogram interval log (format 1.3, the one HdrHistogram's Java, Go, Rust and Python
// libraries read), one line per load window and kind, tagged "<kind>:<key>", values in ns.
const LatencyFile = "latency.hlog"

// Histogram kinds in LatencyFile.
const (
	Corrected   = "corrected"   // open loop: latency from the scheduled send
	Uncorrected = "uncorrected" // from the actual send
)

// LatencyLog appends load windows' histograms to a run's LatencyFile. Safe for concurrent use.
type LatencyLog struct {
	mu sync.Mutex
	f  *os.File
	w  *hdrhistogram.HistogramLogWriter
}

// OpenLatencyLog opens dir's LatencyFile for appending, writing the log's header when the
// file is new.
func OpenLatencyLog(dir string) (*LatencyLog, error) {
	path := filepath.Join(dir, LatencyFile)
	f, err := os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return nil, err
	}
	l := &LatencyLog{f: f, w: hdrhistogram.NewHistogramLogWriter(f)}
	if st, err := f.Stat(); err == nil && st.Size() == 0 {
		err = errors.Join(l.w.OutputComment("gorustbench latency histograms: Tag=<kind>:<benchmark key>, values in ns; kinds: corrected (from the scheduled send), uncorrected (from the actual send)"),
			l.w.OutputLogFormatVersion(), l.w.OutputLegend())
		if err != nil {
			f.Close()
			return nil, err
		}
	}
	return l, nil
}

// Add records one load window's histogram of kind (Corrected or Uncorrected) for k, the
// window's key ("EchoLoad/impl=go-std/rate=high"); start and end bound the window. The
// histogram is not changed.
func (l *LatencyLog) Add(k key.Key, kind string, h *hdrhistogram.Histogram, start, end time.Time) error {
	if kind != Corrected && kind != Uncorrected {
		return fmt.Errorf("latency log: kind %q", kind)
	}
	c := hdrhistogram.Import(h.Export())
	c.SetTag(kind + ":" + k.String())
	c.SetStartTimeMs(start.UnixMilli())
	c.SetEndTimeMs(end.UnixMilli())
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.OutputIntervalHistogram(c)
}

// Close closes the file.
func (l *LatencyLog) Close() error { return l.f.Close() }

// Latency is one key's histograms, every window of it merged.
type Latency struct {
	Key                    key.Key
	Corrected, Uncorrected *hdrhistogram.Histogram // nil when the log has none of that kind
	Windows                int                     // load windows: lines of the corrected kind
}

// ReadLatency reads dir's LatencyFile, merging each key's windows, in the order keys first
// appear. A run without the file has no histograms: nil, nil.
func ReadLatency(dir string) ([]*Latency, error) {
	f, err := os.Open(filepath.Join(dir, LatencyFile))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return readLatency(bufio.NewReader(f))
}

func readLatency(r io.Reader) ([]*Latency, error) {
	lr := hdrhistogram.NewHistogramLogReader(r)
	byKey := map[string]*Latency{}
	var order []string
	for {
		h, err := lr.NextIntervalHistogram()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", LatencyFile, err)
		}
		if h == nil {
			break
		}
		kind, name, ok := strings.Cut(h.Tag(), ":")
		if !ok || (kind != Corrected && kind != Uncorrected) {
			return nil, fmt.Errorf("%s: tag %q is not <kind>:<key>", LatencyFile, h.Tag())
		}
		k, err := key.Parse(name)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", LatencyFile, err)
		}
		l := byKey[name]
		if l == nil {
			l = &Latency{Key: k}
			byKey[name] = l
			order = append(order, name)
		}
		dst := &l.Corrected
		if kind == Uncorrected {
			dst = &l.Uncorrected
		}
		if *dst == nil {
			*dst = hdrhistogram.Import(h.Export())
		} else {
			(*dst).Merge(h)
		}
		if kind == Corrected {
			l.Windows++
		}
	}
	out := make([]*Latency, 0, len(order))
	for _, name := range order {
		out = append(out, byKey[name])
	}
	return out, nil
}
