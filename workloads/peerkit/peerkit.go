// Package peerkit is what every Go peer shares: the protocol's flags, the result line, VmHWM,
// the hiccup meter and the Go runtime facts over the timed region. The protocol itself is
// written down in bench/peer/PROTOCOL.md; this package only writes it.
//
// It deliberately avoids encoding/json and flag: peers are measured for start-up time, binary
// size and memory, and the kit must not make the Go peers pay for more than they use.
package peerkit

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Params are the protocol's common flags. A workload sets its defaults before Parse.
type Params struct {
	Size    int64  // --size, >= 0
	Iters   int64  // --iters, >= 1
	Threads int64  // --threads, >= 1
	Seed    uint64 // --seed
	Variant string // --variant
	Input   string // --input
	Addr    string // --addr
	Hiccup  bool   // --hiccup
	// --workers and --capacity, >= 0; -1 means the workload does not use them (not echoed).
	Workers, Capacity int64
}

// Defaults returns the protocol's fallback values: size 0, iters 1, threads 1, seed 1.
func Defaults(variant string) Params {
	return Params{Iters: 1, Threads: 1, Seed: 1, Variant: variant, Workers: -1, Capacity: -1}
}

// Parse reads args (os.Args[1:]) into p. On a bad command line it prints one line
// "<program>: <what is wrong>" to stderr and exits with status 2.
func (p *Params) Parse(args []string) {
	if err := p.parse(args); err != nil {
		Usage(err.Error())
	}
}

// Usage prints one line to stderr and exits 2, the protocol's answer to a bad command line.
func Usage(msg string) {
	fmt.Fprintf(os.Stderr, "%s: %s\n", filepath.Base(os.Args[0]), msg)
	os.Exit(2)
}

// Fail prints one line to stderr and exits 1: the peer failed while working.
func Fail(err error) {
	fmt.Fprintf(os.Stderr, "%s: %v\n", filepath.Base(os.Args[0]), err)
	os.Exit(1)
}

// RequireVariant exits 2 unless p.Variant is one of known.
func (p *Params) RequireVariant(known ...string) {
	for _, k := range known {
		if p.Variant == k {
			return
		}
	}
	Usage(fmt.Sprintf("unknown variant %q (have %s)", p.Variant, strings.Join(known, ", ")))
}

func (p *Params) parse(args []string) error {
	for i := 0; i < len(args); i++ {
		arg := args[i]
		if !strings.HasPrefix(arg, "--") || arg == "--" {
			return fmt.Errorf("unexpected argument %q (flags are --name value)", arg)
		}
		name, value, hasValue := strings.Cut(arg[2:], "=")
		if name == "hiccup" {
			if hasValue {
				return errors.New("--hiccup takes no value")
			}
			p.Hiccup = true
			continue
		}
		if !knownFlags[name] {
			return fmt.Errorf("unknown flag --%s", name)
		}
		if !hasValue {
			if i+1 >= len(args) {
				return fmt.Errorf("--%s needs a value", name)
			}
			i++
			value = args[i]
		}
		var err error
		switch name {
		case "size":
			p.Size, err = parseInt(name, value, 0)
		case "iters":
			p.Iters, err = parseInt(name, value, 1)
		case "threads":
			p.Threads, err = parseInt(name, value, 1)
		case "seed":
			p.Seed, err = strconv.ParseUint(value, 10, 64)
			if err != nil {
				err = fmt.Errorf("--seed: %q is not an unsigned integer", value)
			}
		case "variant":
			p.Variant = value
		case "input":
			p.Input = value
		case "addr":
			p.Addr = value
		case "workers":
			p.Workers, err = parseInt(name, value, 0)
		case "capacity":
			p.Capacity, err = parseInt(name, value, 0)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

var knownFlags = map[string]bool{
	"size": true, "iters": true, "threads": true, "seed": true,
	"variant": true, "input": true, "addr": true,
	"workers": true, "capacity": true,
}

func parseInt(name, value string, min int64) (int64, error) {
	v, err := strconv.ParseInt(value, 10, 64)
	if err != nil || v < min {
		return 0, fmt.Errorf("--%s: %q is not an integer >= %d", name, value, min)
	}
	return v, nil
}
