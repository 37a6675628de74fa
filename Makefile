# tacheron — a thin list of verbs. See README.md.

GO       ?= go
BIN      := bin/tacheron
INDEX    ?= data/index
ADDR     ?= 127.0.0.1:8080
SIZE     ?= 10k
FUZZTIME ?= 30s

.PHONY: build run test bench fuzz lint clean

build:
	$(GO) build -o $(BIN) ./cmd/tacheron

run: build
	$(BIN) serve --index $(INDEX) --addr $(ADDR)

test:
	$(GO) test -count=1 -timeout 14m ./...

bench:
	$(GO) run ./cmd/tacheron-bench run --size $(SIZE)

fuzz:
	@echo "make fuzz: not wired yet"

lint:
	$(GO) vet ./...
	test -z "$$(gofmt -l $$(git ls-files '*.go'))"

clean:
	rm -rf bin
