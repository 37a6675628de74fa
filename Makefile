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
	@[ -n "$$CHROME_PATH" ] || command -v chromium >/dev/null || command -v chromium-browser >/dev/null || command -v google-chrome >/dev/null || \
		echo '*** BROWSER TESTS SKIPPED: no Chromium found (install chromium or set CHROME_PATH) ***' >&2
	$(GO) test -count=1 -timeout 14m ./...

bench:
	@echo "make bench: not wired yet"

fuzz:
	@echo "make fuzz: not wired yet"

lint:
	$(GO) vet ./...
	test -z "$$(gofmt -l $$(git ls-files '*.go'))"

clean:
	rm -rf bin
