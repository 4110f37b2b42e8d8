package plot

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/gorustbench/gorustbench/bench/claims"
)

// TestOverview: one row per claim, each verdict in its colour (a word this version does not
// know in a neutral one, named in the legend), a figure beyond the axis drawn at its edge, and
// a claim without a figure labelled with why.
func TestOverview(t *testing.T) {
	nan := math.NaN()
	verdicts := []claims.Verdict{
		{Claim: "a", Verdict: claims.Holds}, {Claim: "b", Verdict: "depends"},
		{Claim: "c", Verdict: "a word from the future"}, {Claim: "d", Verdict: claims.NotMeasured}, {Claim: "e", Verdict: claims.Contradicted},
	}
	rng := claims.Range{Lo: 2, Hi: math.Inf(1), Label: "report: at least 2"}
	heads := []claims.Headline{
		{Claim: "a", What: "x", Value: 3, Lo: 2.5, Hi: 4, N: 6, Range: rng},
		{Claim: "b", What: "x", Value: 1, Lo: 0.5, Hi: 3, N: 6, Range: claims.Range{Lo: 0, Hi: 1e6, Label: "report: under 1 ms"}},
		{Claim: "c", What: "x", Value: 1e9, Lo: nan, Hi: nan, N: 1, Range: rng},
		{Claim: "d", Value: nan, Lo: nan, Hi: nan, Missing: "the workload did not run"},
		{Claim: "e", What: "x", Value: 1e-9, Lo: nan, Hi: nan, N: 1, Range: rng},
	}
	svg, err := Overview(verdicts, heads)
	if err != nil {
		t.Fatal(err)
	}
	s := string(svg)
	hex := func(v string) string {
		c := VerdictColor(v)
		return fmt.Sprintf("#%02X%02X%02X", c.R, c.G, c.B)
	}
	for _, want := range []string{">a<", ">e<", hex(claims.Holds), hex("depends"), hex("a word from the future"), hex(claims.Contradicted),
		">a word from the future<", ">depends<", "not measured: the workload did not run", "1: the claimed bound"} {
		if !strings.Contains(s, want) {
			t.Errorf("the overview lacks %q", want)
		}
	}
	if VerdictColor("a word from the future") == VerdictColor(claims.Inconclusive) || VerdictColor("depends") == VerdictColor(claims.Holds) {
		t.Error("verdict colours collide")
	}
	again, _ := Overview(verdicts, heads)
	if string(again) != s {
		t.Error("two overviews of the same verdicts differ")
	}
}
