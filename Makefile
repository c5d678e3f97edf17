# The README's two commands: `make example` and `make test`.
GO ?= go

.PHONY: example test build bench demo

example:
	$(GO) run ./cmd/finfocus-vantage check --now 2026-11-28 testdata/examples || true

# go test -race, then which tests were skipped and why (internal/testsummary).
test:
	$(GO) vet ./...
	$(GO) run ./internal/testsummary -race ./...

build:
	CGO_ENABLED=0 $(GO) build -trimpath -tags urfave_cli_no_docs -ldflags "-s -w" -o finfocus-vantage ./cmd/finfocus-vantage

bench:
	bash bench/single-config.sh

demo:
	bash bench/demo.sh
