// Backend access. URLs are RELATIVE to the bundle (data/plugin/scopes/), so
// the tab keeps working when TensorBoard runs under --path_prefix.

import type {
  DrawingResponse,
  GraphResponse,
  NodeResponse,
  RunsResponse,
  SearchResponse,
  StatusResponse,
} from "./contract";

export class ApiError extends Error {}

/** A failure in one sentence for the user: the server's own for an ApiError, else its message. */
export function errorText(err: unknown): string {
  if (err instanceof ApiError) return err.message;
  return err instanceof Error ? err.message : String(err);
}

async function getJson<T>(url: string): Promise<T> {
  let resp: Response;
  try {
    resp = await fetch(url, { credentials: "same-origin" });
  } catch (err) {
    throw new ApiError(`Could not reach the TensorBoard server (${String(err)}).`);
  }
  const text = await resp.text();
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    /* not JSON: reported below */
  }
  if (!resp.ok) {
    // The backend answers 4xx with {"error": "<one readable sentence>"}.
    const msg =
      body && typeof body === "object" && typeof (body as { error?: unknown }).error === "string"
        ? (body as { error: string }).error
        : `${resp.status} ${resp.statusText}`.trim();
    throw new ApiError(`Server error: ${msg}`);
  }
  if (body === null) throw new ApiError(`The server sent an invalid answer for ${url}.`);
  return body as T;
}

export function fetchRuns(): Promise<RunsResponse> {
  return getJson<RunsResponse>("./runs");
}

export function graphUrl(run: string, tag: string, source: string | null): string {
  const q = new URLSearchParams({ run, tag });
  if (source) q.set("source", source);
  return `./graph?${q.toString()}`;
}

export function fetchGraph(
  run: string,
  tag: string,
  source: string | null,
): Promise<GraphResponse> {
  return getJson<GraphResponse>(graphUrl(run, tag, source));
}

export function fetchStatus(): Promise<StatusResponse> {
  return getJson<StatusResponse>("./status");
}

/** One op's details (attributes, inputs and their shapes); see docs/contract.md, `node`. */
export function fetchNode(
  run: string,
  tag: string,
  source: string | null,
  name: string,
): Promise<NodeResponse> {
  const q = new URLSearchParams({ run, tag, name });
  if (source) q.set("source", source);
  return getJson<NodeResponse>(`./node?${q.toString()}`);
}

/** A cut graph's drawing data with the scopes `open` (and their ancestors) open; see `drawing`. */
export function fetchDrawing(
  run: string,
  tag: string,
  source: string | null,
  open: Iterable<string>,
): Promise<DrawingResponse> {
  const q = new URLSearchParams({ run, tag });
  if (source) q.set("source", source);
  for (const p of open) q.append("open", p);
  return getJson<DrawingResponse>(`./drawing?${q.toString()}`);
}

/** Ops, scopes and variables whose name holds `query`, drawn or not; see `search`. */
export function fetchSearch(
  run: string,
  tag: string,
  source: string | null,
  query: string,
): Promise<SearchResponse> {
  const q = new URLSearchParams({ run, tag, q: query });
  if (source) q.set("source", source);
  return getJson<SearchResponse>(`./search?${q.toString()}`);
}
