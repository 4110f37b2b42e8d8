# gorustbench: `make bench` on a fresh machine, `make test` before you push.
GO      ?= go
HARNESS := bin/gorustbench
PROFILE ?= quick

.PHONY: bench smoke setup harness peers peers-fast pack test test-go test-rust test-c calibrate check-startup check-loadgen check-fleet gate-calibrate check-ci-example clean help

help:
	@echo "make bench          set up, build every peer, run the $(PROFILE) profile, print the report's path"
	@echo "make smoke          the same with the smoke profile (a minute or two)"
	@echo "make test           gofmt, go vet + go test, cargo fmt/clippy/test, C peers with -Werror"
	@echo "make peers          build every Go, Rust and C peer, timing clean builds (gorustbench build)"
	@echo "make pack           pack the built peers into dist/ to run elsewhere (gorustbench run --peers ARCHIVE)"
	@echo "make calibrate      check every instrument against an independent tool or a known answer (about 90 s)"
	@echo "make check-startup  only the start-up clock against hyperfine -N (part of calibrate)"
	@echo "make check-loadgen  only the load generator against wrk and h2load (part of calibrate)"
	@echo "make check-fleet    rules, push, textfile and queries against real Prometheus and Pushgateway (installs them)"
	@echo "make gate-calibrate the regression gate's error rates here: A/A gates, an injected slowdown, a CPU hog"
	@echo "make check-ci-example  examples/ci's run and gate steps, as written, on this machine (after make peers)"

bench: setup peers
	$(HARNESS) run --profile $(PROFILE)

smoke: setup peers
	$(HARNESS) run --profile smoke

setup:
	@scripts/setup.sh

harness:
	$(GO) build -o $(HARNESS) ./cmd/gorustbench

# The CPU kernels also run in their native build (C -O3 -march=native, Rust target-cpu=native,
# Go GOAMD64=v3): cpu-vs-c compares each language with C in the same build. So does json's
# sonic-rs, the one JSON library that picks its SIMD at compile time (workloads/README.md).
KERNELS := nbody,spectralnorm,fannkuch,mandelbrot,binarytrees
NATIVE_PEERS := $(KERNELS),json

peers: harness
	$(HARNESS) build
	$(HARNESS) build --native --no-clean --only $(NATIVE_PEERS)

peers-fast: harness
	$(HARNESS) build --no-clean
	$(HARNESS) build --native --no-clean --only $(NATIVE_PEERS)

# Pack what is built (make peers first), the default and the native build in one archive:
# dist/gorustbench-peers-<arch>.tar.gz, with the harness copied beside it, so a machine without
# Go, Rust or C toolchains can run: ./gorustbench run --peers ARCHIVE
pack: harness
	$(HARNESS) build --pack dist --pack-only

test: test-c test-rust test-go

test-go:
	@unformatted=$$("$$($(GO) env GOROOT)/bin/gofmt" -l bench cmd workloads); \
	  if [ -n "$$unformatted" ]; then echo "gofmt: not formatted (run gofmt -w on them): $$unformatted"; exit 1; fi
	$(GO) vet ./...
	$(GO) test ./...
	$(GO) vet -tags openblas ./workloads/matmul   # the go-openblas build (cgo, libopenblas-dev)
	$(GO) test -tags openblas ./workloads/matmul

test-rust:
	cd rustpeers && cargo fmt --all -- --check
	cd rustpeers && cargo clippy --workspace --all-targets --release --locked -- -D warnings
	cd rustpeers && cargo test --workspace --release --locked

test-c:
	$(MAKE) -C cpeers check

# Every instrument against an independent tool or a known answer; results/calibration/calibration.json.
calibrate: harness
	$(HARNESS) calibrate --mode full

check-loadgen: harness
	scripts/check-loadgen.sh

check-startup: harness
	scripts/check-startup.sh

check-fleet: harness
	scripts/setup-fleet.sh
	scripts/check-fleet.sh

# The gate's own error rates on this machine, run as examples/ci runs it (docs/fleet.md).
GATE_ROUNDS ?= 6
GATE_REPEAT ?= 10
gate-calibrate: harness
	$(HARNESS) gate --calibrate --rounds $(GATE_ROUNDS) --repeat $(GATE_REPEAT)

check-ci-example:
	GORUSTBENCH_CI_EXAMPLE=1 $(GO) test -count=1 -run TestCIExample ./examples/ci

clean:
	rm -rf bin workloads/bin
	$(MAKE) -C cpeers clean
	cd rustpeers && cargo clean
