# tacheron — a thin list of verbs. See README.md.

GO       ?= go
BIN      := bin/tacheron
INDEX    ?= data/index
ADDR     ?= 127.0.0.1:8080
SIZE     ?= 10k
BENCHFLAGS ?=
FUZZTIME ?= 30s

.PHONY: build install run test replicas bench relevance fuzz lint clean

build:
	$(GO) build -o $(BIN) ./cmd/tacheron

# Installs tacheron in $(go env GOBIN), or $(go env GOPATH)/bin.
install:
	$(GO) install ./cmd/tacheron

run: build
	$(BIN) serve --index $(INDEX) --addr $(ADDR)

test:
	@[ -n "$$CHROME_PATH" ] || command -v chromium >/dev/null || command -v chromium-browser >/dev/null || command -v google-chrome >/dev/null || \
		echo '*** BROWSER TESTS SKIPPED: no Chromium found (install chromium or set CHROME_PATH) ***' >&2
	@command -v node >/dev/null && command -v npm >/dev/null || \
		echo '*** MEILISEARCH CLIENT TEST SKIPPED: no node and npm found (Node 20.19 or later) ***' >&2
	@command -v versitygw >/dev/null || [ -x "$$($(GO) env GOPATH)/bin/versitygw" ] || \
		echo '*** S3 TESTS SKIPPED: no versitygw found (go install github.com/versity/versitygw/cmd/versitygw@v1.8.0) ***' >&2
	$(GO) test -count=1 -timeout 14m ./...

# The replicas end-to-end test (about a minute): a real S3-compatible
# server (versitygw), three "tacheron serve --follow" replicas behind nginx
# (deploy/nginx.conf), eight paging clients, five publications, a replica
# killed during a download, the object store stopped for 10 s. Needs nginx
# and versitygw (see deploy/README.md).
replicas:
	TACHERON_REPLICAS=1 TACHERON_REQUIRE_S3=1 $(GO) test -count=1 -timeout 10m -run '^TestReplicas$$' -v ./cmd/tacheron/

bench:
	$(GO) run ./cmd/tacheron-bench run --size $(SIZE) $(BENCHFLAGS)

# Known-item relevance on 1,387 French manual pages (eval/): success@1,
# success@10 and MRR@10 per class of query; fails below the MRR floor.
RELEVANCE_MIN_MRR ?= 0.72
RELEVANCEFLAGS ?=

relevance:
	$(GO) run ./cmd/tacheron-bench relevance --min-mrr $(RELEVANCE_MIN_MRR) $(RELEVANCEFLAGS)

# Every fuzz target, FUZZTIME each: a duration (30s) or a number of
# executions (5000x). CI gives a number: with a duration, Go 1.26's fuzzing
# coordinator can fail a target with a bare "context deadline exceeded" when
# a starved worker misses the end of the window (go.dev/issue/75804), which
# says nothing about the code. New interesting inputs are kept under the
# package's testdata/fuzz (at most 20 per target) to be committed.
FUZZ_TARGETS := ./corpus:FuzzLoadArchive ./corpus:FuzzLoadJSONL ./corpus:FuzzParseTimestamp ./corpus/wordpress:FuzzWordPress ./corpus/feed:FuzzFeed ./corpus/markdown:FuzzMarkdown ./corpus/csv:FuzzCSV ./corpus/pdf:FuzzPDFText ./index:FuzzParseQuery \
	./api:FuzzSearchParams ./api:FuzzSuggestParams ./api/meili:FuzzMeiliFilter \
	./corpus/press:FuzzEuropresse ./corpus/press:FuzzFactiva ./corpus/press:FuzzFactivaXML \
	./corpus/press:FuzzLexisNexis ./corpus/press:FuzzLexisNexisText ./corpus/press:FuzzFactivaText ./corpus/web:FuzzWeb \
	./corpus/docx:FuzzDOCX ./corpus/word:FuzzWord ./corpus/press:FuzzNexisDOCX ./corpus/press:FuzzEuropressePDF ./corpus/press:FuzzNexisPDF \
	./api:FuzzTrendsParams ./api:FuzzKWICParams ./api:FuzzCooccurrenceParams \
	./api:FuzzSearchJSON ./cmd/tacheron:FuzzParseByteSize ./index:FuzzDecodeDeletedCounts

fuzz:
	@set -e; for t in $(FUZZ_TARGETS); do \
		pkg=$${t%%:*}; name=$${t##*:}; \
		echo "== $$name ($$pkg, $(FUZZTIME))"; \
		$(GO) test -run '^$$' -fuzz "^$$name$$" -fuzztime $(FUZZTIME) -timeout 20m $$pkg; \
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
