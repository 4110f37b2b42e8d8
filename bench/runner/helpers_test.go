package runner

import "github.com/gorustbench/gorustbench/bench/peer"

func suiteParams() peer.Params { return peer.Params{Iters: 1, Threads: 1, Seed: 1} }
