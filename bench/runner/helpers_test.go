package runner

import "github.com/gorustbench/gorustbench/bench/peer"

func suiteParams() peer.Params { return peer.Params{Iters: 1, Threads: 1, Seed: 1} }

// The fake peers of these tests read their settings (FAKE_PID_FILE, FAKE_OUT, ...) from the
// environment they inherit through the harness.
func init() { PeerPassPrefixes = append(PeerPassPrefixes, "FAKE_") }
