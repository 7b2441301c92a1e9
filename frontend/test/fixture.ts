// Hand-written contract JSON (docs/contract.md shapes) for the unit tests.
import type { GraphResponse } from "../src/contract";

export function articleReuse(): GraphResponse {
  return {
    contract_version: 2,
    run: "article_reuse",
    tag: "__run_graph__",
    source: "run_graph",
    kind: "op_graph",
    framework: "tensorflow",
    names: "real",
    machinery: [],
    warnings: [],
    total_params: 50,
    variables: [
      {
        name: "dense/weights",
        aliases: [],
        owner_scope: "dense",
        trainable: true,
        status: "shared",
        shape: [10, 5],
        dtype: "float32",
        params: 50,
        node: 0,
        findings: [],
        uses: [
          {
            call_site: "dense",
            call: 0,
            status: "created",
            updated_only: false,
            ops: ["dense/MatMul"],
          },
          {
            call_site: "dense_1",
            call: 0,
            status: "reused",
            updated_only: false,
            ops: ["dense_1/MatMul"],
          },
        ],
      },
    ],
    findings: [],
    scopes: [
      { name: "", params_owned: 50, params_used: 50 },
      { name: "dense", params_owned: 50, params_used: 50 },
      { name: "dense_1", params_owned: 0, params_used: 50 },
    ],
    graph: {
      // 0 dense/weights, 1 dense/MatMul, 2 dense_1/MatMul, 3 x, 4 foo, 5 foo/bar, 6 foo/bar/baz
      nodes: [
        "dense/weights",
        "dense/MatMul",
        "dense_1/MatMul",
        "x",
        "foo",
        "foo/bar",
        "foo/bar/baz",
      ],
      ops: [0, 1, 1, 2, 3, 3, 3],
      op_types: ["VariableV2", "MatMul", "Placeholder", "Identity"],
      edges: [3, 1, 3, 2, 1, 4, 2, 6, 4, 5, 5, 6, 1, 2],
      // x's edges carry [?, 10]; dense/MatMul's [?, 5]; the foo edges are unknown
      edge_shapes: [1, 1, 0, 0, 0, 0, 2],
      shape_names: ["", "[?, 10]", "[?, 5]"],
      reads: [1, 0, 0, 2, 0, 1],
      // x is machinery here so that the machinery filter has something to drop
      roles: [2, 0, 0, 3, 1, 1, 1],
      role_names: ["compute", "pass", "variable", "machinery", "gradient"],
    },
    stats: { ops_in_graph: 23, nodes_drawn: 7, helpers_folded: 16 },
  };
}

/** A scope `wide` with `n` direct ops, each fed by `wide/src` (so n + 1 children). */
export function wide(n: number): GraphResponse {
  const r = articleReuse();
  const nodes = ["wide/src"];
  const edges: number[] = [];
  for (let i = 0; i < n; i++) {
    nodes.push(`wide/op_${i}`);
    edges.push(0, i + 1);
  }
  r.variables = [];
  r.graph = {
    nodes,
    // One op type each: alike numbered ops of one type would fold into a series (series.ts).
    ops: nodes.map((_, i) => i),
    op_types: nodes.map((_, i) => `Identity${i}`),
    edges,
    edge_shapes: edges.filter((_, k) => k % 2 === 0).map(() => 0),
    shape_names: [""],
    reads: [],
    roles: nodes.map(() => 0),
    role_names: ["compute", "pass", "variable", "machinery", "gradient"],
  };
  return r;
}
