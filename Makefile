# ParkOS build and test entry points. `make test` is the README's test command; .ci/run calls it.

GO ?= go
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)

.PHONY: build test vet fmt-check demo

build:
	$(GO) build -ldflags "-X main.version=$(VERSION)" -o bin/parkos ./cmd/parkos

vet:
	$(GO) vet ./...

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then for f in $$out; do echo "gofmt would change: $$f"; done; exit 1; fi

# Every test. PostgreSQL suites run when PARKOS_TEST_PG is set (.ci/run starts a server).
test: vet fmt-check
	$(GO) test -count=1 ./...

demo:
	$(GO) run ./cmd/parkos demo
