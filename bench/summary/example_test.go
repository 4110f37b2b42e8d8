package summary_test

import (
	"fmt"

	"github.com/gorustbench/gorustbench/bench/key"
	"github.com/gorustbench/gorustbench/bench/results"
	"github.com/gorustbench/gorustbench/bench/summary"
	"github.com/gorustbench/gorustbench/bench/units"
)

// A run folder's samples, summarised per case and unit: the median with its interval, only
// for cases that ended ok.
func ExampleOf() {
	run, err := results.Load("../../results/baseline")
	if err != nil {
		fmt.Println(err)
		return
	}
	t, err := summary.Of(run)
	if err != nil {
		fmt.Println(err)
		return
	}
	s, ok := t.OK(key.Key{Bench: "Hello", Impl: "c-std"}, units.Exec)
	fmt.Println(ok, s.N > 0, s.Lo <= s.Center && s.Center <= s.Hi)
	// Output: true true true
}
