package runner

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/gorustbench/gorustbench/bench/key"
	"github.com/gorustbench/gorustbench/bench/results"
	"github.com/gorustbench/gorustbench/bench/suite"
)

func (c *counting) Replan(total int, _ string) { c.total = total }

// Sequential sampling: the groups of the cases More names get its rounds, interleaved, after
// the planned ones (the whole group, so that samples paired by round stay paired); each case
// records its looks; the progress total follows. A server named by its warm start-up key
// gets timed starts alone, which record start looks.
func TestMoreRounds(t *testing.T) {
	for _, tc := range []struct {
		name   string
		server bool
		pick   func(cs []*suite.Case) []string
		// samples: per case, after 2 extra rounds
		want func(planned []int) []int
	}{
		{"batch", false, func(cs []*suite.Case) []string { return []string{cs[0].Name()} },
			func(p []int) []int { return []int{p[0] + 2, p[1] + 2} }},
		{"server round", true, func(cs []*suite.Case) []string { return []string{cs[0].Name()} },
			func(p []int) []int { return []int{p[0] + 2*3, p[1] + 2*3} }}, // a start, the maximum, one rate
		{"server starts", true, func(cs []*suite.Case) []string {
			return []string{cs[0].Key().Startup(false).String(), cs[1].Key().Startup(false).String()}
		},
			func(p []int) []int { return []int{p[0] + 2, p[1] + 2} }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, out := newRunner(t)
			cases := fakeCases(t, "ok", "ok2")
			if tc.server {
				t.Setenv("GORUSTBENCH_FAKE_SERVER", "1")
				cases = serverCases(t, "ok", "ok2")
			}
			p := &counting{}
			r.Progress = p
			var looks []int
			var costs Costs
			planned := make([]int, len(cases))
			r.More = func(look int, cost Costs) ([]string, int) {
				looks = append(looks, look)
				if look > 1 {
					return nil, 0
				}
				costs = cost
				for i, c := range cases {
					planned[i] = countSamples(t, out, c.Name())
				}
				return tc.pick(cases), 2
			}
			if failed, err := r.Run(context.Background(), cases); err != nil || failed != 0 {
				t.Fatalf("%d failed, %v", failed, err)
			}
			if !slices.Equal(looks, []int{1, 2}) {
				t.Errorf("looks %v, want 1 then 2", looks)
			}
			for _, c := range cases {
				if costs.Round[c.Name()] <= 0 || costs.Group[c.Name()] != costs.Group[cases[0].Name()] {
					t.Errorf("no cost of a round of %s: %v", c.Name(), costs)
				}
			}
			m := readManifest(t, out)
			want := tc.want(planned)
			for i, c := range cases {
				got := countSamples(t, out, c.Name())
				if got != want[i] {
					t.Errorf("%s: %d samples, want %d (planned %d)", c.Name(), got, want[i], planned[i])
				}
				wantLooks, wantStart := 0, 0 // starts alone make only the start-ups stricter
				if want[i] != planned[i] && tc.name == "server starts" {
					wantStart = 2
				} else if want[i] != planned[i] {
					wantLooks = 2
				}
				st := m.Cases[i]
				if st.Looks != wantLooks || st.StartLooks != wantStart || st.State != results.CaseOK {
					t.Errorf("%s: looks %d, start looks %d, state %s; want %d, %d, ok", c.Name(), st.Looks, st.StartLooks, st.State, wantLooks, wantStart)
				}
			}
			if p.steps != p.total {
				t.Errorf("announced %d runs, began %d", p.total, p.steps)
			}
		})
	}
}

// countSamples is how many samples of the case named name (any phase or level) the run holds.
func countSamples(t *testing.T, out, name string) int {
	t.Helper()
	run, err := results.Load(out)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, res := range run.Results {
		k, err := key.Parse(string(res.Name))
		if err == nil && k.Case().String() == name {
			n++
		}
	}
	return n
}

// A case that fails in an extra round keeps its planned samples and stays ok, with a note; it
// takes no more rounds, and the rest of its group goes on.
func TestAFailedExtraRoundKeepsThePlannedSamples(t *testing.T) {
	r, out := newRunner(t)
	cases := fakeCases(t, "ok", "failfifth")
	r.More = func(look int, _ Costs) ([]string, int) {
		if look > 1 {
			return nil, 0
		}
		return []string{cases[0].Name()}, 2
	}
	if failed, err := r.Run(context.Background(), cases); err != nil || failed != 0 {
		t.Fatalf("%d failed, %v", failed, err)
	}
	m := readManifest(t, out)
	ok, flaky := m.Cases[0], m.Cases[1]
	if ok.State != results.CaseOK || countSamples(t, out, ok.Name) != 3+2 {
		t.Errorf("the good case: %s, %d samples, want ok with 5", ok.State, countSamples(t, out, ok.Name))
	}
	if flaky.State != results.CaseOK || countSamples(t, out, flaky.Name) != 3 || len(flaky.Notes) == 0 || !strings.Contains(flaky.Notes[len(flaky.Notes)-1], "an extra round (sequential sampling) failed") {
		t.Errorf("the case that failed its extra round: %s, %d samples, notes %q", flaky.State, countSamples(t, out, flaky.Name), flaky.Notes)
	}
}
