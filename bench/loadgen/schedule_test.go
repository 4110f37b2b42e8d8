package loadgen

import "testing"

const ms = int64(1e6)

func TestScheduleDue(t *testing.T) {
	// 3000/s: a period of 333,333.3 ns, so due times are truncated to the ns.
	s := newSchedule(10*ms, 11*ms, 3000, 0)
	for _, tc := range []struct {
		k    int64
		want int64
		ok   bool
	}{
		{0, 10 * ms, true},
		{1, 10*ms + 333_333, true},
		{2, 10*ms + 666_666, true},
		{3, 11 * ms, false}, // due at the end: not in the schedule
		{4, 10*ms + 1_333_333, false},
	} {
		got, ok := s.due(tc.k)
		if got != tc.want || ok != tc.ok {
			t.Errorf("due(%d) = %d, %v; want %d, %v", tc.k, got, ok, tc.want, tc.ok)
		}
	}
}

func TestScheduleReady(t *testing.T) {
	const us = int64(1e3)
	// 10,000/s from 10 ms to 11 ms: ten requests, due every 100 µs.
	tenK := newSchedule(10*ms, 11*ms, 10_000, 250*us)
	noSlack := newSchedule(10*ms, 11*ms, 10_000, 0)
	for _, tc := range []struct {
		name string
		s    schedule
		k    int64 // the next request not yet sent
		now  int64
		want int64
	}{
		{"before the start, beyond the slack", tenK, 0, 9 * ms, 0},
		{"before the start, within the slack", tenK, 0, 10*ms - 100*us, 2},
		{"at the start: due, and two more within the slack", tenK, 0, 10 * ms, 3},
		{"no slack: only what is due", noSlack, 0, 10 * ms, 1},
		{"no slack, between due times", noSlack, 0, 10*ms + 150*us, 2},
		{"some already sent", tenK, 2, 10 * ms, 1},
		{"all within the slack already sent", tenK, 3, 10 * ms, 0},
		{"behind: a backlog goes out at once", tenK, 0, 10*ms + 500*us, 8},
		{"the slack reaches past the end", tenK, 5, 10*ms + 900*us, 5},
		{"after the end", tenK, 0, 20 * ms, 10},
		{"all sent", tenK, 10, 20 * ms, 0},
	} {
		if got := tc.s.ready(tc.k, tc.now); got != tc.want {
			t.Errorf("%s: ready(%d, %d) = %d, want %d", tc.name, tc.k, tc.now, got, tc.want)
		}
	}
}

// dueBy counts exactly the requests whose due time is at or before t, whatever the rounding of
// the period, as counting them one by one with due does.
func TestScheduleDueByAgreesWithDue(t *testing.T) {
	for _, s := range []schedule{
		newSchedule(10*ms, 40*ms, 3000, 0),
		newSchedule(0, 7*ms, 7777, 0),
		newSchedule(5, 5*ms+3, 1e6/3, 0),
		newSchedule(10*ms, 10*ms, 1000, 0), // empty
	} {
		for _, k := range []int64{0, 1, 7, 100} {
			for t0 := s.start - 2*int64(s.period); t0 <= s.end+2*int64(s.period); t0 += max(1, int64(s.period)/7) {
				for _, tt := range []int64{t0, t0 + 1, t0 - 1} {
					want := int64(0)
					for j := k; ; j++ {
						at, ok := s.due(j)
						if !ok || at > tt {
							break
						}
						want++
					}
					if got := s.dueBy(k, tt); got != want {
						t.Fatalf("%+v: dueBy(%d, %d) = %d, counted %d", s, k, tt, got, want)
					}
				}
			}
		}
	}
}
