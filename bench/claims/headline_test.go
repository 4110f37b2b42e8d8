package claims

import (
	"testing"

	"github.com/gorustbench/gorustbench/bench/results"
	"github.com/gorustbench/gorustbench/bench/summary"
)

// TestHeadlinesOfFixture: every claim gets a headline, in the registry's order; each has a
// figure inside a claimed range with a bound, or says why not.
func TestHeadlinesOfFixture(t *testing.T) {
	run, err := results.Load("../report/testdata/run")
	if err != nil {
		t.Fatal(err)
	}
	tab, err := summary.Of(run)
	if err != nil {
		t.Fatal(err)
	}
	hs := Headlines(tab)
	if len(hs) != len(Registry) {
		t.Fatalf("%d headlines for %d claims", len(hs), len(Registry))
	}
	for i, h := range hs {
		t.Logf("%-20s %-60s %s | %s | bound %g", h.Claim, h.What, h.Text(), h.Claimed(), h.Bound())
		if h.Claim != Registry[i].ID {
			t.Errorf("headline %d is %s, want %s", i, h.Claim, Registry[i].ID)
		}
		if !h.OK() {
			if h.Missing == "" {
				t.Errorf("%s: no figure and no reason", h.Claim)
			}
			continue
		}
		if h.Bound() <= 0 || h.Claimed() == "" || h.What == "" {
			t.Errorf("%s: bound %g, claimed %q, what %q", h.Claim, h.Bound(), h.Claimed(), h.What)
		}
		if h.HasInterval() && (h.Lo > h.Value || h.Hi < h.Value) {
			t.Errorf("%s: %g outside its interval [%g, %g]", h.Claim, h.Value, h.Lo, h.Hi)
		}
	}
}
