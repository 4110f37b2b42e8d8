//go:build goexperiment.jsonv2

// Command jsonv2 is the Go peer of the json workload with encoding/json/v2 (variant `v2`),
// Go's experimental successor of encoding/json. It is its own binary because the experiment
// also reimplements encoding/json on top of v2. Build it with
//
//	GOEXPERIMENT=jsonv2 go build -o workloads/bin/jsonv2 ./workloads/jsonv2
package main

import (
	"encoding/json/jsontext"
	"encoding/json/v2"
	"errors"

	"github.com/gorustbench/gorustbench/workloads/json/jsonpeer"
)

func main() {
	jsonpeer.Main([]string{"v2"}, map[string]jsonpeer.Codec{
		"v2": {
			Decode: func(b []byte, v jsonpeer.Doc) error { return json.Unmarshal(b, v) },
			Encode: func(v jsonpeer.Doc) ([]byte, error) { return json.Marshal(v) },
			Offset: func(err error) (int64, bool) {
				var se *jsontext.SyntacticError
				var se2 *json.SemanticError
				switch {
				case errors.As(err, &se):
					return se.ByteOffset, true
				case errors.As(err, &se2):
					return se2.ByteOffset, true
				}
				return 0, false
			},
		},
	})
}
