import assert from "node:assert/strict";
import { test } from "node:test";
import type { Variable } from "../src/contract";
import {
  csvField,
  filterRows,
  paramTotals,
  rowsCsv,
  sortRows,
  totalsLine,
  variableRows,
} from "../src/vartable";
import { articleReuse } from "./fixture";

function v(
  name: string,
  params: number | null,
  uses: number,
  status: Variable["status"],
): Variable {
  return {
    name,
    aliases: [],
    owner_scope: name.split("/").slice(0, -1).join("/"),
    status,
    trainable: true,
    shape: params === null ? null : [params],
    dtype: "float32",
    params,
    node: -1,
    findings: [],
    uses: Array.from({ length: uses }, (_, i) => ({
      call_site: `s${i}`,
      call: 0,
      status: i === 0 ? ("created" as const) : ("reused" as const),
      updated_only: false,
      ops: [],
    })),
  };
}

const VARS = [v("b/w", 10, 2, "shared"), v("a/w", 200, 1, "unshared"), v("c/w", 3, 0, "unused")];

test("rows carry the colour category, the call sites and the findings' labels", () => {
  const r = articleReuse();
  r.findings = [
    {
      kind: "possible_missed_sharing",
      confidence: "high",
      severity: "bug",
      label: "Possible missed sharing",
      variables: ["dense/weights"],
      message: "",
      evidence: [],
      fix: "",
    },
  ];
  r.variables[0].findings = [0];
  const [row] = variableRows(r.variables, r.findings);
  assert.equal(row.status, "missed"); // a bug paints it, whatever its sharing status
  assert.equal(row.uses, 2);
  assert.equal(row.shape, "[10, 5]");
  assert.deepEqual(row.findings, ["Possible missed sharing"]);
});

test("numeric columns sort as numbers, both ways; ties by name", () => {
  const rows = variableRows(VARS, []);
  assert.deepEqual(
    sortRows(rows, "params", "desc").map((r) => r.name),
    ["a/w", "b/w", "c/w"],
  );
  assert.deepEqual(
    sortRows(rows, "params", "asc").map((r) => r.name),
    ["c/w", "b/w", "a/w"],
  );
  assert.deepEqual(
    sortRows(rows, "uses", "desc").map((r) => r.name),
    ["b/w", "a/w", "c/w"],
  );
  assert.deepEqual(
    sortRows(rows, "name", "asc").map((r) => r.name),
    ["a/w", "b/w", "c/w"],
  );
  const unknown = variableRows([...VARS, v("d/w", null, 1, "unshared")], []);
  assert.equal(sortRows(unknown, "params", "asc")[0].name, "d/w"); // unknown size is the smallest
});

test("filter by status and by text in the name or the owner scope", () => {
  const rows = variableRows(VARS, []);
  assert.deepEqual(
    filterRows(rows, "shared", "").map((r) => r.name),
    ["b/w"],
  );
  assert.deepEqual(
    filterRows(rows, "created", "").map((r) => r.name),
    ["a/w"],
  );
  assert.deepEqual(
    filterRows(rows, "all", " C ").map((r) => r.name),
    ["c/w"],
  );
  assert.equal(filterRows(rows, "missed", "").length, 0);
});

test("totals: each variable once, against one copy per call site", () => {
  const t = paramTotals(VARS, 213);
  assert.deepEqual(t, { unique: 213, unshared: 10 * 2 + 200 + 3, unknown: 0 });
  assert.equal(totalsLine(t), "213 unique parameters · 223 if nothing were shared");
  const r = articleReuse(); // dense/weights, 50 params, two call sites
  assert.equal(
    totalsLine(paramTotals(r.variables, r.total_params)),
    "50 unique parameters · 100 if nothing were shared",
  );
  assert.match(totalsLine(paramTotals([v("x", null, 1, "unshared")], 0)), /1 of unknown size$/);
});

test("CSV quotes commas, quotes and line breaks (RFC 4180)", () => {
  assert.equal(csvField("a/w"), "a/w");
  assert.equal(csvField("a,b"), '"a,b"');
  assert.equal(csvField('say "hi"'), '"say ""hi"""');
  assert.equal(csvField("two\nlines"), '"two\nlines"');
  const csv = rowsCsv(variableRows([v("odd,name/w", 4, 2, "shared")], []));
  assert.equal(
    csv,
    "name,owner scope,shape,dtype,params,status,uses,findings\r\n" +
      '"odd,name/w","odd,name",[4],float32,4,shared,2,\r\n',
  );
});
