# tacheron — a thin list of verbs. See README.md.

GO       ?= go
BIN      := bin/tacheron
INDEX    ?= data/index
ADDR     ?= 127.0.0.1:8080
SIZE     ?= 10k
BENCHFLAGS ?=
FUZZTIME ?= 30s

.PHONY: build run test bench fuzz lint clean

build:
	$(GO) build -o $(BIN) ./cmd/tacheron

run: build
	$(BIN) serve --index $(INDEX) --addr $(ADDR)

test:
	@[ -n "$$CHROME_PATH" ] || command -v chromium >/dev/null || command -v chromium-browser >/dev/null || command -v google-chrome >/dev/null || \
		echo '*** BROWSER TESTS SKIPPED: no Chromium found (install chromium or set CHROME_PATH) ***' >&2
	@command -v node >/dev/null && command -v npm >/dev/null || \
		echo '*** MEILISEARCH CLIENT TEST SKIPPED: no node and npm found (Node 20.19 or later) ***' >&2
	$(GO) test -count=1 -timeout 14m ./...

bench:
	$(GO) run ./cmd/tacheron-bench run --size $(SIZE) $(BENCHFLAGS)

# Every fuzz target, FUZZTIME each; new interesting inputs are kept under
# the package's testdata/fuzz (at most 20 per target) to be committed.
FUZZ_TARGETS := ./corpus:FuzzLoadArchive ./corpus:FuzzLoadJSONL ./index:FuzzParseQuery \
	./api:FuzzSearchParams ./api:FuzzSuggestParams ./api/meili:FuzzMeiliFilter

fuzz:
	@set -e; for t in $(FUZZ_TARGETS); do \
		pkg=$${t%%:*}; name=$${t##*:}; \
		echo "== $$name ($$pkg, $(FUZZTIME))"; \
		$(GO) test -run '^$$' -fuzz "^$$name$$" -fuzztime $(FUZZTIME) $$pkg; \
		cache=$$($(GO) env GOCACHE)/fuzz/tacheron/$${pkg#./}/$$name; \
		if [ -d "$$cache" ]; then \
			mkdir -p $$pkg/testdata/fuzz/$$name; \
			ls -t "$$cache" | head -20 | while read f; do cp -n "$$cache/$$f" $$pkg/testdata/fuzz/$$name/; done; \
		fi; \
	done

STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2

lint:
	$(GO) vet ./...
	test -z "$$(gofmt -l $$(git ls-files '*.go'))"
	$(GO) run $(STATICCHECK) ./...

clean:
	rm -rf bin
