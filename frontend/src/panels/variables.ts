// The Variables tab: every model weight in a table (name, owner scope, shape,
// dtype, params, status, call sites, findings), sortable by any column, filtered
// by status and text, under a line with the parameter totals. A row selects its
// variable, as the search does. Rows are drawn in pages ("show more") so a graph
// with thousands of variables stays fast.

import { h } from "../dom";
import { STATUS_WORD, VARIABLE_STATUSES } from "../labels";
import type { Model, Status } from "../model";
import {
  COLUMNS,
  type SortDir,
  type SortKey,
  type VarRow,
  filterRows,
  paramTotals,
  sortRows,
  totalsLine,
  variableRows,
} from "../vartable";

const PAGE = 200; // rows drawn at a time

export class VariablesPanel {
  private sort: SortKey = "name";
  private dir: SortDir = "asc";
  private status: Status | "all" = "all";
  private text = "";
  private limit = PAGE;
  /** Rows of the last model (rebuilt only when the model changes). */
  private rows: VarRow[] = [];
  private rowsOf: Model | null = null;

  build(m: Model, selected: string | null, onSelect: (name: string) => void): HTMLElement {
    if (this.rowsOf !== m) {
      this.rows = variableRows(m.variables, m.findings);
      this.rowsOf = m;
      this.limit = PAGE; // sort and filters stay: they are the user's way of reading tables
    }
    // By index: two variables may share a name (the selection names one of them).
    const selIndex = selected === null ? -1 : (m.varByName.get(selected) ?? -1);
    const sec = h("section", { class: "variables" });
    sec.append(
      h(
        "div",
        { class: "totals", "data-testid": "param-totals" },
        totalsLine(paramTotals(m.variables, m.info.totalParams)),
      ),
    );
    const status = h("select", { "aria-label": "filter by status", class: "var-status" });
    const counts = new Map<Status, number>();
    for (const r of this.rows) counts.set(r.status, (counts.get(r.status) ?? 0) + 1);
    status.append(h("option", { value: "all" }, `every status (${this.rows.length})`));
    for (const st of VARIABLE_STATUSES) {
      const o = h("option", { value: st }, `${STATUS_WORD[st]} (${counts.get(st) ?? 0})`);
      status.append(o);
    }
    status.value = this.status;
    const text = h("input", {
      type: "search",
      class: "var-filter",
      placeholder: "Filter by name or scope",
      "aria-label": "filter variables",
    });
    text.value = this.text;
    const shown = h("div", { class: "shown", "aria-live": "polite" });
    const table = h("table", { class: "vartable" });
    const thead = h("thead");
    const tbody = h("tbody");
    table.append(thead, tbody);
    const more = h("button", { type: "button", class: "show-more" });
    sec.append(h("div", { class: "filters" }, status, text), shown, table, more);

    const renderHead = () => {
      const tr = h("tr");
      for (const c of COLUMNS) {
        const on = c.key === this.sort;
        const b = h("button", { type: "button", class: "sort" }, c.title);
        b.addEventListener("click", () => {
          if (on) this.dir = this.dir === "asc" ? "desc" : "asc";
          else {
            this.sort = c.key;
            // Biggest first is what one looks for in a number column.
            this.dir = c.numeric ? "desc" : "asc";
          }
          renderHead();
          renderRows();
        });
        tr.append(
          h(
            "th",
            {
              "data-col": c.key,
              class: c.numeric ? "num" : null,
              "aria-sort": on ? (this.dir === "asc" ? "ascending" : "descending") : "none",
            },
            b,
          ),
        );
      }
      thead.replaceChildren(tr);
    };
    const renderRows = () => {
      const rows = sortRows(filterRows(this.rows, this.status, this.text), this.sort, this.dir);
      tbody.replaceChildren(
        ...rows.slice(0, this.limit).map((r) => row(r, r.index === selIndex, onSelect)),
      );
      if (rows.length === 0)
        tbody.append(
          h(
            "tr",
            { class: "none" },
            h(
              "td",
              { colspan: COLUMNS.length, class: "empty" },
              this.rows.length
                ? "No variable matches these filters."
                : "This graph has no variables.",
            ),
          ),
        );
      shown.textContent =
        rows.length === this.rows.length
          ? `${rows.length.toLocaleString("en-US")} variables`
          : `${rows.length.toLocaleString("en-US")} of ${this.rows.length.toLocaleString("en-US")} variables`;
      shown.setAttribute("data-count", String(rows.length));
      const left = rows.length - Math.min(rows.length, this.limit);
      more.hidden = left <= 0;
      more.textContent = `show ${Math.min(PAGE, left).toLocaleString("en-US")} more of ${left.toLocaleString("en-US")}`;
    };
    status.addEventListener("change", () => {
      this.status = status.value as Status | "all";
      this.limit = PAGE;
      renderRows();
    });
    text.addEventListener("input", () => {
      this.text = text.value;
      this.limit = PAGE;
      renderRows();
    });
    more.addEventListener("click", () => {
      this.limit += PAGE;
      renderRows();
    });
    renderHead();
    renderRows();
    return sec;
  }
}

/** A long name may wrap after a "/" or a "." (a <wbr>, no markup from the name). */
function breakable(name: string): Array<Node | string> {
  const out: Array<Node | string> = [];
  for (const part of name.split(/(?<=[/.\]])/)) out.push(part, h("wbr"));
  return out;
}

/** "1 bug", "2 notes": short in the cell, the labels in its tooltip (and in the CSV). */
function findingsCell(r: VarRow): HTMLElement {
  const td = h("td", { "data-col": "findings", class: "num" });
  if (!r.findings.length) return td;
  td.title = r.findings.join("\n");
  if (r.bugs) td.append(h("span", { class: "n-bugs" }, r.bugs === 1 ? "1 bug" : `${r.bugs} bugs`));
  const notes = r.findings.length - r.bugs;
  if (notes) {
    if (r.bugs) td.append(" ");
    td.append(h("span", { class: "n-notes" }, notes === 1 ? "1 note" : `${notes} notes`));
  }
  return td;
}

function row(r: VarRow, selected: boolean, onSelect: (name: string) => void): HTMLElement {
  const tr = h(
    "tr",
    {
      "data-variable": r.name,
      "data-status": r.status,
      class: selected ? "selected" : null,
      "aria-selected": selected ? "true" : "false",
      tabindex: 0,
      title: `select ${r.name} on the graph`,
    },
    h("td", { "data-col": "name" }, ...breakable(r.name)),
    h("td", { "data-col": "owner" }, ...breakable(r.owner || "(root)")),
    h("td", { "data-col": "shape" }, r.shape || "unknown"),
    h("td", { "data-col": "dtype" }, r.dtype || "unknown"),
    h(
      "td",
      { "data-col": "params", class: "num" },
      r.params === null ? "unknown" : r.params.toLocaleString("en-US"),
    ),
    h(
      "td",
      { "data-col": "status" },
      h("span", { class: `pill st-${r.status}` }, STATUS_WORD[r.status]),
    ),
    h("td", { "data-col": "uses", class: "num" }, String(r.uses)),
    findingsCell(r),
  );
  tr.addEventListener("click", () => onSelect(r.name));
  tr.addEventListener("keydown", (e) => {
    if (e.key === "Enter") onSelect(r.name);
  });
  return tr;
}
