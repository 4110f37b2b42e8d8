package suite

import (
	"strings"
	"testing"
)

func TestPlanSelects(t *testing.T) {
	cases, err := Plan("quick", []string{"hello"}, nil, 2)
	if err != nil || len(cases) != 3 {
		t.Fatalf("hello quick: %d cases, %v", len(cases), err)
	}
	if cases[0].Repeat != 200 || cases[0].Name() != "Hello/impl=c-std" || cases[0].Group() != "hello/size=0/iters=1/threads=1/seed=1" {
		t.Errorf("case %+v name %s group %s", cases[0], cases[0].Name(), cases[0].Group())
	}
	cases, _ = Plan("quick", []string{"matmul"}, []string{"rust-faer", "c"}, 2)
	for _, c := range cases {
		if id := c.Impl.ID(); id != "rust-faer" && c.Impl.Lang != "c" {
			t.Errorf("selected %s", id)
		}
	}
	// 4 sizes x 2 thread counts x (faer + 2 C variants)
	if len(cases) != 24 {
		t.Errorf("%d matmul cases, want 24", len(cases))
	}
	one, _ := Plan("quick", []string{"matmul"}, []string{"go-naive"}, 1)
	if len(one) != 4 {
		t.Errorf("one CPU: %d cases, want 4 (no second thread count)", len(one))
	}
}

func TestPlanErrors(t *testing.T) {
	for _, tc := range []struct {
		profile   string
		workloads []string
		impls     []string
		err       string
	}{
		{"slow", nil, nil, `unknown profile "slow" (have smoke, quick, full)`},
		{"quick", []string{"nope"}, nil, `unknown workload "nope" (have hello, matmul, ffi, json, echo`},
		{"quick", nil, []string{"java"}, `unknown implementation "java"`},
	} {
		_, err := Plan(tc.profile, tc.workloads, tc.impls, 2)
		if err == nil || !strings.HasPrefix(err.Error(), tc.err) {
			t.Errorf("%+v: got %v", tc, err)
		}
	}
}

func TestArgsAndExpectAgree(t *testing.T) {
	cases, _ := Plan("smoke", []string{"matmul"}, []string{"go-gonum"}, 2)
	c := cases[0]
	got := strings.Join(c.Args(), " ")
	if got != "--variant gonum --size 64 --iters 256 --threads 1 --seed 42" {
		t.Errorf("args %q", got)
	}
	if e := c.Expect(); e.Params != c.Params || e.Variant != "gonum" || e.Hiccup {
		t.Errorf("expect %+v", e)
	}
	if c.ID() != "Matmul_impl-go-gonum_size-64_threads-1" {
		t.Errorf("id %q", c.ID())
	}
}

// Every implementation of every workload has its named constant, and every constant names an
// implementation (or the idle meter).
func TestEveryImplHasAnID(t *testing.T) {
	known := map[string]bool{}
	for _, id := range IDs {
		if known[id] {
			t.Errorf("%s listed twice in IDs", id)
		}
		known[id] = true
	}
	used := map[string]bool{FloorKey.Impl: true}
	for _, w := range Workloads {
		for _, i := range w.Impls {
			used[i.ID()] = true
			if !known[i.ID()] {
				t.Errorf("%s: implementation %s has no constant in ids.go", w.Name, i.ID())
			}
		}
	}
	for _, id := range IDs {
		if !used[id] {
			t.Errorf("constant %s names no implementation", id)
		}
	}
}
