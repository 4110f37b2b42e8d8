// Command json is the Go peer of the json workload (workloads/README.md, "json"): decode a
// document into typed structures and encode it back, with encoding/json (std), easyjson's
// generated code, bytedance/sonic (its default, and with CopyString) or goccy/go-json.
package main

import (
	stdjson "encoding/json"
	"errors"

	"github.com/bytedance/sonic"
	sonicdec "github.com/bytedance/sonic/decoder"
	gojson "github.com/goccy/go-json"
	"github.com/mailru/easyjson"
	"github.com/mailru/easyjson/jlexer"

	"github.com/gorustbench/gorustbench/workloads/json/jsonpeer"
)

func main() {
	jsonpeer.Main([]string{"std", "easyjson", "sonic", "sonic-copy", "gojson"}, map[string]jsonpeer.Codec{
		"std": {
			Decode: func(b []byte, v jsonpeer.Doc) error { return stdjson.Unmarshal(b, v) },
			Encode: func(v jsonpeer.Doc) ([]byte, error) { return stdjson.Marshal(v) },
			Offset: jsonpeer.StdOffset,
		},
		// easyjson: the generated UnmarshalEasyJSON/MarshalEasyJSON of workloads/json/schema.
		"easyjson": {
			Decode: func(b []byte, v jsonpeer.Doc) error { return easyjson.Unmarshal(b, v.(easyjson.Unmarshaler)) },
			Encode: func(v jsonpeer.Doc) ([]byte, error) { return easyjson.Marshal(v.(easyjson.Marshaler)) },
			Offset: func(err error) (int64, bool) {
				var le *jlexer.LexerError
				if errors.As(err, &le) {
					return int64(le.Offset), true
				}
				return 0, false
			},
		},
		// sonic's README: sonic.Unmarshal/Marshal use ConfigDefault, its fast configuration
		// (no HTML escaping, map keys unsorted; strings are still validated... see README).
		"sonic": {
			Decode: func(b []byte, v jsonpeer.Doc) error { return sonic.Unmarshal(b, v) },
			Encode: func(v jsonpeer.Doc) ([]byte, error) { return sonic.Marshal(v) },
			Offset: sonicOffset,
		},
		// sonic with CopyString: every decoded string its own copy, the owned mode that
		// serde_json into String and the other Go libraries have. sonic's default (above)
		// points strings without escapes into its one copy of the input, serde-borrow's mode.
		"sonic-copy": {
			Decode: func(b []byte, v jsonpeer.Doc) error { return sonicCopy.Unmarshal(b, v) },
			Encode: func(v jsonpeer.Doc) ([]byte, error) { return sonicCopy.Marshal(v) },
			Offset: sonicOffset,
		},
		"gojson": {
			Decode: func(b []byte, v jsonpeer.Doc) error { return gojson.Unmarshal(b, v) },
			Encode: func(v jsonpeer.Doc) ([]byte, error) { return gojson.Marshal(v) },
			Offset: func(err error) (int64, bool) {
				var se *gojson.SyntaxError
				var te *gojson.UnmarshalTypeError
				switch {
				case errors.As(err, &se):
					return jsonpeer.AfterOffset(se.Offset, se.Error()), true
				case errors.As(err, &te):
					return te.Offset, true
				}
				return 0, false
			},
		},
	})
}

// sonicCopy is sonic's default configuration (sonic.ConfigDefault is Config{}.Froze()) with
// CopyString set.
var sonicCopy = sonic.Config{CopyString: true}.Froze()

// sonicOffset is the byte offset of a sonic syntax error.
func sonicOffset(err error) (int64, bool) {
	var se sonicdec.SyntaxError
	if errors.As(err, &se) {
		return int64(se.Pos), true
	}
	return 0, false
}
