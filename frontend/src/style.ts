// All CSS lives in the bundle (no external assets); injected once by render().
// Colours follow TensorBoard: orange #f57c00 accents, grey surfaces, and a
// dark palette when TensorBoard is in dark mode (theme.ts sets html[data-theme]).

const CSS = `
:root{color-scheme:light}:root[data-theme=dark]{color-scheme:dark}
[hidden]{display:none!important}
html,body{margin:0;padding:0;width:100vw;height:100vh;overflow:hidden}
#scopes-root{--bg:#fff;--fg:#212121;--muted:#616161;--line:#e0e0e0;--panel:#fafafa;--box:#f5f5f5;
 --box2:#eceff1;--node:#fff;--edge:#9e9e9e;--accent:#f57c00;--sel:#f57c00;--focus:#1a73e8;
 --created:#2e7d32;--reused:#1565c0;--shared:#7b1fa2;--missed:#d32f2f;--unused:#9e9e9e;
 --created-bg:#e8f5e9;--reused-bg:#e3f2fd;--shared-bg:#f3e5f5;--missed-bg:#ffebee;--unused-bg:#f5f5f5;
 position:fixed;inset:0;display:flex;flex-direction:column;background:var(--bg);color:var(--fg);
 font:13px Roboto,"Helvetica Neue",Arial,system-ui,sans-serif}
[data-theme=dark] #scopes-root{--bg:#202124;--fg:#e8eaed;--muted:#9aa0a6;--line:#3c4043;
 --panel:#292a2d;--box:#2d2e31;--box2:#35363a;--node:#303134;--edge:#80868b;--focus:#8ab4f8;
 --created:#81c995;--reused:#8ab4f8;--shared:#c58af9;--missed:#f28b82;--unused:#9aa0a6;
 --created-bg:#1e3a24;--reused-bg:#1a2f4d;--shared-bg:#3a2548;--missed-bg:#4a2020;--unused-bg:#303134}
.toolbar{display:flex;align-items:center;gap:8px;padding:6px 10px;border-bottom:1px solid var(--line);
 background:var(--panel);flex-wrap:wrap;min-height:36px}
.toolbar label{color:var(--muted);font-size:12px;display:flex;align-items:center;gap:4px}
.toolbar select,.toolbar input[type=search],.toolbar button{font:inherit;color:var(--fg);background:var(--bg);
 border:1px solid var(--line);border-radius:4px;padding:4px 6px}
.toolbar button{cursor:pointer;padding:4px 10px}
.toolbar button:hover{border-color:var(--accent)}
.toolbar .spacer{flex:1}
.export-menu{position:relative}
.export-menu>summary{list-style:none;cursor:pointer;border:1px solid var(--line);border-radius:4px;padding:4px 10px;background:var(--bg)}
.export-menu>summary::-webkit-details-marker{display:none}
.export-menu>summary:hover{border-color:var(--accent)}
.export-menu .menu{position:absolute;z-index:10;top:100%;left:0;margin-top:2px;display:flex;flex-direction:column;
 background:var(--bg);border:1px solid var(--line);border-radius:4px;box-shadow:0 2px 8px rgba(0,0,0,.2);min-width:160px}
.toolbar .export-menu .menu button{border:none;border-radius:0;text-align:left;padding:6px 10px;white-space:nowrap}
.toolbar .export-menu .menu button:hover{background:var(--box2)}
.toolbar a{color:var(--accent);text-decoration:none;font-size:12px}
.search{position:relative}
.search input{width:200px}
.toolbar select.picker{max-width:190px}
.search ul{position:absolute;z-index:10;top:100%;left:0;margin:2px 0 0;padding:0;list-style:none;min-width:320px;
 max-height:360px;overflow:auto;background:var(--bg);border:1px solid var(--line);border-radius:4px;
 box-shadow:0 2px 8px rgba(0,0,0,.2)}
.search li{padding:4px 8px;cursor:pointer;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.search li .k{color:var(--muted);font-size:11px;margin-right:6px;display:inline-block;width:52px}
.search li.active,.search li:hover{background:var(--box2)}
.main{flex:1;display:flex;min-height:0}
.canvas{flex:1;position:relative;min-width:0;overflow:hidden;display:flex;flex-direction:column}
.canvas svg{width:100%;flex:1;min-height:0;display:block;cursor:grab;user-select:none}
.canvas svg.panning{cursor:grabbing}
.side{width:360px;border-left:1px solid var(--line);background:var(--panel);flex:none;display:flex;flex-direction:column;
 overflow:hidden}
.side.wide{width:min(720px,58vw)}
.splitter{flex:none;width:5px;margin-right:-5px;z-index:2;cursor:col-resize;position:relative}
.splitter:hover{background:color-mix(in srgb,var(--accent) 40%,transparent)}
.side-details{flex:0 1 auto;max-height:50%;overflow:auto;border-bottom:1px solid var(--line)}
.side-details section{border-bottom:none}
.sidetabs{flex:none;display:flex;gap:2px;padding:6px 8px 0;border-bottom:1px solid var(--line)}
.sidetab{font:inherit;font-size:12px;color:var(--muted);background:none;border:none;border-bottom:2px solid transparent;
 padding:4px 8px 6px;cursor:pointer}
.sidetab[aria-selected=true]{color:var(--fg);border-bottom-color:var(--accent)}
.sidetab .n-bugs{color:var(--missed);font-weight:500}
.side-body{flex:1 1 0;min-height:80px;overflow:auto}
.side-legend{flex:none;border-top:1px solid var(--line)}
.side-legend section{padding:6px 14px;border-bottom:none;display:flex;flex-wrap:wrap;gap:2px 12px}
.side-legend h3{width:100%;margin-bottom:2px}.side-legend h3.outlines{margin-top:4px}
.variables .totals{font-size:12px;margin-bottom:8px}
.variables .filters{display:flex;gap:6px;margin-bottom:6px}
.variables select,.variables input{font:inherit;font-size:12px;color:var(--fg);background:var(--bg);
 border:1px solid var(--line);border-radius:4px;padding:3px 6px}
.variables input{flex:1;min-width:0}
.variables .shown{font-size:11px;color:var(--muted);margin-bottom:4px}
.vartable{border-collapse:collapse;width:100%;font-size:12px}
.vartable th{text-align:left;position:sticky;top:0;background:var(--panel);border-bottom:1px solid var(--line);padding:0}
.vartable th .sort{font:inherit;font-weight:500;color:var(--muted);background:none;border:none;padding:4px 4px;cursor:pointer;
 width:100%;text-align:inherit}
.vartable th.num{text-align:right}
.vartable th[aria-sort=ascending] .sort::after{content:" ▲"}.vartable th[aria-sort=descending] .sort::after{content:" ▼"}
.vartable th[aria-sort=ascending] .sort,.vartable th[aria-sort=descending] .sort{color:var(--fg)}
.vartable td{padding:3px 4px;border-bottom:1px solid var(--line);vertical-align:top;overflow-wrap:anywhere}
.vartable td[data-col=name]{min-width:90px}
.vartable td.num{text-align:right;font-variant-numeric:tabular-nums}
.vartable td .pill{margin-left:0;white-space:nowrap}
.vartable .n-bugs{color:var(--missed)}.vartable .n-notes{color:var(--muted)}
.vartable td[data-col=shape],.vartable td[data-col=dtype],.vartable td[data-col=findings]{white-space:nowrap}
.vartable tbody tr{cursor:pointer}
.vartable tbody tr:hover{background:var(--box2)}
.vartable tbody tr.selected{background:var(--box2);box-shadow:inset 3px 0 var(--accent)}
.show-more{margin-top:6px;font:inherit;font-size:12px;color:var(--accent);background:none;border:none;cursor:pointer;padding:0}
.side section{padding:10px 14px;border-bottom:1px solid var(--line)}
.side h3{margin:0 0 8px;font-size:12px;font-weight:500;text-transform:uppercase;letter-spacing:.04em;color:var(--muted)}
.side .empty{color:var(--muted);font-size:12px}
.side dl{margin:0;display:grid;grid-template-columns:auto 1fr;gap:3px 10px;font-size:12px}
.side dt{color:var(--muted)}.side dd{margin:0;overflow-wrap:anywhere}
.side .title{font-weight:500;overflow-wrap:anywhere;margin-bottom:6px}
.side ul{margin:4px 0;padding-left:16px;font-size:12px}
.side li{margin:2px 0;overflow-wrap:anywhere}
.lnk{color:var(--accent);text-decoration:none;cursor:pointer}.lnk:hover{text-decoration:underline}
.pill{display:inline-block;padding:0 6px;border-radius:8px;font-size:11px;border:1px solid currentColor;margin-left:4px}
.st-created{color:var(--created)}.st-reused{color:var(--reused)}.st-shared{color:var(--shared)}
.st-missed{color:var(--missed)}.st-unused{color:var(--unused)}
.finding{padding:8px;border:1px solid var(--line);border-radius:6px;margin-bottom:8px;cursor:pointer;background:var(--bg)}
.finding:hover,.finding.active{border-color:var(--accent)}
.finding .conf{font-size:11px;font-weight:500;text-transform:uppercase}
.finding .conf.high{color:var(--missed)}.finding .conf.low{color:var(--muted)}
.finding ul{color:var(--muted)}
.finding .msg{display:-webkit-box;-webkit-line-clamp:4;-webkit-box-orient:vertical;overflow:hidden}
.finding.active .msg{display:block}
.finding.note{opacity:.8}.finding .fix{margin-top:4px}
.notes>summary{cursor:pointer;color:var(--muted);margin:4px 0 8px}
.show-all{border:none;background:none;color:var(--accent);cursor:pointer;padding:0;font:inherit}
.warnings ul{color:var(--muted);padding-left:18px}
.warnings:empty{display:none}
li.note{color:var(--muted)}
.legend div{display:flex;align-items:center;gap:6px;font-size:12px;margin:2px 0}
.legend .sw{width:14px;height:14px;border-radius:3px;border:2px solid}
.overlay{position:absolute;inset:0;display:flex;align-items:center;justify-content:center;flex-direction:column;
 gap:12px;color:var(--muted);background:var(--bg);z-index:5;text-align:center;padding:24px}
.overlay.error{color:var(--missed)}
.spinner{width:32px;height:32px;border:3px solid var(--line);border-top-color:var(--accent);border-radius:50%;
 animation:spin 1s linear infinite}
@keyframes spin{to{transform:rotate(360deg)}}
.banner{position:absolute;top:8px;left:50%;transform:translateX(-50%);z-index:4;padding:6px 12px;
 background:var(--panel);color:var(--fg);border:1px solid var(--accent);border-radius:4px;font-size:12px;
 box-shadow:0 1px 4px rgba(0,0,0,.2)}
.banner-action{font:inherit;color:var(--accent);background:none;border:none;padding:0;cursor:pointer;font-weight:500}
.banner-action:hover{text-decoration:underline}
.statusline{flex:none;padding:3px 8px;font-size:11px;color:var(--muted);border-top:1px solid var(--line);background:var(--panel);
 white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.note{font-size:12px;color:var(--muted);margin-top:6px}
.side .shape{color:var(--muted)}
/* graph */
.g-box>rect.body{fill:var(--box);stroke:var(--line);stroke-width:1}
.g-box[data-depth-odd]>rect.body{fill:var(--box2)}
.g-box text.lbl{font-weight:500}
.g-item text{fill:var(--fg);font-size:12px;dominant-baseline:middle}
.g-item text.sub{fill:var(--muted);font-size:10px}
.g-item text.badge{fill:var(--reused);font-size:11px}
.g-item{cursor:pointer}
.g-scope>rect.body{fill:var(--box2);stroke:var(--muted);stroke-width:1}
.g-op>rect.body,.g-more>rect.body{fill:var(--node);stroke:var(--edge);stroke-width:1}
.g-more>rect.body{stroke-dasharray:3 2}
.g-var>rect.body{fill:var(--node);stroke:var(--fg);stroke-width:1.5}
.g-item .exp rect{fill:var(--bg);stroke:var(--muted)}
.g-item .exp text{font-size:12px;text-anchor:middle;fill:var(--fg)}
.g-item .exp:hover rect{stroke:var(--accent)}
[data-status=created]>rect.body{stroke:var(--created);fill:var(--created-bg)}
[data-status=reused]>rect.body{stroke:var(--reused);fill:var(--reused-bg)}
[data-status=shared]>rect.body{stroke:var(--shared);fill:var(--shared-bg)}
[data-status=missed]>rect.body{stroke:var(--missed);fill:var(--missed-bg)}
[data-status=unused]>rect.body{stroke:var(--unused);fill:var(--unused-bg);stroke-dasharray:4 2}
[data-tint]>rect.body{stroke:var(--tint);fill:color-mix(in srgb,var(--tint) 18%,var(--node))}
.g-item[data-highlight]>rect.body{stroke-width:3}
.g-item[data-highlight=created]>rect.body{stroke:var(--created)}
.g-item[data-highlight=reused]>rect.body{stroke:var(--reused);stroke-dasharray:6 3}
.g-item[data-highlight=finding]>rect.body{stroke:var(--missed)}
.g-item[data-highlight=trace]>rect.body{stroke:var(--fg)}
.g-item[data-selected]>rect.body{stroke:var(--sel);stroke-width:3}
/* keyboard focus: a ring of its own colour, over status, tint and selection (keyboard.ts) */
.g-item:focus{outline:none}
.g-item:focus-visible>rect.body{stroke:var(--focus);stroke-width:3;stroke-dasharray:none;
 filter:drop-shadow(0 0 3px var(--focus))}
svg.dimming .g-item:not([data-highlight]):not([data-selected]):not(.g-box):not(:focus-visible){opacity:.3}
svg.dimming .edge{opacity:.2}
svg.dimming .edge[data-lit]{opacity:1}
.edge path{fill:none;stroke:var(--edge);stroke-width:1.2}
.edge text.elbl{font-size:9px;fill:var(--muted);dominant-baseline:middle;pointer-events:none}
.edge.read path{stroke:var(--reused);stroke-dasharray:4 3}
.edge text{font-size:10px;fill:var(--muted)}
marker path{fill:var(--edge)}
.offscreen{cursor:pointer}.offscreen circle{fill:var(--bg);stroke:var(--accent);stroke-width:1.5}
.offscreen path{fill:var(--accent)}.offscreen:hover circle{fill:var(--box2)}
.minimap{position:absolute;right:8px;bottom:30px;z-index:2;line-height:0;background:var(--bg);
 border:1px solid var(--line);border-radius:4px;box-shadow:0 1px 4px rgba(0,0,0,.15);cursor:crosshair;opacity:.95}
.mm-leaf{fill:var(--edge)}.mm-aux{fill:var(--line)}.mm-box{fill:none;stroke:var(--muted);stroke-width:.6}
.mm-view{pointer-events:none;fill:color-mix(in srgb,var(--accent) 12%,transparent);stroke:var(--accent);stroke-width:1.5}
.aux-area rect{fill:none;stroke:var(--line);stroke-dasharray:4 3}
.aux-area text{fill:var(--muted);font-size:11px}
.g-item[data-aux]{opacity:.7}
.g-item[data-aux]>rect.body{stroke-dasharray:3 2}
.g-item text.links{fill:var(--muted);font-size:10px}
`;

export function injectStyle(): void {
  if (document.getElementById("scopes-style")) return;
  const el = document.createElement("style");
  el.id = "scopes-style";
  el.textContent = CSS;
  document.head.append(el);
}
