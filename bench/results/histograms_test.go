package results

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/HdrHistogram/hdrhistogram-go"
	"github.com/gorustbench/gorustbench/bench/key"
)

func TestHistogramLogRoundTrip(t *testing.T) {
	dir := t.TempDir()
	k := key.Key{Bench: "Echo", Phase: key.Load, Impl: "go-std", Level: key.High}
	start := time.Unix(1764000000, 0)
	for w := range 2 {
		l, err := OpenHistogramLog(dir) // reopened: appends without a second header
		if err != nil {
			t.Fatal(err)
		}
		c, u := hdrhistogram.New(1, int64(time.Minute), 3), hdrhistogram.New(1, int64(time.Minute), 3)
		for i := range 1000 {
			c.RecordValue(int64(100_000 + i*1000 + w))
			u.RecordValue(int64(50_000 + i))
		}
		if err := l.Add(k, Corrected, c, start, start.Add(10*time.Second)); err != nil {
			t.Fatal(err)
		}
		if err := l.Add(k, Uncorrected, u, start, start.Add(10*time.Second)); err != nil {
			t.Fatal(err)
		}
		if err := l.Add(k, "other", u, start, start); err == nil {
			t.Error("an unknown kind was accepted")
		}
		if err := l.Close(); err != nil {
			t.Fatal(err)
		}
	}
	got, err := ReadHistograms(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Key != k || got[0].Windows[Corrected] != 2 || got[0].Windows[Uncorrected] != 2 || got[0].GCPause != nil {
		t.Fatalf("read %+v", got)
	}
	if n := got[0].Corrected.TotalCount(); n != 2000 {
		t.Errorf("corrected: %d values, want 2000 (two windows merged)", n)
	}
	if m := got[0].Uncorrected.Max(); m < 50_999 || m > 51_100 {
		t.Errorf("uncorrected max %d", m)
	}
	if none, err := ReadHistograms(t.TempDir()); none != nil || err != nil {
		t.Errorf("a run without the file: %v %v", none, err)
	}
	os.WriteFile(filepath.Join(dir, HistogramFile), []byte("Tag=nokind,0.0,1.0,1.0,HISTFAAAAA==\n"), 0o644)
	if _, err := ReadHistograms(dir); err == nil {
		t.Error("a malformed log was read")
	}
}
