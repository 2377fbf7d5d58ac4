import type { Base } from "../model/base.js";
import type { DownloadProgress } from "../model/download-base.js";
import { progressBar } from "./progress.js";

/** A base as a loader hands it over, and where it came from. */
export interface PickedBase {
  base: Base;
  origin: "download" | "browser" | "files";
  /** Why it could not be kept in this browser, if it could not. */
  notKept?: string;
}

/**
 * A learner's pick as remembered between pages: the course base, a hosted base (`id` one of the
 * picker's `hosted`, the first when absent) or a URL (picked files cannot be remembered).
 */
export type BaseChoice = { kind: "course" } | { kind: "photo"; id?: string } | { kind: "url"; url: string };

/** A pretrained base hosted elsewhere: offered by name, downloaded only when picked. */
export interface HostedBase {
  /** The radio's value: "photo" for the first. */
  id: string;
  /** Its model.json. */
  url: string;
  /** Its name in the list, e.g. "MobileNet, pretrained on ImageNet photos". */
  title: string;
  /** What it is for and what it costs, e.g. "for real photos; about 2 MB". */
  about: string;
}

export interface BasePickerOptions {
  /** The course's own base: the first choice, and what the picker holds until another base is ready. */
  course: Base;
  /** The hosted bases offered, the photo base first (downloaded only when picked). */
  hosted: readonly HostedBase[];
  /** Loads the base at a URL: this browser's copy if kept, else a download (progress, stoppable). */
  loadUrl(
    url: string,
    options: { signal: AbortSignal; onProgress: (p: DownloadProgress) => void },
  ): Promise<PickedBase>;
  /** Loads a base from picked files (model.json + weights, or a .zip). */
  loadFiles(files: FileList): Promise<PickedBase>;
  /** Whether this browser keeps a copy of the base at `url` (shown next to the choice; nothing fetched). */
  isKept(url: string): Promise<boolean>;
  /** The learner's last pick, to take again on load when it needs no download (kept in this browser). */
  remembered?: BaseChoice | null;
  /** Called with each pick that loaded, to remember it. */
  remember?(choice: BaseChoice): void;
}

/**
 * The base chooser: the course base (offline), the hosted bases (downloaded on request), a model URL or
 * model files, with Use / Stop, a progress bar and one status sentence. Its `value` is the base in use
 * (the course base until another one has loaded); an "input" event says it changed. A failed load
 * leaves the base in use as it was and says what happened. `data-status` is idle, loading, ready or
 * error; `data-base` the base in use's name. Browser only.
 */
export function basePicker(options: BasePickerOptions): HTMLElement & { value: Base } {
  const { course, hosted } = options;
  const photoUrl = hosted[0]!.url;
  const hostedUrl = (id = hosted[0]!.id) => hosted.find((h) => h.id === id)?.url ?? photoUrl;
  const form = document.createElement("form") as unknown as HTMLFormElement & { value: Base };
  form.className = "base-picker";
  form.value = course;
  const escape = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;");
  const offers = hosted
    .map(
      ({ id, url, title, about }) => `
  <label><input type="radio" name="base" value="${escape(id)}"> <b>${escape(title)}</b> — ${escape(about)}
    downloaded from ${escape(new URL(url, location.href).host)} when you press Use, then kept in this browser
    <span class="kept" data-id="${escape(id)}"></span></label>`,
    )
    .join("");
  form.innerHTML = `<fieldset>
  <legend>Pretrained model</legend>
  <label><input type="radio" name="base" value="course" checked> <b>The course base</b> — pretrained on
    the course's drawings; ships with the site and works offline</label>${offers}
  <label><input type="radio" name="base" value="url"> A model URL (a tfjs layers <code>model.json</code>):
    <input type="url" name="url" placeholder="https://…/model.json" size="40"></label>
  <label><input type="radio" name="base" value="files"> Model files (<code>model.json</code> and its
    weights, or a .zip): <input type="file" name="files" multiple accept=".json,.bin,.zip"></label>
</fieldset>
<button type="submit" name="use">Use this model</button> <button type="button" name="stop" hidden>Stop</button>
<div class="download"></div>
<p class="status"></p>`;
  const $ = <T extends Element>(selector: string) => form.querySelector(selector) as T;
  const status = $<HTMLParagraphElement>(".status");
  const download = $<HTMLDivElement>(".download");
  const use = $<HTMLButtonElement>("button[name=use]");
  const stop = $<HTMLButtonElement>("button[name=stop]");
  const urlInput = $<HTMLInputElement>("input[name=url]");
  const filesInput = $<HTMLInputElement>("input[name=files]");
  let running: AbortController | null = null;

  const set = (state: "idle" | "loading" | "ready" | "error", text: string) => {
    form.dataset.status = state;
    form.dataset.base = form.value.info.name;
    status.textContent = text;
    status.className = `status${state === "error" ? " error" : ""}`;
  };
  const describe = (base: Base) =>
    `${base.info.name}: ${base.info.inputSize} × ${base.info.inputSize} inputs${
      base.info.classes ? `, ${base.info.classes.length} classes of its own` : ""
    }`;
  const markKept = () =>
    Promise.all(
      hosted.map(({ id, url }) =>
        options.isKept(url).then(
          (kept) => {
            const mark = form.querySelector(`.kept[data-id="${CSS.escape(id)}"]`)!;
            mark.textContent = kept ? "(kept in this browser: no download)" : "";
          },
          () => undefined,
        ),
      ),
    );

  const take = async (choice: BaseChoice | { kind: "files" }) => {
    running?.abort();
    if (choice.kind === "course") {
      adopt(course, "the course base, from this site");
      options.remember?.(choice);
      return;
    }
    const controller = new AbortController();
    running = controller;
    use.disabled = true;
    stop.hidden = choice.kind === "files";
    const started = performance.now();
    set("loading", choice.kind === "files" ? "Reading the files…" : "Looking for a copy in this browser…");
    const onProgress = ({ loaded, total }: DownloadProgress) => {
      download.replaceChildren(
        progressBar({
          done: loaded,
          total: total ?? loaded,
          seconds: (performance.now() - started) / 1000,
          label: "downloading",
          unit: "bytes",
        }),
      );
    };
    try {
      const picked =
        choice.kind === "files"
          ? await options.loadFiles(filesInput.files!)
          : await options.loadUrl(choice.kind === "photo" ? hostedUrl(choice.id) : choice.url, {
              signal: controller.signal,
              onProgress,
            });
      if (running !== controller) return;
      const where =
        picked.origin === "browser"
          ? "this browser's copy (nothing downloaded)"
          : picked.origin === "files"
            ? "your files"
            : `downloaded in ${((performance.now() - started) / 1000).toFixed(1)} s${picked.notKept ? `, ${picked.notKept}` : ", and kept in this browser"}`;
      adopt(picked.base, where);
      if (choice.kind !== "files") options.remember?.(choice);
      void markKept();
    } catch (error) {
      if (running !== controller) return;
      const message = (error as Error).message;
      set("error", `${message[0]!.toUpperCase()}${message.slice(1)}. Still using ${form.value.info.name}.`);
    } finally {
      if (running === controller) {
        running = null;
        use.disabled = false;
        stop.hidden = true;
        download.replaceChildren();
      }
    }
  };

  const adopt = (base: Base, where: string) => {
    const changed = form.value !== base;
    form.value = base;
    set(
      "ready",
      `Using ${describe(base)} — ${where}.${base.info.recognized ? ` Recognised as ${base.info.recognized}.` : ""}`,
    );
    if (changed) form.dispatchEvent(new Event("input", { bubbles: true }));
  };

  const picked = (): BaseChoice | { kind: "files" } | string => {
    const kind = radios().value;
    if (kind === "url") {
      const url = urlInput.value.trim();
      if (!/^https?:\/\//i.test(url))
        return `give the address of a model.json starting with https://, e.g. ${photoUrl}`;
      return { kind: "url", url };
    }
    if (kind === "files") return filesInput.files?.length ? { kind: "files" } : "choose the model's files first";
    if (kind === "course") return { kind };
    return kind === hosted[0]!.id ? { kind: "photo" } : { kind: "photo", id: kind };
  };

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    event.stopPropagation();
    const choice = picked();
    if (typeof choice === "string") set("error", `${choice[0]!.toUpperCase()}${choice.slice(1)}.`);
    else void take(choice);
  });
  // only the picker's value is the page's input, not its radios and text fields
  const radios = () => form.elements.namedItem("base") as RadioNodeList;
  const inner = (event: Event) => {
    if (event.target === form) return;
    if (event.target === filesInput) radios().value = "files";
    if (event.target === urlInput) radios().value = "url";
    event.stopPropagation();
  };
  form.addEventListener("input", inner, true);
  form.addEventListener("change", inner, true);
  stop.addEventListener("click", () => {
    running?.abort();
  });

  set("idle", `Using ${describe(course)}.`);
  void markKept();
  const remembered = options.remembered;
  if (remembered && remembered.kind !== "course") {
    const url = remembered.kind === "photo" ? hostedUrl(remembered.id) : remembered.url;
    // take the last pick again only when it needs no download
    void options.isKept(url).then((kept) => {
      if (!kept || running !== null) return;
      const id =
        remembered.kind === "photo" && hosted.some((h) => h.id === remembered.id) ? remembered.id! : hosted[0]!.id;
      radios().value = remembered.kind === "photo" ? id : remembered.kind;
      if (remembered.kind === "url") urlInput.value = remembered.url;
      void take(remembered);
    });
  }
  return form;
}
