package stats

import (
	"math"
	"strings"
	"testing"
)

func TestSummarize(t *testing.T) {
	s := Summarize([]float64{5, 1, 4, 2, 3, 6, 7, 8, 9, 10})
	if s.Center != 5.5 || s.N != 10 || !s.HasInterval() || !(s.Lo <= 5.5 && 5.5 <= s.Hi) {
		t.Fatalf("got %+v", s)
	}
	few := Summarize([]float64{1, 2, 3})
	if few.HasInterval() || len(few.Warnings) == 0 {
		t.Fatalf("3 samples cannot give a 95%% interval, got %+v", few)
	}
	if !strings.Contains(strings.Join(few.Warnings, " "), "need >= 6 samples") {
		t.Errorf("warning does not explain: %v", few.Warnings)
	}
	if e := Summarize(nil); !math.IsNaN(e.Center) {
		t.Errorf("empty: %+v", e)
	}
}

func TestCompare(t *testing.T) {
	a := []float64{1, 1.1, 0.9, 1.05, 0.95, 1.02, 0.98, 1.01}
	b := []float64{2, 2.1, 1.9, 2.05, 1.95, 2.02, 1.98, 2.01}
	if c := Compare(a, b); !c.Significant {
		t.Errorf("clearly different samples: %+v", c)
	}
	if c := Compare(a, a); c.Significant || !strings.HasPrefix(c.String(), "no significant difference") {
		t.Errorf("identical samples: %+v %s", c, c)
	}
}

func TestRatioOf(t *testing.T) {
	r := RatioOf(Summary{Center: 10, Lo: 9, Hi: 12}, Summary{Center: 5, Lo: 4, Hi: 6})
	if r.Center != 2 || r.Lo != 1.5 || r.Hi != 3 {
		t.Errorf("got %+v", r)
	}
	if r := RatioOf(Exact(4), Exact(2)); r.Lo != 2 || r.Hi != 2 {
		t.Errorf("exact: %+v", r)
	}
	if r := RatioOf(Summarize([]float64{1, 2}), Exact(1)); r.HasInterval() {
		t.Errorf("no interval from too few samples: %+v", r)
	}
}

func TestAdvice(t *testing.T) {
	few := Summarize([]float64{1, 2, 3, 4, 5})
	if a := few.Advice(); len(a) != 1 || a[0] != "n=5: a 95% interval needs at least 6 samples; raise --repeat" {
		t.Errorf("advice for n=5: %q", a)
	}
	noisy := Summarize([]float64{10, 20, 30, 40, 50, 60})
	if a := noisy.Advice(); len(a) != 1 || !strings.Contains(a[0], "the machine was noisy") {
		t.Errorf("advice for a wide interval: %q", a)
	}
	if a := Summarize([]float64{100, 101, 102, 100, 101, 102}).Advice(); len(a) != 0 {
		t.Errorf("a tight sample needs no advice: %q", a)
	}
}

// Known intervals: with n=6 the 95% interval of the median is [min, max], at 1 - 2/2^6 =
// 96.875%; with n=10 it is [x(2), x(9)], at 1 - 2*(1+10)/2^10 = 97.85%.
func TestSummarizeKnownIntervals(t *testing.T) {
	six := Summarize([]float64{14, 10, 13, 11, 15, 12})
	if six.Center != 12.5 || six.Lo != 10 || six.Hi != 15 || math.Abs(six.Confidence-0.96875) > 1e-9 {
		t.Errorf("n=6: %+v, want median 12.5 in [10, 15] at 96.875%%", six)
	}
	ten := Summarize([]float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
	if ten.Lo != 2 || ten.Hi != 9 || math.Abs(ten.Confidence-(1-2*11.0/1024)) > 1e-9 {
		t.Errorf("n=10: %+v, want [2, 9] at 97.85%%", ten)
	}
}

// Paired ratios cancel a drift both samples share: round i of a and b ran together.
func TestPairedRatio(t *testing.T) {
	a := []float64{10, 20, 30, 40, 50, 60} // the machine slows down round by round
	b := []float64{5, 10, 15, 20, 25, 30}  // and b is always half of a
	p := PairedRatio(a, b)
	if p.Center != 2 || p.Lo != 2 || p.Hi != 2 || p.N != 6 || p.Confidence < 0.95 {
		t.Errorf("paired: %+v, want exactly 2", p)
	}
	u := RatioOf(Summarize(a), Summarize(b))
	if !(u.Lo < 1 && u.Hi > 5) || math.Abs(u.Confidence-(2*0.96875-1)) > 1e-9 {
		t.Errorf("unpaired: %+v, want a wide interval at the Bonferroni level", u)
	}
}

// Summarize and Compare leave their input in its order: samples pair by position.
func TestInputOrderKept(t *testing.T) {
	a := []float64{3, 1, 2, 6, 5, 4}
	b := []float64{6, 5, 4, 3, 2, 1}
	Summarize(a)
	Compare(a, b)
	if a[0] != 3 || b[0] != 6 {
		t.Errorf("inputs reordered: %v %v", a, b)
	}
}

func TestGeoMean(t *testing.T) {
	// Kernels at exactly 0.5 and 2.0 in every round: geometric mean 1, a zero-width interval.
	g := GeoMean([][]float64{{0.5, 0.5, 0.5, 0.5, 0.5, 0.5}, {2, 2, 2, 2, 2, 2}})
	if math.Abs(g.Center-1) > 1e-12 || math.Abs(g.Lo-1) > 1e-12 || math.Abs(g.Hi-1) > 1e-12 || g.N != 2 {
		t.Errorf("exact: %+v", g)
	}
	// Noisy rounds: the interval contains the center, and the same input gives the same interval.
	r := [][]float64{{0.9, 1.1, 1.0, 0.95, 1.05, 1.2}, {0.6, 0.7, 0.65, 0.8, 0.55, 0.62}}
	a, b := GeoMean(r), GeoMean(r)
	if !(a.Lo <= a.Center && a.Center <= a.Hi) || a != b || a.Confidence != 0.95 {
		t.Errorf("noisy: %+v vs %+v", a, b)
	}
	if few := GeoMean([][]float64{{1, 2, 3}}); few.HasInterval() {
		t.Errorf("three rounds give no interval: %+v", few)
	}
}

// Look 1 reads the planned samples at 95%; later looks halve what is left to spend, so the
// levels of looks 2, 3, ... spend 2.5%, 1.25%, ... and never add up past 5%.
func TestLookConfidence(t *testing.T) {
	for _, tc := range []struct {
		looks int
		want  float64
	}{{0, 0.95}, {1, 0.95}, {2, 0.975}, {3, 0.9875}, {5, 0.996875}} {
		if got := LookConfidence(tc.looks); math.Abs(got-tc.want) > 1e-12 {
			t.Errorf("%d looks: %v, want %v", tc.looks, got, tc.want)
		}
	}
	spent := 0.0
	for k := 2; k < 60; k++ {
		spent += 1 - LookConfidence(k)
	}
	if spent > 1-Confidence {
		t.Errorf("looks 2..59 spend %v, more than %v", spent, 1-Confidence)
	}
}

// An interval asked at a stricter level is at least as wide, and says its level.
func TestSummarizeAtLevel(t *testing.T) {
	v := []float64{5, 1, 9, 3, 7, 2, 8, 4, 6, 10, 11, 12}
	a, b := Summarize(v), SummarizeAt(v, 0.99)
	if !(b.Lo <= a.Lo && b.Hi >= a.Hi) || b.Confidence < 0.99 || a.Confidence < 0.95 {
		t.Errorf("95%%: %+v; 99%%: %+v", a, b)
	}
	if c := CompareAt(v, v, 0.99); math.Abs(c.Alpha-0.01) > 1e-12 || c.Significant {
		t.Errorf("CompareAt 99%%: %+v", c)
	}
	if g, h := GeoMean([][]float64{v, v}), GeoMeanAt([][]float64{v, v}, 0.99); !(h.Lo <= g.Lo && h.Hi >= g.Hi) || h.Confidence != 0.99 {
		t.Errorf("GeoMean 95%%: %+v; 99%%: %+v", g, h)
	}
}
