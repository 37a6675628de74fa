// The official Meilisearch JavaScript clients, unmodified, against a real
// `tacheron serve` on 127.0.0.1: meilisearch-js for searches, multi-search,
// facet search and documents; instant-meilisearch's searchClient as
// InstantSearch calls it.
//
// The server is the binary at $TACHERON_BIN, or one built here with
// `go build`; its index is built from the bundled corpus in a temporary
// directory, and both are removed at the end.

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

import { Meilisearch, MeilisearchApiError } from "meilisearch";
import { instantMeiliSearch } from "@meilisearch/instant-meilisearch";

const repo = resolve(fileURLToPath(import.meta.url), "../../../..");
let dir;
let server;
let base;

// startServer runs tacheron serve on a free port and returns its address,
// read from its log line "listening addr=…".
async function startServer(bin) {
  server = spawn(bin, ["serve", "--index", join(dir, "index"), "--addr", "127.0.0.1:0", "--watch-interval", "0"], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  let log = "";
  const addr = await new Promise((resolveAddr, reject) => {
    const timer = setTimeout(() => reject(new Error(`tacheron serve did not listen:\n${log}`)), 60_000);
    server.stderr.on("data", (chunk) => {
      log += chunk;
      const m = /msg=listening addr=(\S+)/.exec(log);
      if (m) {
        clearTimeout(timer);
        resolveAddr(m[1]);
      }
    });
    server.on("exit", (code) => reject(new Error(`tacheron serve exited (${code}):\n${log}`)));
  });
  server.stderr.resume();
  const url = `http://${addr}`;
  for (let i = 0; i < 600; i++) {
    try {
      const r = await fetch(`${url}/readyz`);
      if (r.ok) return url;
    } catch {
      // not yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`tacheron serve never got ready:\n${log}`);
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "tacheron-meilitest-"));
  let bin = process.env.TACHERON_BIN;
  if (!bin) {
    bin = join(dir, "tacheron");
    execFileSync("go", ["build", "-o", bin, "./cmd/tacheron"], { cwd: repo, stdio: "inherit" });
  }
  base = await startServer(bin);
}, { timeout: 300_000 });

after(async () => {
  if (server && server.exitCode === null) {
    const exited = new Promise((r) => server.once("exit", r));
    server.kill("SIGTERM");
    await exited;
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
});

// client returns a meilisearch-js client of tacheron's Meilisearch API, with
// an API key that tacheron ignores (the clients send it as Authorization).
function client() {
  return new Meilisearch({ host: `${base}/meili`, apiKey: "any-key" });
}

// apiError runs fn and returns the Meilisearch error it throws.
async function apiError(fn) {
  try {
    await fn();
  } catch (e) {
    assert.ok(e instanceof MeilisearchApiError, `not a MeilisearchApiError: ${e}`);
    return e;
  }
  assert.fail("no error");
}

describe("meilisearch-js", () => {
  test("health, version, index, settings, stats", async () => {
    const c = client();
    assert.deepEqual(await c.health(), { status: "available" });
    assert.equal(await c.isHealthy(), true);
    assert.match((await c.getVersion()).pkgVersion, /^1\./);
    const info = await c.index("documents").getRawInfo();
    assert.equal(info.uid, "documents");
    assert.equal(info.primaryKey, "id");
    const settings = await c.index("documents").getSettings();
    assert.deepEqual(settings.filterableAttributes, ["concepts", "date", "kind", "lang", "month", "source", "year"]);
    assert.deepEqual(settings.sortableAttributes, ["date"]);
    assert.deepEqual(await c.index("documents").getFilterableAttributes(), settings.filterableAttributes);
    const stats = await c.index("documents").getStats();
    assert.equal(stats.numberOfDocuments, 25);
    const { results } = await c.getIndexes();
    assert.deepEqual(results.map((i) => i.uid), ["documents"]);
  });

  test("search with a query", async () => {
    const res = await client().index("documents").search("captcha");
    assert.equal(res.query, "captcha");
    assert.equal(res.estimatedTotalHits, 1);
    assert.equal(res.hits[0].id, "2017-03-22-qui-entraine-les-ia");
    assert.equal(res.hits[0].source, "Le Figaro");
    assert.equal(res.hits[0].year, 2017);
    assert.equal(res.limit, 20);
    assert.equal(res.offset, 0);
    assert.equal(typeof res.processingTimeMs, "number");
  });

  test("search with a filter", async () => {
    const index = client().index("documents");
    const press = await index.search("", { filter: "kind = press AND year = 2017", limit: 50 });
    assert.equal(press.estimatedTotalHits, 4);
    assert.ok(press.hits.every((h) => h.kind === "press"));

    const arrays = await index.search("", { filter: [["source = Slate", "source = 'Le Monde'"], "kind = mention"], limit: 50 });
    assert.equal(arrays.estimatedTotalHits, 3);
    assert.ok(arrays.hits.every((h) => ["Slate", "Le Monde"].includes(h.source) && h.kind === "mention"));

    // Evaluated document by document: NOT on concepts, OR across attributes.
    const not = await index.search("", { filter: "concepts != fake-news AND (kind = mention OR source = EHESS)", limit: 50 });
    assert.ok(not.hits.length > 0);
    assert.ok(not.hits.every((h) => !h.concepts.includes("fake-news") && (h.kind === "mention" || h.source === "EHESS")));

    const dates = await index.search("", { filter: "date 2017-03-01 TO 2017-03-22", limit: 50 });
    assert.ok(dates.hits.every((h) => h.date >= "2017-03-01" && h.date <= "2017-03-22"));
  });

  test("facets", async () => {
    const res = await client().index("documents").search("travail", { facets: ["kind", "concepts", "year"], filter: "concepts = micro-travail" });
    const kinds = Object.values(res.facetDistribution.kind).reduce((a, b) => a + b, 0);
    assert.equal(kinds, res.estimatedTotalHits);
    assert.equal(res.facetDistribution.concepts["micro-travail"], res.estimatedTotalHits);
    assert.deepEqual(res.facetStats.year, { min: 2017, max: 2017 });
  });

  test("sort", async () => {
    const index = client().index("documents");
    const asc = await index.search("", { sort: ["date:asc"], limit: 100 });
    const desc = await index.search("", { sort: ["date:desc"], limit: 100 });
    const dates = asc.hits.map((h) => h.date);
    assert.deepEqual(dates, [...dates].sort());
    assert.deepEqual(desc.hits.map((h) => h.date), [...dates].sort().reverse());
    const err = await apiError(() => index.search("", { sort: ["title:asc"] }));
    assert.equal(err.cause.code, "invalid_search_sort");
  });

  test("highlight and crop", async () => {
    const res = await client().index("documents").search("micro-travail", {
      attributesToHighlight: ["title"],
      attributesToCrop: ["body"],
      cropLength: 8,
      cropMarker: "[…]",
      highlightPreTag: "<b>",
      highlightPostTag: "</b>",
    });
    const top = res.hits[0];
    assert.equal(top._formatted.title, "Le <b>micro-travail</b> : des corvées peu gratifiantes et mal rémunérées");
    assert.match(top._formatted.body, /\[…\]/);
    assert.ok(top._formatted.body.replaceAll("[…]", " ").trim().split(/\s+/).length <= 8);
    assert.equal(top._formatted.body.includes("<b>"), false, "the body is cropped, not highlighted");
    assert.equal(top.title, "Le micro-travail : des corvées peu gratifiantes et mal rémunérées");
  });

  test("page mode and searchGet", async () => {
    const index = client().index("documents");
    const page = await index.search("", { hitsPerPage: 10, page: 3 });
    assert.equal(page.totalHits, 25);
    assert.equal(page.totalPages, 3);
    assert.equal(page.hits.length, 5);
    const get = await index.searchGet("captcha", { filter: "year = 2017", attributesToRetrieve: ["id", "title"] });
    assert.deepEqual(Object.keys(get.hits[0]).sort(), ["id", "title"]);
  });

  test("multi-search", async () => {
    const { results } = await client().multiSearch({
      queries: [
        { indexUid: "documents", q: "captcha" },
        { indexUid: "documents", q: "", filter: "kind = seminar", facets: ["source"] },
      ],
    });
    assert.equal(results.length, 2);
    assert.equal(results[0].indexUid, "documents");
    assert.equal(results[0].hits[0].id, "2017-03-22-qui-entraine-les-ia");
    assert.deepEqual(results[1].facetDistribution, { source: { EHESS: 2 } });
    const err = await apiError(() => client().multiSearch({ federation: {}, queries: [{ indexUid: "documents", q: "x" }] }));
    assert.equal(err.cause.code, "invalid_multi_search_federated");
  });

  test("facet search", async () => {
    const index = client().index("documents");
    const res = await index.searchForFacetValues({ facetName: "source", facetQuery: "fig" });
    assert.deepEqual(res.facetHits, [{ value: "Le Figaro", count: 1 }]);
    const concepts = await index.searchForFacetValues({ facetName: "concepts", facetQuery: "uber", q: "" });
    assert.deepEqual(concepts.facetHits, [{ value: "uberisation", count: 1 }]);
  });

  test("documents", async () => {
    const index = client().index("documents");
    const doc = await index.getDocument("2017-03-22-qui-entraine-les-ia");
    assert.equal(doc.title, "Qui entraîne les IA et les drones ? Les internautes");
    assert.match(doc.body, /Captcha/);
    const some = await index.getDocuments({ limit: 2, fields: ["id", "date"] });
    assert.equal(some.total, 25);
    assert.equal(some.results.length, 2);
    const filtered = await index.getDocuments({ filter: "source = Slate", fields: ["id", "source"] });
    assert.equal(filtered.total, 3);
  });

  test("errors in Meilisearch's shape", async () => {
    const c = client();
    let err = await apiError(() => c.index("nope").search("x"));
    assert.equal(err.cause.code, "index_not_found");
    assert.equal(err.response.status, 404);
    err = await apiError(() => c.index("documents").search("", { filter: "title = x" }));
    assert.equal(err.cause.code, "invalid_search_filter");
    assert.equal(err.cause.type, "invalid_request");
    assert.match(err.cause.link, /^https:\/\/docs\.meilisearch\.com\/errors#/);
    err = await apiError(() => c.index("documents").addDocuments([{ id: "x", title: "x" }]));
    assert.equal(err.cause.code, "index_read_only");
    err = await apiError(() => c.index("documents").updateFilterableAttributes(["title"]));
    assert.equal(err.cause.code, "index_read_only");
    err = await apiError(() => c.deleteIndex("documents"));
    assert.equal(err.cause.code, "index_read_only");
  });
});

describe("instant-meilisearch", () => {
  // The requests InstantSearch sends for a search box, a refinement list
  // on kind (disjunctive, with kind:press ticked), a refinement list on
  // concepts, highlighted titles and body snippets.
  const requests = [
    {
      indexName: "documents",
      params: {
        query: "travail",
        hitsPerPage: 5,
        page: 0,
        facets: ["concepts", "kind"],
        facetFilters: [["kind:press"]],
        attributesToSnippet: ["body:12"],
        snippetEllipsisText: "…",
        highlightPreTag: "__ais-highlight__",
        highlightPostTag: "__/ais-highlight__",
        maxValuesPerFacet: 10,
        tagFilters: "",
      },
    },
    {
      indexName: "documents",
      params: {
        query: "travail",
        hitsPerPage: 0,
        page: 0,
        facets: "kind",
        analytics: false,
        clickAnalytics: false,
        highlightPreTag: "__ais-highlight__",
        highlightPostTag: "__/ais-highlight__",
        maxValuesPerFacet: 10,
      },
    },
  ];

  test("searchClient.search as InstantSearch calls it", async () => {
    const { searchClient } = instantMeiliSearch(`${base}/meili`, "");
    const { results } = await searchClient.search(requests);
    assert.equal(results.length, 2);
    const [main, disjunctive] = results;

    // Hits: the ticked kind only, highlighted, with snippets.
    assert.ok(main.hits.length > 0 && main.hits.length <= 5);
    assert.ok(main.hits.every((h) => h.kind === "press"));
    const lit = main.hits.filter((h) => h._highlightResult.title.value.includes("__ais-highlight__"));
    assert.ok(lit.length > 0, "no highlighted title");
    for (const h of lit) {
      assert.equal(h._highlightResult.title.value.replaceAll("__ais-highlight__", "").replaceAll("__/ais-highlight__", ""), h.title);
    }
    for (const h of main.hits) {
      assert.ok(h._snippetResult.body.value.length > 0, `no snippet for ${h.id}`);
      assert.ok(h._snippetResult.body.value.replaceAll("…", " ").trim().split(/\s+/).length <= 12);
    }

    // Facet counts: the main query's over its hits; the disjunctive one's
    // without the kind filter, so the other kinds can be ticked.
    const direct = await client().index("documents").search("travail", { filter: "kind = press", facets: ["concepts", "kind"], limit: 0 });
    assert.equal(main.nbHits, direct.estimatedTotalHits);
    assert.deepEqual(main.facets.kind, { press: direct.estimatedTotalHits });
    assert.deepEqual(main.facets.concepts, direct.facetDistribution.concepts);
    const all = await client().index("documents").search("travail", { facets: ["kind"], limit: 0 });
    assert.deepEqual(disjunctive.facets.kind, all.facetDistribution.kind);
    assert.ok(Object.keys(disjunctive.facets.kind).length > 1);
    assert.equal(disjunctive.hits.length, 0);
  });

  test("searchClient.search with numeric filters and page 2", async () => {
    const { searchClient } = instantMeiliSearch(`${base}/meili`, "", { finitePagination: true });
    const { results } = await searchClient.search([
      {
        indexName: "documents",
        params: { query: "", hitsPerPage: 10, page: 1, numericFilters: ["year>=2017"], facets: ["year"] },
      },
    ]);
    assert.equal(results[0].nbHits, 25);
    assert.equal(results[0].nbPages, 3);
    assert.equal(results[0].page, 1);
    assert.equal(results[0].hits.length, 10);
    assert.deepEqual(results[0].facets_stats.year, { min: 2017, max: 2017, avg: 0, sum: 0 });
  });

  test("searchClient.searchForFacetValues", async () => {
    const { searchClient } = instantMeiliSearch(`${base}/meili`, "");
    const [res] = await searchClient.searchForFacetValues([
      { indexName: "documents", params: { facetName: "source", facetQuery: "tél", query: "", facets: ["source"] } },
    ]);
    assert.deepEqual(res.facetHits.map((h) => [h.value, h.count]), [["Télérama", 2]]);
  });
});
