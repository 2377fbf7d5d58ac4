// An input for one image: drop a file on it, pick one, or paste one (Ctrl-V / ⌘-V anywhere on the page).
// Its value is the latest File (or null); it dispatches "input" like any Observable input. setFile(file)
// gives it a file from elsewhere (a camera snapshot).
import { showImages } from "../lib/viz/show-batch.js";
import { imageCanvas } from "../lib/viz/image.js";
import { decodeImageBlob } from "../lib/browser/index.js";

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

// The picture a prediction was made on: a given file as an <img> of a small PNG made by the course's
// decoder (its object URL freed once shown), or a drawn RgbImage as a captioned tile. The file itself is
// never given to an <img>: the browser would decode it at full size, whatever size it is shown at (a
// 4500 × 4500 JPEG of 6.9 MB cost the tab 207 MiB that way, 2.7× its pixels), and its bytes say
// nothing of its pixels. The decoder reads the size from the header and shrinks while
// decoding (tests/browser/memory.test.ts); a file it cannot read shows its name, as predict says why.
export function picturePreview(picture, { caption = "", display = 160 } = {}) {
  if (picture instanceof Blob) {
    const img = element("img", { alt: picture.name ?? "your picture" });
    img.style.cssText = `max-width:${display}px;max-height:${display}px`;
    decodeImageBlob(picture, img.alt, { maxSize: 2 * display })
      .then(pngOf)
      .then((png) => {
        const url = URL.createObjectURL(png);
        img.onload = img.onerror = () => URL.revokeObjectURL(url);
        img.src = url;
      })
      .catch(() => {}); // the alt text stays: the prediction beside it says what is wrong with the file
    return img;
  }
  return showImages([{ file: caption, label: caption, image: picture }], { display });
}

/** An RgbImage as a PNG blob (through the canvas viz/image.js draws it on). */
function pngOf(image) {
  const canvas = imageCanvas(image);
  return new Promise((resolve, reject) =>
    canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error("no PNG"))), "image/png"),
  );
}
