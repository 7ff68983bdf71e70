# The developer entry points. `make test` is exactly what CI runs (.ci/run).
SHELL      := /bin/bash
GO         ?= go
BIN        := bin
FUZZTIME   ?= 3s
LONGFUZZ   ?= 5m
# Packages with concurrency: run again under the race detector.
RACE_PKGS  ?= ./db/... ./server/... ./vm/... ./pack/... ./ingest/... ./auth/...
LDFLAGS    := -s -w
IMAGE_REPO ?= ghcr.io/sneller-re
IMAGE_TAG  ?= dev

.PHONY: all build test unit conformance race fuzz-smoke fuzz bench gobench lint clean run image deploy-test

all: build

build:
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN)/sdb ./cmd/sdb
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN)/snellerd ./cmd/snellerd

# Everything CI runs.
test: build unit race fuzz-smoke deploy-test

unit:
	$(GO) vet ./...
	$(GO) test -count=1 ./...
	SNELLER_NOASM=1 $(GO) test -count=1 -tags purego ./vm/... ./ion/...
	@$(MAKE) --no-print-directory conformance

# The SQL conformance runner (cases from $$SNELLER_CONFORMANCE, else ../shared/conformance):
# prints one summary line, and fails on a failing case missing from the known-failures list.
conformance:
	@$(GO) test -count=1 -run '^TestConformance$$' -v ./plan > .conformance.log 2>&1; st=$$?; \
	grep -h '^conformance:' .conformance.log || echo "conformance: no case file found (set SNELLER_CONFORMANCE)"; \
	if [ $$st -ne 0 ]; then cat .conformance.log; rm -f .conformance.log; exit $$st; fi; rm -f .conformance.log

race:
	@pkgs=$$($(GO) list $(RACE_PKGS) 2>/dev/null); \
	if [ -n "$$pkgs" ]; then $(GO) test -count=1 -race -short $$pkgs; fi

# A few seconds of every fuzz target (found with `go test -list`).
fuzz-smoke:
	@FUZZTIME=$(FUZZTIME) ./scripts/fuzz.sh

# Long fuzzing, not in CI.
fuzz:
	@FUZZTIME=$(LONGFUZZ) ./scripts/fuzz.sh

deploy-test:
	@if [ -f deploy/test/go.mod ]; then cd deploy/test && $(GO) test -count=1 ./...; fi

# The benchmark of ../shared/bench: generates 4 M rows (BENCH_ROWS), packs them, times the
# queries as whole processes and prints the table beside the reference figures. Not in CI.
BENCH_ROWS ?= 4000000
bench: build
	$(GO) run ./internal/cmd/bench -rows $(BENCH_ROWS)

# Every Go benchmark of the module (kernels, Ion, packing, ingest).
gobench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	@if $(GO) run -modfile=tools/go.mod honnef.co/go/tools/cmd/staticcheck -version >/dev/null 2>&1; then \
		$(GO) run -modfile=tools/go.mod honnef.co/go/tools/cmd/staticcheck ./...; \
	else echo "staticcheck unavailable; skipped"; fi

run: build
	./scripts/run.sh

# The chart's default repositories are $(IMAGE_REPO)/snellerd and $(IMAGE_REPO)/sdb.
image:
	docker build --target snellerd --build-arg VERSION=$(IMAGE_TAG) -t $(IMAGE_REPO)/snellerd:$(IMAGE_TAG) .
	docker build --target sdb --build-arg VERSION=$(IMAGE_TAG) -t $(IMAGE_REPO)/sdb:$(IMAGE_TAG) .

clean:
	rm -rf $(BIN) run .bench
	$(GO) clean -testcache
