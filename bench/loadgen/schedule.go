package loadgen

// schedule is the open loop's timetable, in engine time (ns since engine.base): request k is
// due at start + k*period, truncated to the ns, and the schedule holds the requests due before
// end. A round of the engine at now sends the requests due by now+slack. It says when a
// request is due and how many are; which connection sends them is the engine's business.
type schedule struct {
	start  int64   // engine time (ns) at which request 0 is due
	period float64 // ns between due times; > 0
	slack  int64   // ns: a round sends what is due up to this much later than now
	end    int64   // engine time (ns): requests due at or after it are not in the schedule
}

// newSchedule is rate requests per second from start to end (engine ns), sent up to slack ns
// early.
func newSchedule(start, end int64, rate float64, slack int64) schedule {
	return schedule{start: start, period: 1e9 / rate, slack: slack, end: end}
}

// due is when request k is due (engine ns), and false when it is not in the schedule.
func (s schedule) due(k int64) (int64, bool) {
	at := s.at(k)
	return at, at < s.end
}

func (s schedule) at(k int64) int64 { return s.start + int64(float64(k)*s.period) }

// ready counts the requests from k on that a round at now sends: due by now+slack.
func (s schedule) ready(k, now int64) int64 { return s.dueBy(k, now+s.slack) }

// dueBy counts the requests from k on that are in the schedule and due at t or before.
func (s schedule) dueBy(k, t int64) int64 {
	t = min(t, s.end-1)
	if t < s.start {
		return 0
	}
	// The last request due by t: estimated by division, then settled on at itself, so that
	// the count agrees with due to the ns whatever the rounding.
	j := int64(float64(t-s.start) / s.period)
	for j >= 0 && s.at(j) > t {
		j--
	}
	for s.at(j+1) <= t {
		j++
	}
	return max(0, j+1-k)
}
