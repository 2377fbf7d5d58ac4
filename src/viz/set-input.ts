/**
 * Sets an input as if the learner had moved it: the new value, then a bubbling "input" event, so a page's
 * `view(input)` (and every cell that uses it) sees the change. For Inputs.range, select, toggle and the like.
 */
export function setInput(input: EventTarget & { value: unknown }, value: unknown): void {
  input.value = value;
  input.dispatchEvent(new Event("input", { bubbles: true }));
}
