/**
 * The notebook's stylesheet, put in every page's <head> by observablehq.config.ts, so that code
 * blocks are styled from the first paint. `content-visibility` skips laying out code that is off
 * screen and `contain` keeps a cell's re-renders from re-laying out the page: together they keep a
 * lesson with all its code shown as fast to render as the plain page (npm run bench site).
 */
export const NOTEBOOK_STYLE = `
.nb-page { border: 1px solid var(--theme-foreground-faintest); border-radius: 6px; padding: 0.5rem 0.8rem; margin: 1rem 0; font-size: 14px; }
.nb-page .nb-help { margin: 0 0 0.4rem; max-width: none; }
.nb-page-tools { display: flex; gap: 0.5rem; flex-wrap: wrap; }
.nb-notice p { margin: 0.4rem 0 0; max-width: none; }
.nb-warning { color: var(--theme-red, #c00); }
.nb-cell { position: relative; margin: 1rem 0; contain: layout style; }
.nb-cell > pre.nb-source, .nb-cell details.nb-fold { margin: 0 0 0.5rem; }
pre.nb-source { content-visibility: auto; contain-intrinsic-size: auto 8em; }
.nb-cell details.nb-fold > summary { font-size: 12px; color: var(--theme-foreground-muted); cursor: pointer; }
.nb-tools { display: flex; gap: 0.3rem; justify-content: flex-end; align-items: center; font-size: 12px; min-height: 1.4em; }
.nb-tools button { font-size: 12px; padding: 0 0.5em; }
.nb-tools { opacity: 0.6; } .nb-cell:hover > .nb-tools, .nb-tools:focus-within, .nb-cell[data-edited] > .nb-tools { opacity: 1; }
.nb-tools .nb-run, .nb-tools .nb-revert, .nb-tools .nb-remove { display: none; }
.nb-cell[data-editing] .nb-run, .nb-cell[data-state=pending] .nb-run { display: inline; }
.nb-cell[data-edited]:not(.nb-added) .nb-revert, .nb-added .nb-remove { display: inline; }
.nb-cell[data-editing] .nb-edit { display: none; }
.nb-badge { color: var(--theme-foreground-focus, #3b5fc0); margin-right: auto; }
.nb-cell[data-edited] > pre.nb-source, .nb-cell[data-edited] details.nb-fold { border-left: 3px solid var(--theme-foreground-focus, #3b5fc0); }
.nb-editor { border: 1px solid var(--theme-foreground-faint); border-radius: 4px; margin-bottom: 0.5rem; font-size: 14px; }
.nb-editor .cm-editor { max-height: 70vh; }
.nb-message { color: var(--theme-red, #c00); font-family: var(--monospace, monospace); font-size: 13px; white-space: pre-wrap; margin: 0 0 0.5rem; }
.nb-hide-code .nb-cell > pre.nb-source, .nb-hide-code .nb-cell details.nb-fold { display: none; }
`;
