// Package stats summarises samples the way benchstat does (golang.org/x/perf/benchmath):
// medians with distribution-free confidence intervals, Mann-Whitney U comparisons, and
// ratios of two summaries with a conservative interval.
package stats

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"golang.org/x/perf/benchmath"
)

// Confidence is the level every interval is asked for. The interval given holds at least at
// this level; Summary.Confidence is the level it actually has (order statistics come in steps:
// with 6 samples the interval is [min, max], at 96.9%).
const Confidence = 0.95

// Summary is a median with its confidence interval, in the samples' unit.
type Summary struct {
	Center, Lo, Hi float64
	// Confidence is the interval's actual level (>= the Confidence asked for), 0 without one.
	Confidence float64
	N          int
	// Warnings say why the interval is missing or weak (too few samples, outliers).
	Warnings []string
}

// LookConfidence is the level to ask of an interval at look number looks, for sequential
// sampling: look 1 reads the planned samples at Confidence; a case given more rounds because
// a verdict was still undecided is looked at again, and look k (k >= 2) asks for
// 1 - (1-Confidence)/2^(k-1). The later looks' chances of deciding wrongly add up to less
// than 1 - Confidence however many there are (alpha spending, halved at each look), so with
// the first look's a claim's chance of a wrong verdict stays under twice a fixed design's
// (10% against 5%), where looking again at an uncorrected level would let it grow without
// bound.
func LookConfidence(looks int) float64 {
	if looks <= 1 {
		return Confidence
	}
	return 1 - (1-Confidence)/math.Pow(2, float64(looks-1))
}

// Summarize is SummarizeAt the Confidence level.
func Summarize(values []float64) Summary { return SummarizeAt(values, Confidence) }

// SummarizeAt assumes nothing about the distribution: the center is the median and the
// interval, at level (0.95 for 95%), comes from order statistics. With too few samples for
// an interval at that level (fewer than 6 at 95%, 7 at 97.5%) Lo and Hi are NaN, and the
// warning says so.
func SummarizeAt(values []float64, level float64) Summary {
	if len(values) == 0 {
		return Summary{Center: math.NaN(), Lo: math.NaN(), Hi: math.NaN(), Warnings: []string{"no samples"}}
	}
	// benchmath sorts the slice it is given: hand it a copy, so callers keep their order
	// (interleaved rounds pair by position).
	s := benchmath.NewSample(slices.Clone(values), &benchmath.DefaultThresholds)
	sum := benchmath.AssumeNothing.Summary(s, level)
	out := Summary{Center: sum.Center, Lo: sum.Lo, Hi: sum.Hi, Confidence: sum.Confidence, N: len(values)}
	for _, w := range append(s.Warnings, sum.Warnings...) {
		out.Warnings = append(out.Warnings, w.Error())
	}
	if math.IsInf(out.Lo, 0) || math.IsInf(out.Hi, 0) {
		out.Lo, out.Hi, out.Confidence = math.NaN(), math.NaN(), 0
	}
	return out
}

// HasInterval reports whether the summary has a confidence interval.
func (s Summary) HasInterval() bool { return !math.IsNaN(s.Lo) && !math.IsNaN(s.Hi) }

// Comparison is a Mann-Whitney U test of two samples.
type Comparison struct {
	P           float64
	Alpha       float64
	Significant bool // P < Alpha: the samples differ
	N1, N2      int
	Warnings    []string
}

// Compare is CompareAt the Confidence level (significant at p < 0.05).
func Compare(a, b []float64) Comparison { return CompareAt(a, b, Confidence) }

// CompareAt tests whether a and b come from different distributions, significant when
// p < 1-level.
func CompareAt(a, b []float64, level float64) Comparison {
	t := benchmath.DefaultThresholds
	t.CompareAlpha = 1 - level
	c := benchmath.AssumeNothing.Compare(benchmath.NewSample(slices.Clone(a), &t), benchmath.NewSample(slices.Clone(b), &t))
	out := Comparison{P: c.P, Alpha: c.Alpha, N1: c.N1, N2: c.N2, Significant: c.P < c.Alpha}
	for _, w := range c.Warnings {
		out.Warnings = append(out.Warnings, w.Error())
	}
	return out
}

func (c Comparison) String() string {
	if c.Significant {
		return fmt.Sprintf("p=%.3f n=%d+%d", c.P, c.N1, c.N2)
	}
	return fmt.Sprintf("no significant difference (p=%.3f n=%d+%d)", c.P, c.N1, c.N2)
}

// Ratio is a/b with an interval, its actual confidence and how it was made.
type Ratio struct {
	Center, Lo, Hi float64
	Confidence     float64 // the interval's level; 0 without one
	N              int     // pairs (PairedRatio) or the smaller sample (RatioOf)
	Method         string  // how the interval was made, for the reader
}

// PairedRatio is a/b for samples taken in interleaved rounds: a[i] and b[i] ran in the same
// round, so each round gives one ratio, and the ratio's median gets the same distribution-free
// interval a median does (order statistics; benchmath's AssumeNothing). Pairing cancels what a
// noisy phase of the machine does to both alike. Unequal lengths use the common rounds.
func PairedRatio(a, b []float64) Ratio { return PairedRatioAt(a, b, Confidence) }

// PairedRatioAt is PairedRatio with its interval at level.
func PairedRatioAt(a, b []float64, level float64) Ratio {
	s := SummarizeAt(Ratios(a, b), level)
	return Ratio{Center: s.Center, Lo: s.Lo, Hi: s.Hi, Confidence: s.Confidence, N: s.N,
		Method: "median of per-round ratios, distribution-free interval"}
}

// RatioOf divides two positive summaries of samples that were not paired. The interval spans
// the ratios of the summaries' interval ends (a.Lo/b.Hi .. a.Hi/b.Lo); it holds at least at
// the level both intervals hold jointly, which for two independent intervals at levels p and
// q is at least p+q-1 (Bonferroni): about 90% for two 95% intervals, as Confidence says.
// Exact values (binary sizes) give a zero-width interval.
func RatioOf(a, b Summary) Ratio {
	r := Ratio{Center: a.Center / b.Center, Lo: math.NaN(), Hi: math.NaN(), N: min(a.N, b.N),
		Method: "ratio of the two intervals' ends (unpaired, conservative)"}
	if a.HasInterval() && b.HasInterval() && b.Lo > 0 {
		r.Lo, r.Hi = a.Lo/b.Hi, a.Hi/b.Lo
		r.Confidence = max(0, a.Confidence+b.Confidence-1)
	}
	return r
}

// HasInterval reports whether the ratio has an interval.
func (r Ratio) HasInterval() bool { return !math.IsNaN(r.Lo) && !math.IsNaN(r.Hi) }

// Summary views the ratio as a summary, to judge it against a range.
func (r Ratio) Summary() Summary {
	return Summary{Center: r.Center, Lo: r.Lo, Hi: r.Hi, Confidence: r.Confidence, N: r.N}
}

// Exact is the summary of a value measured once that does not vary (a file's size).
func Exact(v float64) Summary { return Summary{Center: v, Lo: v, Hi: v, Confidence: 1, N: 1} }

// Advice turns the summary's warnings into what a person can do about them, as hyperfine
// does: "n=5: a 95% interval needs at least 6 samples; raise --repeat". It also flags an
// interval wider than a fifth of the median: the machine was noisy for this measurement.
func (s Summary) Advice() []string {
	var out []string
	for _, w := range s.Warnings {
		var op string
		var need int
		var level float64
		switch {
		case w == "no samples":
			out = append(out, "no samples: the case did not run or failed before its first timed run")
		case scan(w, "need %s %d samples for confidence interval at level %g", &op, &need, &level):
			out = append(out, fmt.Sprintf("n=%d: a %.0f%% interval needs at least %d samples; raise --repeat", s.N, level*100, need))
		default:
			out = append(out, w)
		}
	}
	if s.HasInterval() && s.Center > 0 && (s.Hi-s.Lo) > 0.2*s.Center {
		out = append(out, fmt.Sprintf("n=%d: the interval spans %.0f%% of the median: the machine was noisy; quiet it, or raise --repeat", s.N, 100*(s.Hi-s.Lo)/s.Center))
	}
	return out
}

func scan(s, format string, args ...any) bool {
	n, err := fmt.Sscanf(s, format, args...)
	return err == nil && n == len(args)
}

// bootstrapRounds is how many resamples GeoMean draws; its seed is fixed so the same samples
// always give the same interval (reports are regenerated byte for byte).
const bootstrapRounds = 4000

// GeoMean is GeoMeanAt the Confidence level.
func GeoMean(rounds [][]float64) Ratio { return GeoMeanAt(rounds, Confidence) }

// GeoMeanAt is the geometric mean across kernels of each kernel's median per-round ratio, with
// a percentile-bootstrap interval at level: each resample draws every kernel's per-round
// ratios with replacement, takes their medians and their geometric mean. rounds[k] are kernel
// k's per-round ratios (PairedRatio's inputs divided); a kernel with no ratio is left out.
func GeoMeanAt(rounds [][]float64, level float64) Ratio {
	var sets [][]float64
	for _, r := range rounds {
		if len(r) > 0 {
			sets = append(sets, r)
		}
	}
	out := Ratio{Lo: math.NaN(), Hi: math.NaN(), N: len(sets),
		Method: fmt.Sprintf("geometric mean of %d kernels' median per-round ratios, percentile bootstrap over rounds", len(sets))}
	if len(sets) == 0 {
		out.Center = math.NaN()
		return out
	}
	geo := func(medians []float64) float64 {
		s := 0.0
		for _, m := range medians {
			s += math.Log(m)
		}
		return math.Exp(s / float64(len(medians)))
	}
	medians := make([]float64, len(sets))
	for i, r := range sets {
		medians[i] = Median(r)
	}
	out.Center = geo(medians)
	for _, r := range sets {
		if len(r) < 6 {
			return out // too few rounds for a resampled interval to mean anything
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	boot := make([]float64, bootstrapRounds)
	draw := make([]float64, 0, 64)
	for b := range boot {
		for i, r := range sets {
			draw = draw[:0]
			for range r {
				draw = append(draw, r[rng.IntN(len(r))])
			}
			medians[i] = Median(draw)
		}
		boot[b] = geo(medians)
	}
	slices.Sort(boot)
	// The tails hold a whole number of resamples: a level beyond what bootstrapRounds can
	// resolve gets the outermost resamples, and says the level those have.
	lo := int(math.Round((1 - level) / 2 * bootstrapRounds))
	out.Confidence = level
	if lo < 1 {
		lo, out.Confidence = 1, 1-2.0/bootstrapRounds
	}
	out.Lo, out.Hi = boot[lo], boot[bootstrapRounds-lo-1]
	return out
}

// Ratios are the per-round ratios a[i]/b[i] of samples taken in the same interleaved rounds.
func Ratios(a, b []float64) []float64 {
	var out []float64
	for i := range min(len(a), len(b)) {
		if b[i] > 0 {
			out = append(out, a[i]/b[i])
		}
	}
	return out
}

// Median is the median of v (the mean of the middle two for an even count); NaN for none.
func Median(v []float64) float64 {
	if len(v) == 0 {
		return math.NaN()
	}
	s := slices.Clone(v)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}
