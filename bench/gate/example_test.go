package gate_test

import (
	"fmt"

	"github.com/gorustbench/gorustbench/bench/gate"
)

// A candidate judged against its baseline: here the committed baseline run against itself,
// which no gate may call a regression.
func ExampleJudge() {
	base, err := gate.Rounds([]string{"../../results/baseline"})
	if err != nil {
		fmt.Println(err)
		return
	}
	cand, _ := gate.Rounds([]string{"../../results/baseline"})
	res, err := gate.Judge(base, cand, gate.Options{Threshold: 0.05, Alpha: 0.05})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("exit", res.Exit(), "broken", len(res.Broken), "failed", res.Failed)
	// Output: exit 0 broken 0 failed false
}
