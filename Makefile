# gorustbench: `make bench` on a fresh machine, `make test` before you push.
GO      ?= go
HARNESS := bin/gorustbench
PROFILE ?= quick

.PHONY: bench smoke setup harness peers peers-fast pack test test-go test-rust test-c check-startup check-loadgen clean help

help:
	@echo "make bench          set up, build every peer, run the $(PROFILE) profile, print the report's path"
	@echo "make smoke          the same with the smoke profile (a minute or two)"
	@echo "make test           gofmt, go vet + go test, cargo fmt/clippy/test, C peers with -Werror"
	@echo "make peers          build every Go, Rust and C peer, timing clean builds (gorustbench build)"
	@echo "make pack           pack the built peers into dist/ to run elsewhere (gorustbench run --peers ARCHIVE)"
	@echo "make check-startup  the harness's start-up timing against hyperfine -N, same binary, same minute"
	@echo "make check-loadgen  the load generator against wrk (throughput) and its schedule lag at 10k req/s"

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

# Pack what is built (make peers first): dist/gorustbench-peers-<arch>.tar.gz, plus the harness
# itself, so a machine without Go, Rust or C toolchains can run: ./gorustbench run --peers ARCHIVE
pack: harness
	$(HARNESS) build --pack dist --pack-only
	cp $(HARNESS) dist/gorustbench

test: test-c test-rust test-go

test-go:
	@unformatted=$$("$$($(GO) env GOROOT)/bin/gofmt" -l bench cmd workloads); \
	  if [ -n "$$unformatted" ]; then echo "gofmt: not formatted (run gofmt -w on them): $$unformatted"; exit 1; fi
	$(GO) vet ./...
	$(GO) test ./...

test-rust:
	cd rustpeers && cargo fmt --all -- --check
	cd rustpeers && cargo clippy --workspace --all-targets --release --locked -- -D warnings
	cd rustpeers && cargo test --workspace --release --locked

test-c:
	$(MAKE) -C cpeers check

check-loadgen: harness
	scripts/check-loadgen.sh

check-startup: harness
	scripts/check-startup.sh

clean:
	rm -rf bin workloads/bin
	$(MAKE) -C cpeers clean
	cd rustpeers && cargo clean
