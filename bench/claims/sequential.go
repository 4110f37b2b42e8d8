package claims

import (
	"cmp"
	"fmt"
	"slices"
	"time"
)

// Sequential sampling: after a run's planned samples, the claims still undecided for want of
// samples (a deciding part whose interval straddles a threshold, or whose ordering is not yet
// significant) get more interleaved rounds of just the cases they read, up to a time budget
// the profile sets. Every look at the data is a chance to decide wrongly, so the interval at
// each look is asked at a confidence corrected for the looks taken (stats.LookConfidence; a
// case's looks are in the manifest, and summary.Table.Level applies them).
//
// This file is the decision logic; the runner's More hook runs the rounds (gorustbench run
// wires the two: after the planned rounds it evaluates, asks Extra, runs one more
// interleaved round of the cases Extra returns, and looks again until Extra returns nothing
// or the budget is spent).

// ExtraBudget is the time a profile may spend on extra rounds: the quick profile takes 11-12
// minutes on a quiet 2-CPU machine and must stay under 15.
func ExtraBudget(profile string) time.Duration {
	switch profile {
	case "quick":
		return 90 * time.Second
	case "full":
		return 10 * time.Minute
	}
	return 0
}

// Undecided is a claim more samples could decide, and the cases its undecided parts read.
type Undecided struct {
	Claim string
	Parts []string
	Cases []string
}

// Undecideds lists the inconclusive claims with at least one deciding part that more samples
// could decide, in the registry's order. A claim inconclusive only for reasons more samples
// cannot change (below the instrument's floor, paced by the load generator, one build each) is
// left out.
func Undecideds(vs []Verdict) []Undecided {
	var out []Undecided
	for _, v := range vs {
		if v.Verdict != Inconclusive {
			continue
		}
		u := Undecided{Claim: v.Claim}
		for _, p := range v.Parts {
			if p.Informative || !p.Undecided {
				continue
			}
			u.Parts = append(u.Parts, p.Name)
			for _, c := range p.Cases {
				if !slices.Contains(u.Cases, c) {
					u.Cases = append(u.Cases, c)
				}
			}
		}
		if len(u.Cases) > 0 {
			out = append(out, u)
		}
	}
	return out
}

// Extra chooses the cases to give one more round: the cases of the undecided claims, the
// cheapest claim first (its cases' round costs summed; ties in the registry's order), as long
// as the round's cost (roundCost per case, the measured time of one of its runs) fits what is
// left of the budget. Cheapest first decides the most claims a budget can. A case two claims
// need is run once. A claim with a case of unknown cost is skipped: it cannot be budgeted.
func Extra(vs []Verdict, roundCost map[string]time.Duration, left time.Duration) (cases []string, cost time.Duration, why []string) {
	us := Undecideds(vs)
	alone := func(u Undecided) time.Duration {
		var c time.Duration
		for _, name := range u.Cases {
			c += roundCost[name]
		}
		return c
	}
	slices.SortStableFunc(us, func(a, b Undecided) int { return cmp.Compare(alone(a), alone(b)) })
	for _, u := range us {
		var add []string
		var c time.Duration
		known := true
		for _, name := range u.Cases {
			if slices.Contains(cases, name) {
				continue
			}
			d, ok := roundCost[name]
			if !ok {
				known = false
				break
			}
			add, c = append(add, name), c+d
		}
		switch {
		case !known:
			why = append(why, fmt.Sprintf("%s: a case's cost per round is unknown", u.Claim))
		case cost+c > left:
			why = append(why, fmt.Sprintf("%s: one more round (%s) exceeds the budget left (%s)", u.Claim, c.Round(time.Millisecond), max(0, left-cost).Round(time.Millisecond)))
		case len(add) == 0:
			why = append(why, fmt.Sprintf("%s: its cases get the rounds another claim asked for", u.Claim))
		default:
			cases, cost = append(cases, add...), cost+c
			why = append(why, fmt.Sprintf("%s: one more round of %d case(s), %s", u.Claim, len(add), c.Round(time.Millisecond)))
		}
	}
	return cases, cost, why
}
