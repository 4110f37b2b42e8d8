package claims_test

import (
	"fmt"

	"github.com/gorustbench/gorustbench/bench/claims"
	"github.com/gorustbench/gorustbench/bench/results"
	"github.com/gorustbench/gorustbench/bench/summary"
)

// Every claim of the registry judged on a run folder: a verdict each, with the numbers it
// rests on (Basis) and the machine it was measured on.
func ExampleEvaluate() {
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
	verdicts := claims.Evaluate(t)
	fmt.Println(len(verdicts) == len(claims.Registry), verdicts[0].Claim)
	// Output: true startup-service
}
