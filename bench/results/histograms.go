package results

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/HdrHistogram/hdrhistogram-go"
	"github.com/gorustbench/gorustbench/bench/key"
)

// HistogramFile holds a run's full histograms (results/README.md, "histograms.hlog"): an
// HdrHistogram interval log (format 1.3, the one HdrHistogram's Java, Go, Rust and Python
// libraries read), one line per window (a load window, or a batch run) and kind, tagged
// "<kind>:<key>", values in ns.
const HistogramFile = "histograms.hlog"

// Histogram kinds in HistogramFile.
const (
	Corrected   = "corrected"   // request latency; open loop: from the scheduled send
	Uncorrected = "uncorrected" // request latency from the actual send
	GCPause     = "gc-pause"    // Go: stop-the-world pauses (runtime/metrics /sched/pauses/total/gc:seconds)
	Hiccup      = "hiccup"      // the hiccup meter: how late each 1 ms sleep woke
)

var kinds = []string{Corrected, Uncorrected, GCPause, Hiccup}

// HistogramLog appends windows' histograms to a run's HistogramFile. Safe for concurrent use.
type HistogramLog struct {
	mu sync.Mutex
	f  *os.File
	w  *hdrhistogram.HistogramLogWriter
}

// OpenHistogramLog opens dir's HistogramFile for appending, writing the log's header when the
// file is new.
func OpenHistogramLog(dir string) (*HistogramLog, error) {
	path := filepath.Join(dir, HistogramFile)
	f, err := os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return nil, err
	}
	l := &HistogramLog{f: f, w: hdrhistogram.NewHistogramLogWriter(f)}
	if st, err := f.Stat(); err == nil && st.Size() == 0 {
		err = errors.Join(l.w.OutputComment("gorustbench histograms: Tag=<kind>:<benchmark key>, values in ns; kinds: corrected, uncorrected (request latency from the scheduled, the actual send), gc-pause, hiccup"),
			l.w.OutputLogFormatVersion(), l.w.OutputLegend())
		if err != nil {
			f.Close()
			return nil, err
		}
	}
	return l, nil
}

// Add records one window's histogram of kind (Corrected, Uncorrected, GCPause, Hiccup) for k,
// the window's key as in samples.bench ("EchoLoad/impl=go-std/rate=high", or a batch case's
// "Matmul/impl=go-naive/size=512/threads=1"); start and end bound the window. The histogram
// is not changed. A runtime/metrics histogram (float seconds, buckets) goes in as each
// bucket's count at its upper bound in ns (RecordValues), as gc-pause-max-ns already reads it.
func (l *HistogramLog) Add(k key.Key, kind string, h *hdrhistogram.Histogram, start, end time.Time) error {
	if !slices.Contains(kinds, kind) {
		return fmt.Errorf("histogram log: kind %q", kind)
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
func (l *HistogramLog) Close() error { return l.f.Close() }

// Histograms are one key's histograms, every window of it merged; nil for a kind the log
// does not hold.
type Histograms struct {
	Key                                     key.Key
	Corrected, Uncorrected, GCPause, Hiccup *hdrhistogram.Histogram
	Windows                                 map[string]int // lines per kind
}

// ReadHistograms reads dir's HistogramFile, merging each key's windows, in the order keys
// first appear. A run without the file has no histograms: nil, nil.
func ReadHistograms(dir string) ([]*Histograms, error) {
	f, err := os.Open(filepath.Join(dir, HistogramFile))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return readHistograms(bufio.NewReader(f))
}

func readHistograms(r io.Reader) ([]*Histograms, error) {
	lr := hdrhistogram.NewHistogramLogReader(r)
	byKey := map[string]*Histograms{}
	var order []string
	for {
		h, err := lr.NextIntervalHistogram()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", HistogramFile, err)
		}
		if h == nil {
			break
		}
		kind, name, ok := strings.Cut(h.Tag(), ":")
		if !ok || !slices.Contains(kinds, kind) {
			return nil, fmt.Errorf("%s: tag %q is not <kind>:<key>", HistogramFile, h.Tag())
		}
		k, err := key.Parse(name)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", HistogramFile, err)
		}
		l := byKey[name]
		if l == nil {
			l = &Histograms{Key: k, Windows: map[string]int{}}
			byKey[name] = l
			order = append(order, name)
		}
		dst := map[string]**hdrhistogram.Histogram{Corrected: &l.Corrected, Uncorrected: &l.Uncorrected, GCPause: &l.GCPause, Hiccup: &l.Hiccup}[kind]
		if *dst == nil {
			*dst = hdrhistogram.Import(h.Export())
		} else {
			(*dst).Merge(h)
		}
		l.Windows[kind]++
	}
	out := make([]*Histograms, 0, len(order))
	for _, name := range order {
		out = append(out, byKey[name])
	}
	return out, nil
}
