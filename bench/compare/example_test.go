package compare_test

import (
	"fmt"

	"github.com/gorustbench/gorustbench/bench/compare"
	"github.com/gorustbench/gorustbench/bench/results"
)

// Two runs side by side (two machines, or two commits): one row per benchmark and unit, one
// cell per run, each later cell compared with the first. Here a run against itself, filtered
// to the C hello's exec time.
func ExampleBuild() {
	run, err := results.Load("../../results/baseline")
	if err != nil {
		fmt.Println(err)
		return
	}
	t, err := compare.Build([]compare.Column{{Label: "a", Run: run}, {Label: "b", Run: run}},
		compare.Options{Filter: "/impl:c-std .unit:exec-ns"})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range t.Rows {
		fmt.Println(r.Name, r.Unit, len(r.Cells), r.Deltas[1].Ratio)
	}
	// Output: Hello/impl=c-std exec-ns 2 1
}
