/**
 * A dataset made with the camera, Teachable Machine's way: name a class, take a burst of pictures,
 * next class. The pictures are PNG files in one zip laid out as `<class>/<n>.png`, the layout every
 * loader of the course reads, so the set trains, downloads and reloads like any other. Browser only.
 */
import { zipSync } from "fflate";
import { downloadBlob } from "./download.js";

/** The set as made so far: each class's PNG files, in the order taken. */
export interface CameraSet {
  classes: { name: string; pictures: Uint8Array[] }[];
}

/** The zip of `set`: `<class>/<n>.png` (n from 1, zero-padded to 3 digits), stored as PNG is already compressed. */
export function cameraSetZip(set: CameraSet): Uint8Array {
  const files: Record<string, Uint8Array> = {};
  for (const { name, pictures } of set.classes)
    pictures.forEach((png, i) => (files[`${name}/${String(i + 1).padStart(3, "0")}.png`] = png));
  return zipSync(files, { level: 0 });
}

/** A class name the zip's folders can carry: letters, digits, spaces, `-` and `_`, 1–40 characters. */
export function checkClassName(name: string, taken: readonly string[]): string | null {
  const trimmed = name.trim();
  if (trimmed === "") return "give the class a name first, e.g. cat";
  if (!/^[\p{L}\p{N} _-]{1,40}$/u.test(trimmed))
    return `"${trimmed}" cannot name a folder; use letters, digits, spaces, - and _ (at most 40)`;
  if (taken.includes(trimmed))
    return `there is already a class "${trimmed}"; pick another name, or add to it with Take`;
  return null;
}

/** The maker's element: its value (the zip once Use is pressed) and a way to turn the camera off. */
export type CameraSetElement = HTMLDivElement & {
  value: { bytes: Uint8Array; name: string } | null;
  stop(): void;
};

export interface CameraSetOptions {
  /** Pictures per press of Take. Default 10. */
  burst?: number;
  /** Milliseconds between pictures of a burst. Default 150. */
  intervalMs?: number;
  /** Side of the square pictures kept (the centre of the camera's frame). Default 224. */
  size?: number;
}

/**
 * The camera set maker: Start the camera, a class name, Take (a burst of `burst` pictures), Next class,
 * thumbnails per class, Download (.zip) and Use these pictures. Its `value` is null until Use, then
 * `{bytes, name}` (the zip) with an "input" event. `data-camera-set` is off, on, error; `data-counts`
 * lists each class's count ("cat:10,dog:10"). `stop()` turns the camera off (a page calls it on
 * invalidation).
 */
export function cameraSet({ burst = 10, intervalMs = 150, size = 224 }: CameraSetOptions = {}): CameraSetElement {
  const root = document.createElement("div") as unknown as CameraSetElement;
  root.className = "camera-set";
  root.value = null;
  root.dataset.cameraSet = "off";
  root.innerHTML = `<button type="button" name="start">Start the camera</button>
<div class="camera-live" hidden>
  <video autoplay playsinline muted width="224"></video>
  <div><label>Class <input name="class" placeholder="e.g. cat" size="14"></label>
  <button type="button" name="take">Take ${burst} pictures</button>
  <button type="button" name="next">Next class</button></div>
</div>
<div class="camera-classes"></div>
<p class="camera-status"></p>
<button type="button" name="download" disabled>Download (.zip)</button>
<button type="button" name="use" disabled>Use these pictures</button>`;
  const $ = <T extends Element>(selector: string) => root.querySelector(selector) as T;
  const video = $<HTMLVideoElement>("video");
  const nameInput = $<HTMLInputElement>("input[name=class]");
  const status = $<HTMLParagraphElement>(".camera-status");
  const classesView = $<HTMLDivElement>(".camera-classes");
  const set: CameraSet = { classes: [] };
  let current: CameraSet["classes"][number] | null = null;
  let stream: MediaStream | null = null;

  const say = (text: string, error = false) => {
    status.textContent = text;
    status.className = `camera-status${error ? " error" : ""}`;
  };
  const refresh = () => {
    root.dataset.counts = set.classes.map((c) => `${c.name}:${c.pictures.length}`).join(",");
    const ready = set.classes.filter((c) => c.pictures.length > 0).length >= 2;
    $<HTMLButtonElement>("button[name=download]").disabled = !set.classes.some((c) => c.pictures.length);
    $<HTMLButtonElement>("button[name=use]").disabled = !ready;
  };
  const thumbnails = (entry: CameraSet["classes"][number]) => {
    let row = classesView.querySelector<HTMLDivElement>(`[data-class="${CSS.escape(entry.name)}"]`);
    if (row === null) {
      row = document.createElement("div");
      row.dataset.class = entry.name;
      row.innerHTML = `<b></b> <span class="count"></span><div class="thumbs"></div>`;
      row.querySelector("b")!.textContent = entry.name;
      classesView.append(row);
    }
    row.querySelector(".count")!.textContent = `${entry.pictures.length} pictures`;
    return row.querySelector<HTMLDivElement>(".thumbs")!;
  };

  /** The centre square of the current frame as PNG bytes, and a thumbnail of it. */
  const snap = async (): Promise<{ png: Uint8Array; thumb: HTMLCanvasElement }> => {
    const canvas = document.createElement("canvas");
    canvas.width = canvas.height = size;
    const side = Math.min(video.videoWidth, video.videoHeight);
    const [sx, sy] = [(video.videoWidth - side) / 2, (video.videoHeight - side) / 2];
    canvas.getContext("2d")!.drawImage(video, sx, sy, side, side, 0, 0, size, size);
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, "image/png"));
    if (blob === null) throw new Error("the browser could not encode the picture");
    const thumb = document.createElement("canvas");
    thumb.width = thumb.height = 40;
    thumb.getContext("2d")!.drawImage(canvas, 0, 0, 40, 40);
    return { png: new Uint8Array(await blob.arrayBuffer()), thumb };
  };

  $<HTMLButtonElement>("button[name=start]").onclick = async () => {
    try {
      if (!navigator.mediaDevices?.getUserMedia)
        throw new Error("this browser gives pages no camera (it needs https or localhost)");
      stream = await navigator.mediaDevices.getUserMedia({ video: { width: 640, height: 480 } });
      video.srcObject = stream;
      await video.play().catch(() => undefined);
      $<HTMLDivElement>(".camera-live").hidden = false;
      $<HTMLButtonElement>("button[name=start]").hidden = true;
      root.dataset.cameraSet = "on";
      say("Name a class, point the camera at it, and press Take.");
    } catch (error) {
      root.dataset.cameraSet = "error";
      const e = error as Error;
      say(
        `No camera: ${e.name && e.name !== "Error" ? `${e.name}: ` : ""}${e.message}. Pick a folder or a zip instead.`,
        true,
      );
    }
  };

  $<HTMLButtonElement>("button[name=take]").onclick = async () => {
    if (current === null) {
      const problem = checkClassName(
        nameInput.value,
        set.classes.map((c) => c.name),
      );
      if (problem !== null) return say(`${problem[0]!.toUpperCase()}${problem.slice(1)}.`, true);
      current = { name: nameInput.value.trim(), pictures: [] };
      set.classes.push(current);
      nameInput.disabled = true;
    }
    const entry = current;
    const take = $<HTMLButtonElement>("button[name=take]");
    take.disabled = true;
    try {
      for (let i = 0; i < burst; i++) {
        if (video.videoWidth === 0)
          throw new Error("the camera gives no picture yet; wait a moment and press Take again");
        const { png, thumb } = await snap();
        entry.pictures.push(png);
        thumbnails(entry).append(thumb);
        refresh();
        say(`${entry.name}: ${entry.pictures.length} pictures.`);
        await new Promise((resolve) => setTimeout(resolve, intervalMs));
      }
    } catch (error) {
      say(`${(error as Error).message}.`, true);
    } finally {
      take.disabled = false;
    }
  };

  $<HTMLButtonElement>("button[name=next]").onclick = () => {
    current = null;
    nameInput.disabled = false;
    nameInput.value = "";
    nameInput.focus();
    say("Name the next class, and press Take.");
  };

  $<HTMLButtonElement>("button[name=download]").onclick = () =>
    downloadBlob(new Blob([cameraSetZip(set) as BlobPart], { type: "application/zip" }), "camera-set.zip");

  $<HTMLButtonElement>("button[name=use]").onclick = () => {
    root.value = { bytes: cameraSetZip(set), name: "camera-set.zip" };
    say(`Using ${set.classes.map((c) => `${c.pictures.length} ${c.name}`).join(", ")}.`);
    root.dispatchEvent(new Event("input", { bubbles: true }));
  };

  root.stop = () => {
    stream?.getTracks().forEach((track) => track.stop());
    stream = null;
  };
  refresh();
  return root;
}
