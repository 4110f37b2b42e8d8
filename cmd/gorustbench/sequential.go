package main

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/gorustbench/gorustbench/bench/claims"
	"github.com/gorustbench/gorustbench/bench/results"
	"github.com/gorustbench/gorustbench/bench/runner"
	"github.com/gorustbench/gorustbench/bench/summary"
)

// roundsPerLook is how many interleaved rounds each look adds to the cases of an undecided
// claim: a quick case has 6 planned samples, and one more would hardly move an interval that
// each look asks at a stricter level.
const roundsPerLook = 3

// maxLooks bounds the looks whatever the budget: at look 8 an interval is asked at 99.96%.
const maxLooks = 8

// sequential is run's sequential sampling (runner.MoreFunc): at each look it judges the
// claims on the samples so far, and gives the cases of every claim still undecided for want
// of samples roundsPerLook more rounds while their measured cost fits half of what is left of
// budget.
// Every look is a note in the manifest, and a line on stderr.
func sequential(stderr io.Writer, dir *results.Dir, budget time.Duration) runner.MoreFunc {
	var start time.Time
	note := func(s string) {
		fmt.Fprintln(stderr, s)
		dir.Manifest(func(m *results.Manifest) { m.Notes = append(m.Notes, s) })
	}
	return func(look int, costs runner.Costs) ([]string, int) {
		if look == 1 {
			start = time.Now()
		}
		if look > maxLooks {
			note(fmt.Sprintf("sequential sampling: stopped after %d looks", maxLooks))
			return nil, 0
		}
		run, err := results.Load(dir.Path)
		var t *summary.Table
		if err == nil {
			t, err = summary.Of(run)
		}
		if err != nil {
			note(fmt.Sprintf("sequential sampling, look %d: the samples so far could not be read (%v); no extra rounds", look, err))
			return nil, 0
		}
		priced := map[string]time.Duration{}
		for name, c := range costs.Round {
			priced[name] = roundsPerLook * c
		}
		left := budget - time.Since(start)
		vs := claims.Evaluate(t)
		if left <= 0 {
			var open []string
			for _, u := range claims.Undecideds(vs) {
				open = append(open, u.Claim)
			}
			if len(open) > 0 {
				note(fmt.Sprintf("sequential sampling, look %d: the budget (%s) is spent; still undecided: %s", look, budget, strings.Join(open, ", ")))
			}
			return nil, 0
		}
		// A look spends at most half of what is left, so that a later look always has some:
		// the cheap claims get several looks rather than one expensive claim taking them all.
		cases, spend, why := claims.Extra(vs, priced, costs.Group, left/2)
		if len(why) == 0 {
			if look > 1 {
				note(fmt.Sprintf("sequential sampling, look %d: every verdict more samples could decide is decided", look))
			}
			return nil, 0
		}
		for _, w := range why {
			note(fmt.Sprintf("sequential sampling, look %d: %s", look, w))
		}
		if len(cases) == 0 {
			return nil, 0
		}
		note(fmt.Sprintf("sequential sampling, look %d: %d round(s) of the groups of %d case(s), about %s of the %s left (a look spends at most half)", look, roundsPerLook, len(cases), spend.Round(time.Second), left.Round(time.Second)))
		return cases, roundsPerLook
	}
}
