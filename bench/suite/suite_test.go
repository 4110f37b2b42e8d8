package suite

import (
	"strings"
	"testing"

	"github.com/gorustbench/gorustbench/bench/peer"
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

// Issue 23, item 2: the harness computes matmul's answer itself up to MatmulAnswerMax, so
// every implementation at those sizes is checked against it, even one run alone. The
// expected values are what the C peer printed (--seed 42, naive); Go, Rust, gonum, OpenBLAS
// and faer agreed within the tolerance when this was written.
func TestMatmulAnswerIsComputedForSmallSizes(t *testing.T) {
	for _, tc := range []struct {
		size int64
		want string
	}{
		{4, "0.57642505220959506 -0.90348066759858958 -0.13648906450737494 0.013863647404913875 -0.19561275580321669 2.4172331250971926 0.057652677087879703 -0.19784116404422578 -0.44548515076932826"},
		{64, "-38.511187738741171 -1.8927034020678994 2.0154458769639541 -2.1172396379147211 0.75274463512143142 0.55783339540667309 -5.7853546959446902 2.7503041384446107 -1.7198587628842816"},
		{256, "-5.3334930586738958 3.3665059301905371 7.1647668752196765 2.4902841235195767 10.380613551831116 -7.9158734970724778 3.8300963486258426 -6.2891338846223448 5.4587492031832241"},
	} {
		c := &Case{Workload: Matmul, Params: peer.Params{Size: tc.size, Iters: 3, Threads: 2, Seed: 42}}
		if err := peer.SameChecksum(c.Known(), tc.want, Matmul.Tolerance); err != nil {
			t.Errorf("n=%d: %v", tc.size, err)
		}
	}
	if got := (&Case{Workload: Matmul, Params: peer.Params{Size: MatmulAnswerMax + 1, Seed: 42}}).Known(); got != "" {
		t.Errorf("n=%d: the harness computed %q; above MatmulAnswerMax the implementations must agree", MatmulAnswerMax+1, got)
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
