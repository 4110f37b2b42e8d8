package peerkit

import (
	"encoding/json"
	"testing"
)

func TestSetPhases(t *testing.T) {
	p := Defaults("std")
	r := Begin(&p)
	r.End()
	r.SetPhases(Phase{Name: "decode", Ns: 5, AllocBytes: 7}, Phase{Name: "encode", Ns: 6, AllocBytes: 8})
	if got := string(r.extra); got != `,"alloc_bytes":15,"phases":{"decode":{"ns":5,"alloc_bytes":7},"encode":{"ns":6,"alloc_bytes":8}}` {
		t.Errorf("extra fields %s", got)
	}
	if r.Elapsed() != 11 {
		t.Errorf("elapsed %v, want the phases' sum 11ns", r.Elapsed())
	}
	line := withExtra(ResultLine("json", &p, 1, r.Elapsed(), "x", 1, nil, &r.gc), r.extra)
	var v map[string]any
	if err := json.Unmarshal(line, &v); err != nil {
		t.Fatalf("%v: %s", err, line)
	}
	if before, after := HeapAllocBytes(), HeapAllocBytes(); after < before {
		t.Errorf("allocation counter went back: %d then %d", before, after)
	}
}
