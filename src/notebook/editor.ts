/**
 * The part of the notebook that loads only when the learner first edits a cell: CodeMirror 6 and
 * Framework's cell compiler. scripts/notebook-editor.ts bundles this file, with its dependencies,
 * into one module of the site (lessons/assets/notebook/editor.js); src/notebook/page.ts imports it.
 */
import { basicSetup } from "codemirror";
import { javascript } from "@codemirror/lang-javascript";
import { EditorSelection, Prec } from "@codemirror/state";
import { EditorView, keymap } from "@codemirror/view";

export { CellError, compileCell, importsOf, transpileCell } from "./compile.js";

export interface CellEditor {
  focus(): void;
  /** Puts the cursor at a 1-based line and 0-based column (a syntax error's place). */
  select(line: number, column: number): void;
  destroy(): void;
}

export interface EditorOptions {
  /** Ctrl/Cmd-Enter, Shift-Enter and the page's Run button. */
  onRun: () => void;
  /** Escape. */
  onLeave: () => void;
  /** Every change of text. */
  onChange: (text: string) => void;
}

/** A JavaScript editor in `parent` holding `doc`: highlighting, undo, bracket matching, keyboard use. */
export function createEditor(
  parent: HTMLElement,
  doc: string,
  { onRun, onLeave, onChange }: EditorOptions,
): CellEditor {
  const run = () => (onRun(), true);
  const view = new EditorView({
    parent,
    doc,
    extensions: [
      Prec.highest(
        keymap.of([
          { key: "Mod-Enter", run },
          { key: "Shift-Enter", run },
          { key: "Escape", run: () => (onLeave(), true) },
        ]),
      ),
      basicSetup,
      javascript(),
      EditorView.lineWrapping,
      EditorView.updateListener.of((update) => {
        if (update.docChanged) onChange(update.state.doc.toString());
      }),
    ],
  });
  return {
    focus: () => view.focus(),
    select(line, column) {
      const { doc } = view.state;
      const at = doc.line(Math.min(Math.max(line, 1), doc.lines));
      view.dispatch({ selection: EditorSelection.cursor(Math.min(at.from + column, at.to)), scrollIntoView: true });
      view.focus();
    },
    destroy: () => view.destroy(),
  };
}
