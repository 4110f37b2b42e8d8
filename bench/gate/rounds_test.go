package gate

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/gorustbench/gorustbench/bench/results"
)

// rounds makes n interleaved rounds from the fixture: round i's baseline starts at 2i seconds
// and its candidate at 2i+1; base(i) and cand(i) return each side's run of round i.
func rounds(t *testing.T, n int, base, cand func(b *results.Run, i int) *results.Run) (bs, cs []*results.Run) {
	t.Helper()
	b := load(t)
	t0 := b.Manifest.Started
	for i := range n {
		br, cr := base(b, i), cand(b, i)
		br.Manifest.Started = t0.Add(time.Duration(2*i) * time.Second)
		cr.Manifest.Started = t0.Add(time.Duration(2*i+1) * time.Second)
		br.Path, cr.Path = "base-"+string(rune('1'+i)), "head-"+string(rune('1'+i))
		bs, cs = append(bs, br), append(cs, cr)
	}
	return bs, cs
}

func same(b *results.Run, _ int) *results.Run { return scaled(b, "", "", 1) }

// slowAll slows every exec time of the fixture by f in the round.
func slowAll(f float64) func(b *results.Run, i int) *results.Run {
	return func(b *results.Run, _ int) *results.Run { return scaled(b, "Hello/", "exec-ns", f) }
}

func regressed(res *Result) []string {
	var out []string
	for _, l := range res.Lines {
		if l.Status == Regressed {
			out = append(out, l.Row.Name+" "+l.Row.Unit)
		}
	}
	return out
}

func TestInterleave(t *testing.T) {
	bs, cs := rounds(t, 3, same, same)
	if p, why := Interleave(bs, cs); len(p) != 3 || why != "" || p[1][0] != bs[1] || p[1][1] != cs[1] {
		t.Errorf("three alternating rounds: %v %q", p, why)
	}
	// The candidate's rounds all after the baseline's: not interleaved.
	for i, c := range cs {
		c.Manifest.Started = bs[2].Manifest.Started.Add(time.Duration(i+1) * time.Second)
	}
	if p, why := Interleave(bs, cs); p != nil || !strings.Contains(why, "do not alternate") {
		t.Errorf("back to back: %v %q", p, why)
	}
	b2, c2 := rounds(t, 2, same, same)
	res, err := Judge(b2, c2, Options{Threshold: 0.05})
	if err != nil || len(res.Pairs) != 2 || len(res.Warnings) != 1 || !strings.Contains(res.Warnings[0], "only 2 rounds") {
		t.Errorf("two rounds: %v %+v", err, res)
	}
	if p, why := Interleave(bs[:1], cs[:1]); p != nil || why != "one run a side" {
		t.Errorf("one a side: %v %q", p, why)
	}
	if p, why := Interleave(bs, cs[:2]); p != nil || why != "3 baseline and 2 candidate runs" {
		t.Errorf("unequal: %v %q", p, why)
	}
}

// A slow minute moves one round's two sides alike: paired by round, it is no regression.
func TestSlowRoundIsNoRegression(t *testing.T) {
	slowRound := func(b *results.Run, i int) *results.Run {
		if i == 1 {
			return scaled(b, "impl=go-std", "exec-ns", 1.6)
		}
		return same(b, i)
	}
	bs, cs := rounds(t, 3, slowRound, slowRound)
	res, err := Judge(bs, cs, Options{Threshold: 0.05})
	if err != nil {
		t.Fatal(err)
	}
	if res.Pairs == nil || res.Exit() != 0 || len(res.Warnings) != 0 {
		t.Errorf("exit %d, pairs %d, warnings %v, regressed %v", res.Exit(), len(res.Pairs), res.Warnings, regressed(res))
	}
}

// A slowdown in every candidate round is a regression, named alone, judged over the rounds.
func TestRoundByRoundRegression(t *testing.T) {
	bs, cs := rounds(t, 3, same, func(b *results.Run, i int) *results.Run {
		return scaled(b, "impl=go-std", "exec-ns", 1.4*(1+0.01*float64(i)))
	})
	res, err := Judge(bs, cs, Options{Threshold: 0.05})
	if err != nil {
		t.Fatal(err)
	}
	if got := regressed(res); res.Exit() != 1 || len(got) != 1 || got[0] != "Hello/impl=go-std exec-ns" {
		t.Fatalf("exit %d, regressed %v", res.Exit(), got)
	}
	for _, l := range res.Lines {
		if l.Status == Regressed && (l.Est.Rounds != 3 || !strings.Contains(l.Why, "3 rounds")) {
			t.Errorf("not judged over the rounds: %+v %s", l.Est, l.Why)
		}
	}
}

// When the control and the other cases' times moved alike, the machine changed: exit 2, not
// a regression of every case.
func TestMachineChanged(t *testing.T) {
	bs, cs := rounds(t, 3, same, slowAll(1.3))
	res, err := Judge(bs, cs, Options{Threshold: 0.05})
	if err != nil {
		t.Fatal(err)
	}
	if res.Exit() != 2 || !strings.Contains(res.Machine, "the machine changed by +30.0%") {
		t.Errorf("exit %d, machine %q", res.Exit(), res.Machine)
	}
	// Not interleaved: judged through the control alone, with a warning, and the same answer.
	res, err = judgeRuns(load(t), slowAll(1.3)(load(t), 0), Options{Threshold: 0.05})
	if err != nil {
		t.Fatal(err)
	}
	if res.Exit() != 2 || len(res.Warnings) != 1 || !strings.Contains(res.Warnings[0], "not interleaved") {
		t.Errorf("pooled: exit %d, warnings %v", res.Exit(), res.Warnings)
	}
}

// The control's own peer slowed (the calibration's injected burn): the others did not move,
// so it is a regression of that case, not the machine.
func TestControlMovedAlone(t *testing.T) {
	bs, cs := rounds(t, 3, same, func(b *results.Run, i int) *results.Run {
		return scaled(b, "impl=c-std", "exec-ns", 1.4)
	})
	res, err := Judge(bs, cs, Options{Threshold: 0.05})
	if err != nil {
		t.Fatal(err)
	}
	if got := regressed(res); res.Exit() != 1 || len(got) != 1 || got[0] != "Hello/impl=c-std exec-ns" {
		t.Errorf("exit %d, regressed %v, control %q", res.Exit(), got, res.Control)
	}
	if !strings.Contains(res.Control, "the control's own peer changed") {
		t.Errorf("control: %q", res.Control)
	}
}

// By default only the primary units are gated: a tripled sys-ns is not looked at; named, a
// baseline of 0 is not a percentage.
func TestDefaultMetricsAndZeroBaseline(t *testing.T) {
	b := load(t)
	res, err := judgeRuns(b, scaled(b, "Hello/", "sys-ns", 3), Options{Threshold: 0.05})
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range res.Lines {
		if l.Row.Unit != "exec-ns" && l.Row.Unit != "ns/op" && l.Row.Unit != "peak-RSS-B" && !l.Row.Exact {
			t.Errorf("gated by default: %s %s", l.Row.Name, l.Row.Unit)
		}
	}
	res, err = judgeRuns(b, scaled(b, "impl=c-std", "sys-ns", 3), Options{Threshold: 0.05, Metrics: []string{"sys-ns"}})
	if err != nil {
		t.Fatal(err)
	}
	if st := status(t, res, "Hello/impl=c-std", "sys-ns"); st != NotGated {
		t.Errorf("a baseline of 0: %s", st)
	}
}

func TestBenjaminiHochberg(t *testing.T) {
	// m=5 at q=0.05: thresholds 0.01 0.02 0.03 0.04 0.05. Sorted 0.001 0.012 0.035 0.04 0.9:
	// the largest k with p(k) <= k q/m is 4 (0.04 <= 0.04), so the first four are discoveries.
	got := BenjaminiHochberg([]float64{0.9, 0.035, 0.001, math.NaN(), 0.04, 0.012}, 0.05)
	want := []bool{false, true, true, false, true, true}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("%d: got %v, want %v", i, got, want)
		}
	}
	// One real change among twenty metrics, one of the others at p=0.03 by chance: alone at
	// alpha 0.05 it would fail the gate; among twenty it is no discovery (0.03 > 2 q/20).
	ps := make([]float64, 20)
	for i := range ps {
		ps[i] = 0.2 + 0.04*float64(i)
	}
	ps[0], ps[1] = 0.001, 0.03
	if got := BenjaminiHochberg(ps, 0.05); !got[0] || got[1] {
		t.Errorf("one real among chance results: %v", got)
	}
}

func TestUnstable(t *testing.T) {
	format := func(v float64) string { return time.Duration(v).String() }
	bimodal := []float64{2.2e6, 2.21e6, 2.19e6, 2.25e6, 3.5e6, 3.45e6, 3.52e6, 2.2e6, 3.48e6}
	if u := Unstable(bimodal, format); !strings.Contains(u, "bimodal: 5 samples near 2.2ms and 4 near 3.49ms") {
		t.Errorf("binary-trees' two modes: %q", u)
	}
	for _, v := range [][]float64{
		{760e3, 770e3, 755e3, 790e3, 810e3, 765e3, 1.9e6}, // one outlier is not two modes
		{1, 1.1, 1.2, 1.3, 1.4, 1.5, 1.6, 1.7},            // spread, but no gap
		{1, 2, 3},                                         // too few to tell
	} {
		if u := Unstable(v, format); u != "" {
			t.Errorf("%v: %q", v, u)
		}
	}
}

// The summary's headline says which of the three outcomes it is, before any number.
func TestMarkdownHeadlines(t *testing.T) {
	o := Options{Threshold: 0.05, Alpha: 0.05}
	bs, cs := rounds(t, 3, same, slowAll(1.3))
	res, err := Judge(bs, cs, o)
	if err != nil {
		t.Fatal(err)
	}
	var sb strings.Builder
	Markdown(&sb, res, bs[0], cs[0], o)
	for _, want := range []string{"## ⚠️ gorustbench gate: cannot judge, the machine changed\n\nthe machine changed by +30.0%",
		"3 interleaved rounds, compared round by round", "- control (the C hello's exec time): +30.0%"} {
		if !strings.Contains(sb.String(), want) {
			t.Errorf("summary lacks %q:\n%s", want, sb.String())
		}
	}
	res.Broken = []string{"Hello/impl=c-std: failed in candidate run head-1 (timed out after 10s)"}
	sb.Reset()
	Markdown(&sb, res, bs[0], cs[0], o)
	if !strings.HasPrefix(sb.String(), "## ❌ gorustbench gate: 1 case(s) broken in the candidate") || res.Exit() != 1 {
		t.Errorf("broken: exit %d\n%s", res.Exit(), sb.String())
	}
}
