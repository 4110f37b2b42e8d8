package gate

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/gorustbench/gorustbench/bench/results"
	"github.com/gorustbench/gorustbench/bench/stats"
	"gonum.org/v1/gonum/stat/distuv"
)

// Estimate is a metric's change from baseline to candidate: the ratio candidate/baseline with
// an interval, and the p value of "no change".
type Estimate struct {
	Ratio, Lo, Hi float64 // Lo, Hi NaN when there is no interval
	P             float64 // NaN when untested
	Rounds        int     // paired rounds the estimate is over; 0 when pooled
	Method        string
}

// Pairs are baseline and candidate runs taken in interleaved rounds: Pairs[i] ran side by
// side, baseline and candidate one after the other.
type Pairs [][2]*results.Run

// Interleave pairs the two sides' runs by their start times when they came in interleaved
// rounds: sorted by start, every two consecutive runs are one of each side. It returns nil
// and why not otherwise (one run a side, unequal counts, runs of one side back to back).
func Interleave(base, cand []*results.Run) (Pairs, string) {
	if len(base) != len(cand) {
		return nil, fmt.Sprintf("%d baseline and %d candidate runs", len(base), len(cand))
	}
	if len(base) < 2 {
		return nil, "one run a side"
	}
	type run struct {
		r    *results.Run
		side int
	}
	var all []run
	for _, r := range base {
		all = append(all, run{r, 0})
	}
	for _, r := range cand {
		all = append(all, run{r, 1})
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].r.Manifest.Started.Before(all[j].r.Manifest.Started) })
	var out Pairs
	for i := 0; i < len(all); i += 2 {
		a, b := all[i], all[i+1]
		if a.side == b.side || !a.r.Manifest.Started.Before(b.r.Manifest.Started) {
			return nil, "the runs' start times do not alternate baseline, candidate (or candidate, baseline) round by round"
		}
		if a.side == 1 {
			a, b = b, a
		}
		out = append(out, [2]*results.Run{a.r, b.r})
	}
	return out, ""
}

// RoundValue is what one run contributes to a round's ratio: for a time (a unit in ns, or
// ns/op), the fastest of its samples; for anything else, the median. The noise a shared
// machine adds to a time is one-sided (other processes only ever delay a peer), so the fastest
// run is the code's cost with the least of the machine's in it: measured on the project's
// 2-vCPU VM under load, the spread of per-round ratios of identical runs was 5% for the C
// hello's fastest run against 19% for its median (docs/fleet.md). A regression confined to a
// tail of slow runs is not what the gate looks at. It also names the statistic.
func RoundValue(unit string, v []float64) (float64, string) {
	if strings.HasSuffix(unit, "-ns") || strings.HasSuffix(unit, "ns/op") {
		if len(v) == 0 {
			return math.NaN(), "fastest runs"
		}
		return slices.Min(v), "fastest runs"
	}
	return stats.Median(v), "medians"
}

// paired estimates the change round by round: each round gives the ratio of the candidate's
// RoundValue to the baseline's, and the interval is Student's t over the rounds' log ratios at
// confidence 1-alpha (the rounds are the unit: a slow minute moves one round's two sides
// alike, and moves the ratio little). Rounds whose baseline value is 0 are left out.
func paired(p Pairs, name, unit string, alpha float64) Estimate {
	var logs []float64
	what := ""
	for _, pr := range p {
		b, _ := RoundValue(unit, pr[0].Values(name, unit))
		c, w := RoundValue(unit, pr[1].Values(name, unit))
		what = w
		if b > 0 && c > 0 {
			logs = append(logs, math.Log(c/b))
		}
	}
	e := Estimate{Ratio: math.NaN(), Lo: math.NaN(), Hi: math.NaN(), P: math.NaN(), Rounds: len(logs),
		Method: fmt.Sprintf("per-round ratio of the %s, t interval over %d rounds", what, len(logs))}
	if len(logs) < 2 {
		return e
	}
	k := float64(len(logs))
	mean, sd := meanSD(logs)
	e.Ratio = math.Exp(mean)
	if sd == 0 {
		e.Lo, e.Hi = e.Ratio, e.Ratio
		e.P = map[bool]float64{true: 1, false: 0}[mean == 0]
		return e
	}
	t := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: k - 1}
	se := sd / math.Sqrt(k)
	half := t.Quantile(1-alpha/2) * se
	e.Lo, e.Hi = math.Exp(mean-half), math.Exp(mean+half)
	e.P = 2 * t.CDF(-math.Abs(mean/se))
	return e
}

func meanSD(v []float64) (mean, sd float64) {
	for _, x := range v {
		mean += x
	}
	mean /= float64(len(v))
	for _, x := range v {
		sd += (x - mean) * (x - mean)
	}
	return mean, math.Sqrt(sd / float64(len(v)-1))
}

// BenjaminiHochberg returns which of the p values are discoveries at false discovery rate q:
// with the m p values sorted, the largest k with p(k) <= k q / m and every smaller one. NaN p
// values are never discoveries and do not count in m.
func BenjaminiHochberg(p []float64, q float64) []bool {
	type ip struct {
		i int
		p float64
	}
	var s []ip
	for i, v := range p {
		if !math.IsNaN(v) {
			s = append(s, ip{i, v})
		}
	}
	sort.SliceStable(s, func(a, b int) bool { return s[a].p < s[b].p })
	m := float64(len(s))
	last := -1
	for k, v := range s {
		if v.p <= float64(k+1)*q/m {
			last = k
		}
	}
	out := make([]bool, len(p))
	for k := 0; k <= last; k++ {
		out[s[k].i] = true
	}
	return out
}

// Unstable says why samples cannot stand for one distribution, or "": a gap in the sorted
// samples splits them into two groups of at least a quarter each (and at least 3), the gap
// wider than a tenth of the median and than four times the spread (median absolute
// deviation, scaled to a standard deviation) of either group. A bimodal case (binary-trees at
// smoke size: 2.2 or 3.5 ms) moves its median by the mode it happens to land in, which no
// threshold can tell from a regression.
func Unstable(v []float64, format func(float64) string) string {
	n := len(v)
	if n < 6 {
		return ""
	}
	s := slices.Clone(v)
	slices.Sort(s)
	med := stats.Median(s)
	if med <= 0 {
		return ""
	}
	least := max(3, (n+3)/4)
	best, at := 0.0, -1
	for i := least; i <= n-least; i++ {
		gap := s[i] - s[i-1]
		if gap <= 0.1*med {
			continue
		}
		spread := max(mad(s[:i]), mad(s[i:]))
		if gap > 4*spread && gap > best {
			best, at = gap, i
		}
	}
	if at < 0 {
		return ""
	}
	return fmt.Sprintf("bimodal: %d samples near %s and %d near %s, a gap of %.0f%% of the median", at, format(stats.Median(s[:at])), n-at, format(stats.Median(s[at:])), 100*best/med)
}

// mad is the median absolute deviation scaled to a normal standard deviation.
func mad(v []float64) float64 {
	m := stats.Median(v)
	d := make([]float64, len(v))
	for i, x := range v {
		d[i] = math.Abs(x - m)
	}
	return 1.4826 * stats.Median(d)
}
