package claims

import (
	"encoding/json"
	"fmt"
	"math"
	"strings"

	"github.com/gorustbench/gorustbench/bench/stats"
	"github.com/gorustbench/gorustbench/bench/units"
)

// Thresholds are a claim's cut-offs, in one place, as benchmath keeps its own in one
// Thresholds: per part, the range whose containing the whole interval holds and the spans
// whose containing it contradicts (Range); and how far above the instrument's floor a
// threshold must lie to be judged at all. The rules judge against them, the charts shade the
// holds ranges, and RuleText states them.
type Thresholds struct {
	// Ranges are the figures the claim states, once per part.
	Ranges []Range `json:"ranges,omitempty"`
	// FloorMargin: a threshold within FloorMargin times the upper end of the instrument's
	// floor is below what the machine resolves, and the part is inconclusive. 0: the claim
	// is not judged against a floor.
	FloorMargin float64 `json:"floor_margin,omitempty"`
}

// Span is a set of values: [Lo, Hi), (Lo, Hi) when LoOpen, [Lo, Hi] when Closed. Hi is +Inf
// for "at least Lo".
type Span struct {
	Lo     float64 `json:"lo"`
	Hi     float64 `json:"hi"`
	LoOpen bool    `json:"lo_open,omitempty"`
	Closed bool    `json:"closed,omitempty"`
}

// Bound says what a measurement is of the quantity a claim is about.
const (
	// Value: the measurement is the quantity itself.
	Value = ""
	// LowerBound: the measurement bounds the quantity from below (a bare echo service for a
	// "medium service" or a serverless function): it contradicts a range only from above,
	// and holds a range only when that range has no upper end.
	LowerBound = "lower bound"
)

// contains reports whether the whole interval [lo, hi] lies in the span.
func (s Span) contains(lo, hi float64) bool {
	above := lo >= s.Lo
	if s.LoOpen {
		above = lo > s.Lo
	}
	below := hi < s.Hi
	if s.Closed {
		below = hi <= s.Hi
	}
	return above && below
}

// outside reports whether the whole interval [lo, hi] lies outside the span.
func (s Span) outside(lo, hi float64) bool {
	left := hi < s.Lo
	if s.LoOpen {
		left = hi <= s.Lo
	}
	right := lo >= s.Hi
	if s.Closed {
		right = lo > s.Hi
	}
	return left || right
}

// String writes the span in interval notation, values in unit: "[10 ms, 100 ms)", "[5, ∞)".
func (s Span) String(unit string) string {
	open, closeB := "[", ")"
	if s.LoOpen {
		open = "("
	}
	if s.Closed {
		closeB = "]"
	}
	return open + rangeValue(unit, s.Lo) + ", " + rangeValue(unit, s.Hi) + closeB
}

func rangeValue(unit string, v float64) string {
	if math.IsInf(v, 1) {
		return "∞"
	}
	if _, ok := units.Lookup(unit); ok {
		if strings.HasSuffix(units.Format(unit, 1<<20), "MiB") { // bytes: the report's MB and KB are decimal
			switch {
			case v >= 1e6:
				return fmt.Sprintf("%.4g MB", v/1e6)
			case v >= 1e3:
				return fmt.Sprintf("%.4g KB", v/1e3)
			}
			return fmt.Sprintf("%.4g B", v)
		}
		return units.Format(unit, v)
	}
	return fmt.Sprintf("%.4g", v)
}

// span is the holds range as a Span.
func (r Range) span() Span { return Span{Lo: r.Lo, Hi: r.Hi, Closed: r.Closed} }

// judgeRange judges an interval against a part's range: inside the holds range holds; inside
// one of the contradicting spans (or, when the range names none, entirely outside the holds
// range) contradicts; anything else, and no interval, is inconclusive. A lower bound holds
// only a range without an upper end and contradicts only from above.
func judgeRange(s stats.Summary, r Range) string {
	if !s.HasInterval() {
		return Inconclusive
	}
	if r.Bound == LowerBound {
		switch {
		case math.IsInf(r.Hi, 1) && s.Lo >= r.Lo:
			return Holds
		case !math.IsInf(r.Hi, 1) && r.span().outside(s.Lo, s.Hi) && s.Lo >= r.Hi:
			return Contradicted
		}
		return Inconclusive
	}
	if r.span().contains(s.Lo, s.Hi) {
		return Holds
	}
	if len(r.Contradicts) == 0 {
		if r.span().outside(s.Lo, s.Hi) {
			return Contradicted
		}
		return Inconclusive
	}
	for _, c := range r.Contradicts {
		if c.contains(s.Lo, s.Hi) {
			return Contradicted
		}
	}
	return Inconclusive
}

// straddles reports whether the interval [lo, hi] contains one of the range's deciding edges,
// so that more samples (a narrower interval) could decide it. For a lower bound only the edge
// it can decide on counts: the lower end of a range without an upper end, else the upper end.
func (r Range) straddles(lo, hi float64) bool {
	in := func(b float64) bool { return !math.IsInf(b, 0) && lo <= b && b <= hi }
	if r.Bound == LowerBound {
		if math.IsInf(r.Hi, 1) {
			return in(r.Lo)
		}
		return in(r.Hi)
	}
	if in(r.Lo) || in(r.Hi) {
		return true
	}
	for _, c := range r.Contradicts {
		if in(c.Lo) || in(c.Hi) {
			return true
		}
	}
	return false
}

// decidable keeps a part undecided only where more samples could decide it against r: it has
// no interval yet, or its interval straddles one of r's edges.
func decidable(p Part, s stats.Summary, r Range) Part {
	if p.Undecided && s.HasInterval() {
		p.Undecided = r.straddles(s.Lo, s.Hi)
	}
	return p
}

// Text states the part's thresholds: "go/rust: holds if the interval lies in [2, ∞),
// contradicted if it lies entirely in [0, 2)".
func (r Range) Text() string {
	unit := r.Unit
	s := fmt.Sprintf("%s (%s): holds if the interval lies in %s", r.Part, unit, r.span().String(unit))
	if r.Bound == LowerBound {
		s = fmt.Sprintf("%s (%s, measured as a lower bound): ", r.Part, unit)
		if math.IsInf(r.Hi, 1) {
			return s + fmt.Sprintf("holds if the interval lies at or above %s, else inconclusive (a lower bound below a figure says nothing)", rangeValue(unit, r.Lo))
		}
		return s + fmt.Sprintf("contradicted only if the interval lies at or above %s (the lower bound above the claimed %s), else inconclusive", rangeValue(unit, r.Hi), r.span().String(unit))
	}
	if len(r.Contradicts) == 0 {
		return s + ", contradicted if it lies entirely outside it, else inconclusive"
	}
	var cs []string
	for _, c := range r.Contradicts {
		cs = append(cs, c.String(unit))
	}
	return s + ", contradicted if it lies entirely in " + strings.Join(cs, " or ") + ", else inconclusive"
}

// PartLabel is the part's name in a verdict, from the range's chart label.
func (r Range) PartLabel() string { return strings.TrimPrefix(r.Label, "report: ") }

// RuleText is the claim's rule as stated to a reader: the Rule, then the thresholds it
// judges against, generated from the claim's Thresholds and Pairings, so the text cannot
// drift from what the code does.
func (c *Claim) RuleText() string {
	s := []string{strings.TrimSuffix(c.Rule, ".") + "."}
	if len(c.Ranges) > 0 {
		var rs []string
		for _, r := range c.Ranges {
			rs = append(rs, r.Text())
		}
		s = append(s, "Thresholds: "+strings.Join(rs, "; ")+".")
	}
	if c.FloorMargin > 0 {
		s = append(s, fmt.Sprintf("A threshold within %gx the upper end of the instrument's floor is not judged (inconclusive).", c.FloorMargin))
	}
	if len(c.Pairings) > 0 {
		var ps []string
		for _, p := range c.Pairings {
			ps = append(ps, p.String())
		}
		s = append(s, "Judged on each pairing: "+strings.Join(ps, "; ")+". "+pairingRule)
	}
	for _, o := range []string{Holds, Contradicted, Depends} {
		if why, ok := c.Unreachable[o]; ok {
			s = append(s, fmt.Sprintf("It cannot be %s: %s.", o, why))
		}
	}
	return strings.Join(s, " ")
}

// MarshalJSON writes an open upper end (+Inf, which JSON cannot hold) as null.
func (s Span) MarshalJSON() ([]byte, error) {
	type plain Span
	var hi *float64
	if !math.IsInf(s.Hi, 1) {
		hi = &s.Hi
	}
	return json.Marshal(struct {
		plain
		Hi *float64 `json:"hi"`
	}{plain(s), hi})
}
