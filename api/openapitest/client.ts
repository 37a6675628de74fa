// A typed client of tacheron's API, written against the types that
// openapi-typescript generates from /openapi.json (schema.d.ts, generated
// beside a copy of this file by TestOpenAPIDocument). It compiles only
// while the document describes what a client needs.
import type { components, operations, paths } from "./schema";

export type SearchQuery = NonNullable<operations["search"]["parameters"]["query"]>;
export type SearchResponse = paths["/api/v1/search"]["get"]["responses"][200]["content"]["application/json"];
export type Problem = components["schemas"]["Problem"];
export type Suggestions = paths["/api/v1/suggest"]["get"]["responses"][200]["content"]["application/json"];
export type ReindexStatus = paths["/api/v1/admin/reindex"]["get"]["responses"][200]["content"]["application/json"];

// search runs a search; a refused request throws the problem's detail.
export async function search(base: string, query: SearchQuery): Promise<SearchResponse> {
  const url = new URL("/api/v1/search", base);
  for (const [name, value] of Object.entries(query)) {
    for (const v of Array.isArray(value) ? value : [value]) {
      if (v !== undefined) url.searchParams.append(name, String(v));
    }
  }
  const res = await fetch(url);
  if (!res.ok) {
    const problem = (await res.json()) as Problem;
    throw new Error(`${problem.status} ${problem.title}: ${problem.detail}`);
  }
  return (await res.json()) as SearchResponse;
}

// describe reads every part of a response a page shows.
export function describe(r: SearchResponse): string[] {
  const lines = [`${r.total} results, page ${r.page} of ${r.per_page}`];
  for (const hit of r.hits) {
    const tier: number = hit.tier;
    const score: number = hit.score;
    lines.push(`${hit.title} (${hit.source}, ${hit.date}, ${hit.kind}) tier ${tier} score ${score}: ${hit.highlights.body.join(" ")}`);
  }
  for (const w of r.warnings ?? []) {
    lines.push(`${w.parameter} ${w.value}: ${w.closest.join(", ")} — ${w.message}`);
  }
  for (const v of r.facets.source ?? []) lines.push(`${v.value} ${v.count}`);
  return lines;
}

// suggestionKinds lists the kinds of suggestions, which the document
// enumerates.
export function suggestionKinds(s: Suggestions): Array<"term" | "concept" | "title" | "source"> {
  return s.map((x) => x.kind);
}

// reindexState reads the admin reindex status.
export function reindexState(s: ReindexStatus): string {
  return s.state + (s.last?.message ? `: ${s.last.message}` : "");
}
