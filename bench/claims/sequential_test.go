package claims

import (
	"slices"
	"testing"
	"time"

	"github.com/gorustbench/gorustbench/bench/key"
	"github.com/gorustbench/gorustbench/bench/suite"
)

// An interval straddling a threshold is undecided; a threshold under the floor is not (more
// samples cannot lift the floor); decided claims need nothing.
func TestUndecidedAndExtra(t *testing.T) {
	straddle := ffiRun(5, 1).verdict(t, "cgo-overhead-large") // about 5x: the interval straddles 5
	if straddle.Verdict != Inconclusive {
		t.Fatalf("cgo 5x: %+v", straddle)
	}
	// 3x lies between "small" (under 2) and "large" (5 or more): a narrower interval stays there.
	gap := ffiRun(3, 1).verdict(t, "cgo-overhead-large")
	floor := latencyRun(600, 80, 150).verdict(t, "realtime-latency")
	decided := ffiRun(30, 1).verdict(t, "cgo-overhead-large")
	// A lower bound below "20 MB+" says nothing, and more samples cannot change that.
	below := memoryRun(8, 3).verdict(t, "memory-serverless")
	us := Undecideds([]Verdict{straddle, floor, decided, below, gap})
	if len(us) != 1 || us[0].Claim != "cgo-overhead-large" || !slices.Equal(us[0].Cases, []string{
		ffiKey(suite.GoCgo).Case().String(), ffiKey(suite.GoPlain).Case().String()}) {
		t.Errorf("undecided: %+v", us)
	}
	cgo, plain := ffiKey(suite.GoCgo).Case().String(), ffiKey(suite.GoPlain).Case().String()
	// Both cases are of one group: a round of it is paid for once.
	cost := map[string]time.Duration{cgo: 3 * time.Second, plain: 3 * time.Second}
	group := map[string]string{cgo: "FFI", plain: "FFI"}
	if cases, c, _ := Extra([]Verdict{straddle}, cost, group, time.Minute); len(cases) != 2 || c != 3*time.Second {
		t.Errorf("one round of their group: %v %s", cases, c)
	}
	// In two groups, each is paid for.
	group[plain] = "FFI2"
	if cases, c, _ := Extra([]Verdict{straddle}, cost, group, time.Minute); len(cases) != 2 || c != 6*time.Second {
		t.Errorf("one round of two groups: %v %s", cases, c)
	}
	if cases, _, why := Extra([]Verdict{straddle}, cost, group, 2*time.Second); len(cases) != 0 || len(why) != 1 {
		t.Errorf("over budget: %v %v", cases, why)
	}
	delete(cost, plain)
	if cases, _, _ := Extra([]Verdict{straddle}, cost, group, time.Minute); len(cases) != 0 {
		t.Errorf("unknown cost: %v", cases)
	}
}

// A depends verdict says what each pairing says, and a table cell shows it.
func TestDependsSaysWhatEachPairingSays(t *testing.T) {
	v := echoMax(newFakeRun(), map[string]float64{suite.GoStd: 20e3, suite.GoFastHTTP: 50e3, suite.RustAxum: 30e3, suite.RustHyper: 28e3}).verdict(t, "io-model")
	want := "depends: holds for idiomatic (go-std vs rust-axum), contradicted for best (go-fasthttp vs rust-axum)"
	if v.Headline() != want {
		t.Errorf("headline %q, want %q", v.Headline(), want)
	}
	if w := ffiRun(30, 1.05).verdict(t, "ffi-cost"); w.Headline() != Holds || w.Says() != "" {
		t.Errorf("a claim without pairings: %q %q", w.Headline(), w.Says())
	}
}

// A part that read warm start-ups names their start-up key (timed starts alone add to it);
// one that read cold starts is not undecided (extra rounds take none); others name the case.
func TestRestsNamesWhatMoreRoundsAdd(t *testing.T) {
	echo := key.Key{Bench: "Echo", Impl: suite.GoStd}
	p := rests(Part{Verdict: Inconclusive}, echo.Startup(false), echo.AtLevel(key.Medium))
	if !p.Undecided || !slices.Equal(p.Cases, []string{echo.Startup(false).String(), echo.String()}) {
		t.Errorf("warm starts and load: %+v", p)
	}
	if p := rests(Part{Verdict: Inconclusive}, echo.Startup(true)); p.Undecided {
		t.Errorf("cold starts: %+v", p)
	}
}

// A level under 1 never prints as 100%: after 8 looks a distribution-free interval's coverage
// is 99.96%, which "%.3g" rounded up.
func TestPctNeverRoundsUpTo100(t *testing.T) {
	for _, tc := range []struct {
		c    float64
		want string
	}{
		{0.95, "95%"},
		{0.96875, "96.9%"},
		{0.99961, "99.96%"},
		{0.9999996, "99.99996%"},
		{1, "100%"},
	} {
		if got := pct(tc.c); got != tc.want {
			t.Errorf("pct(%v) = %q, want %q", tc.c, got, tc.want)
		}
	}
}
