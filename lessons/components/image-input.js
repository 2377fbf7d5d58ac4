// An input for one image: drop a file on it, pick one, or paste one (Ctrl-V / ⌘-V anywhere on the page).
// Its value is the latest File (or null); it dispatches "input" like any Observable input. setFile(file)
// gives it a file from elsewhere (a camera snapshot).
import { showImages } from "../lib/viz/show-batch.js";

function element(tag, props = {}, ...children) {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
}

export function imageInput({ label = "Drop, pick or paste an image" } = {}) {
  const picker = element("input", { type: "file", accept: "image/*" });
  const status = element("span", { className: "dl-drop-status" }, "no image yet");
  const form = element(
    "form",
    { className: "dl-drop", tabIndex: 0 },
    element("b", {}, label),
    element("br"),
    picker,
    " ",
    status,
  );
  form.value = null;
  const set = (file) => {
    if (!file) return;
    form.value = file;
    status.textContent = file.name || "pasted image";
    form.dispatchEvent(new Event("input", { bubbles: true }));
  };
  form.onsubmit = (event) => event.preventDefault();
  picker.oninput = (event) => {
    event.stopPropagation();
    set(picker.files[0]);
  };
  form.ondragover = (event) => {
    event.preventDefault();
    form.classList.add("dl-drop-over");
  };
  form.ondragleave = () => form.classList.remove("dl-drop-over");
  form.ondrop = (event) => {
    event.preventDefault();
    form.classList.remove("dl-drop-over");
    set([...event.dataTransfer.files].find((f) => f.type.startsWith("image/")) ?? event.dataTransfer.files[0]);
  };
  const onPaste = (event) => {
    const item = [...(event.clipboardData?.items ?? [])].find((i) => i.type.startsWith("image/"));
    if (item) set(item.getAsFile());
  };
  document.addEventListener("paste", onPaste);
  form.detach = () => document.removeEventListener("paste", onPaste);
  form.setFile = set; // e.g. a camera snapshot

  return form;
}

// The picture a prediction was made on: a given file as an <img> (its object URL freed once shown), or a
// drawn RgbImage as a captioned tile.
export function picturePreview(picture, { caption = "", display = 160 } = {}) {
  if (picture instanceof Blob) {
    const url = URL.createObjectURL(picture);
    const img = element("img", { src: url, alt: picture.name ?? "your picture" });
    img.style.cssText = `max-width:${display}px;max-height:${display}px`;
    img.onload = img.onerror = () => URL.revokeObjectURL(url);
    return img;
  }
  return showImages([{ file: caption, label: caption, image: picture }], { display });
}
