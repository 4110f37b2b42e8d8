package report

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

var numberRe = regexp.MustCompile(`[0-9]+(\.[0-9]+)?`)

// foldNotes folds a case's notes, one per load window, into one line per level: how many of
// the level's windows said it, and each reason once, with its numbers as a range over the
// windows ("the generator sent late (schedule lag p99 1.15-13.5 ms) in 5"). windows gives a
// level's number of windows (0: unknown). A note not of the form "<level> (...): text" is kept
// once, with its count.
func foldNotes(notes []string, windows func(level string) int) []string {
	type reason struct {
		template string
		nums     [][]string // per occurrence, the numbers in order
	}
	type group struct {
		head    string // "low (2231 req/s asked): the load generator may have set the pace"
		level   string
		count   int
		reasons []*reason
	}
	var groups []*group
	find := func(head string) *group {
		for _, g := range groups {
			if g.head == head {
				return g
			}
		}
		g := &group{head: head}
		groups = append(groups, g)
		return g
	}
	for _, n := range notes {
		head, body, ok := strings.Cut(n, "may have set the pace: ")
		if ok {
			head += "may have set the pace"
		} else {
			head, body = n, ""
		}
		g := find(head)
		g.level, _, _ = strings.Cut(head, " ")
		g.count++
		for _, r := range strings.Split(body, "; ") {
			if r == "" {
				continue
			}
			tmpl := numberRe.ReplaceAllString(r, "\x00")
			var rr *reason
			for _, x := range g.reasons {
				if x.template == tmpl {
					rr = x
				}
			}
			if rr == nil {
				rr = &reason{template: tmpl}
				g.reasons = append(g.reasons, rr)
			}
			rr.nums = append(rr.nums, numberRe.FindAllString(r, -1))
		}
	}
	var out []string
	for _, g := range groups {
		line := g.head
		if w := windows(g.level); w > 0 && g.count <= w {
			line += fmt.Sprintf(" in %d of %d windows", g.count, w)
		} else if g.count > 1 {
			line += fmt.Sprintf(" (%d times)", g.count)
		}
		var rs []string
		for _, r := range g.reasons {
			text := r.template
			for slot := 0; strings.Contains(text, "\x00"); slot++ {
				text = strings.Replace(text, "\x00", span(r.nums, slot), 1)
			}
			if len(r.nums) != g.count {
				text += fmt.Sprintf(" in %d", len(r.nums))
			}
			rs = append(rs, text)
		}
		if len(rs) > 0 {
			line += ": " + strings.Join(rs, "; ")
		}
		out = append(out, line)
	}
	return out
}

// span is the range of the slot-th number over the occurrences: "1.15-13.52", or one value.
func span(nums [][]string, slot int) string {
	lo, hi := "", ""
	var lv, hv float64
	for _, ns := range nums {
		if slot >= len(ns) {
			continue
		}
		v, _ := strconv.ParseFloat(ns[slot], 64)
		if lo == "" || v < lv {
			lo, lv = ns[slot], v
		}
		if hi == "" || v > hv {
			hi, hv = ns[slot], v
		}
	}
	if lo == hi {
		return lo
	}
	return lo + "-" + hi
}
