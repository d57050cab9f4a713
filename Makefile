# ParkOS build and test entry points. `make test` is the README's test command; .ci/run calls it.

GO ?= go
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)

.PHONY: build assets test go-test e2e api-check vet fmt-check demo

# Front-end assets come from npm (package-lock.json) and are copied into the embedded static
# folder; nothing is loaded from a CDN at run time.
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

assets: node_modules/.package-lock.json
	cp node_modules/htmx.org/dist/htmx.min.js internal/web/static/vendor/htmx.min.js
	cp node_modules/echarts/dist/echarts.min.js internal/web/static/vendor/echarts.min.js

build: assets
	$(GO) build -ldflags "-X main.version=$(VERSION)" -o bin/parkos ./cmd/parkos

vet:
	$(GO) vet ./...

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then for f in $$out; do echo "gofmt would change: $$f"; done; exit 1; fi

# Every test: Go (store, API, console, i18n), the browser tests and the served OpenAPI document
# (linted, and a generated Go client compiled). PostgreSQL suites run when PARKOS_TEST_PG is set
# (.ci/run starts a server).
test: vet fmt-check go-test e2e api-check

go-test: assets
	scripts/ensure-pdf-font
	$(GO) test -count=1 ./...

# Browser tests in headless Debian Chromium against `parkos demo`; screenshots go to e2e/output/.
e2e: build
	scripts/ensure-browser
	node --test --test-concurrency=1 e2e/

# The served OpenAPI document through Redocly's linter and oapi-codegen (scripts/check-openapi).
api-check: build
	scripts/check-openapi

demo: assets
	scripts/ensure-pdf-font
	$(GO) run ./cmd/parkos demo
