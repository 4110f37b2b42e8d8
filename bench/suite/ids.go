package suite

// Implementation IDs (Impl.ID: language-variant), one constant each, so that rules, charts
// and reports name an implementation by a constant the compiler checks rather than by a
// string literal. TestEveryImplHasAnID keeps this list and the workloads' Impls in step: a new
// variant needs its constant here.
const (
	// Shared by several workloads: the plain program in each language.
	CStd    = "c-std"
	GoStd   = "go-std"
	RustStd = "rust-std" // the hello and kernels; in the fan-out, Rust's std::sync::mpsc

	// Matmul.
	CNaive    = "c-naive"
	COpenBLAS = "c-openblas"
	GoNaive   = "go-naive"
	GoGonum   = "go-gonum"
	// GoOpenBLAS is gonum on OpenBLAS through its netlib binding (cgo): workloads/bin/matmul-openblas.
	GoOpenBLAS = "go-openblas"
	RustNaive  = "rust-naive"
	RustFaer   = "rust-faer"

	// FFI.
	CPlain    = "c-plain"
	GoPlain   = "go-plain"
	GoCgo     = "go-cgo"
	RustPlain = "rust-plain"
	RustFFI   = "rust-ffi"

	// JSON (GoStd is encoding/json).
	GoEasyJSON      = "go-easyjson"
	GoSonic         = "go-sonic"      // strings point into the input (sonic's default), as serde-borrow's
	GoSonicCopy     = "go-sonic-copy" // CopyString: owned strings, as serde_json's
	GoGoJSON        = "go-gojson"
	GoJSONv2        = "go-v2"
	RustSerde       = "rust-serde"
	RustSerdeBorrow = "rust-serde-borrow"
	RustSonic       = "rust-sonic-rs"
	RustSimdJSON    = "rust-simd-json"

	// Echo (GoStd is net/http).
	GoFastHTTP = "go-fasthttp"
	RustAxum   = "rust-axum"
	RustHyper  = "rust-hyper"

	// Fan-out (RustStd is std::sync::mpsc) and footprint.
	CPthread       = "c-pthread"
	GoChan         = "go-chan"
	GoMutex        = "go-mutex"
	RustCrossbeam  = "rust-crossbeam"
	RustFlume      = "rust-flume"
	RustTokio      = "rust-tokio"       // tokio tasks sharing one receiver behind a Mutex
	RustTokioFlume = "rust-tokio-flume" // tokio tasks over flume's async multi-consumer channel
	GoGoroutine    = "go-goroutine"
	RustThread     = "rust-thread"

	// The idle hiccup meter (FloorKey).
	CIdle = "c-idle"
)

// IDs are every implementation ID above.
var IDs = []string{CStd, GoStd, RustStd, CNaive, COpenBLAS, GoNaive, GoGonum, GoOpenBLAS, RustNaive, RustFaer,
	CPlain, GoPlain, GoCgo, RustPlain, RustFFI,
	GoEasyJSON, GoSonic, GoSonicCopy, GoGoJSON, GoJSONv2, RustSerde, RustSerdeBorrow, RustSonic, RustSimdJSON,
	GoFastHTTP, RustAxum, RustHyper,
	CPthread, GoChan, GoMutex, RustCrossbeam, RustFlume, RustTokio, RustTokioFlume, GoGoroutine, RustThread, CIdle}
