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
// cheapest claim first (ties in the registry's order), as long as the round's cost fits what
// is left of the budget. roundCost is, per case, the cost of one round of its group (a round
// always takes the whole group, so that samples paired by round stay paired) and group names
// the group: a group is paid for once, however many of its cases are named. Cheapest first
// decides the most claims a budget can. A claim with a case of unknown cost is skipped: it
// cannot be budgeted.
func Extra(vs []Verdict, roundCost map[string]time.Duration, group map[string]string, left time.Duration) (cases []string, cost time.Duration, why []string) {
	us := Undecideds(vs)
	price := func(u Undecided, paid map[string]bool) (time.Duration, bool) {
		var c time.Duration
		seen := map[string]bool{}
		for _, name := range u.Cases {
			d, ok := roundCost[name]
			if !ok {
				return 0, false
			}
			if g := group[name]; !paid[g] && !seen[g] {
				seen[g], c = true, c+d
			}
		}
		return c, true
	}
	alone := map[string]time.Duration{}
	for _, u := range us {
		alone[u.Claim], _ = price(u, nil)
	}
	slices.SortStableFunc(us, func(a, b Undecided) int { return cmp.Compare(alone[a.Claim], alone[b.Claim]) })
	paid := map[string]bool{}
	for _, u := range us {
		c, known := price(u, paid)
		switch {
		case !known:
			why = append(why, fmt.Sprintf("%s: a case's cost per round is unknown", u.Claim))
		case cost+c > left:
			why = append(why, fmt.Sprintf("%s: one more round (%s) exceeds what this look may spend (%s)", u.Claim, c.Round(time.Millisecond), max(0, left-cost).Round(time.Millisecond)))
		case c == 0:
			why = append(why, fmt.Sprintf("%s: its cases get the rounds another claim asked for", u.Claim))
			cases = appendNew(cases, u.Cases)
		default:
			for _, name := range u.Cases {
				paid[group[name]] = true
			}
			cases, cost = appendNew(cases, u.Cases), cost+c
			why = append(why, fmt.Sprintf("%s: one more round of %d case(s)' groups, %s", u.Claim, len(u.Cases), c.Round(time.Millisecond)))
		}
	}
	return cases, cost, why
}

// appendNew appends the names not already in to.
func appendNew(to, names []string) []string {
	for _, n := range names {
		if !slices.Contains(to, n) {
			to = append(to, n)
		}
	}
	return to
}
