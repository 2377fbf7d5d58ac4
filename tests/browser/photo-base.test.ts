import { readFile } from "node:fs/promises";
import { unzipSync } from "fflate";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useChromium } from "./chromium.js";
import { chromiumPath, dist } from "./site.js";
import { ISOLATION_HEADERS, serveStatic } from "./server.js";
import { visit } from "./visit.js";
import { initBackend } from "../../src/backend/backend.js";
import { modelArtifacts, modelJsonText, weightBuffer } from "../../src/export/artifacts.js";
import { classifyWithBase } from "../../src/model/base-classify.js";
import { PHOTO_BASE_URL, PHOTO_BASE_V2_URL } from "../../src/browser/base-store.js";
import { kerasMobileNetV1, kerasMobileNetV2 } from "../../src/model/keras-mobilenet.js";
import { baseFromArtifacts } from "../../src/model/load-base.js";
import { datasetZip } from "../../src/node/write-dataset.js";
import { drawPet } from "../../src/draw/pets.js";
import { seededRandom } from "../../src/random.js";
import { decodeImage } from "../../src/node/decode.js";
import { serveModelHost, type HostedFile } from "../util/model-host.js";

// Lesson 1's base picker with a Keras-MobileNet-shaped model (seeded weights, 64 px) served from a
// second 127.0.0.1 origin, as a hosted model is: download with progress, Stop, the copy kept in
// IndexedDB, the top-5 of its own ImageNet top, fine-tuning it, and each failure's sentence.

const MOBILENET = "Keras MobileNet v1 (alpha 0.25)";

describe.skipIf(chromiumPath === undefined)("lesson 1's base picker in headless Chromium", () => {
  const browser = useChromium();
  let site: Awaited<ReturnType<typeof serveStatic>>;
  let host: Awaited<ReturnType<typeof serveModelHost>>;
  let modelsUrl: string;
  let modelJson: Uint8Array;
  let weights: Uint8Array;
  const served: Record<string, HostedFile> = {};
  /** The paths the model host was asked for. */
  let requests: string[] = [];
  /** The same-shaped model at MobileNet's real 224 px, as the photo base's host would serve it. */
  const photo = { modelJson: new Uint8Array(), weights: new Uint8Array() };

  beforeAll(async () => {
    await initBackend({ order: ["cpu"] });
    const model = kerasMobileNetV1({ inputSize: 64, seed: 5 });
    const artifacts = await modelArtifacts(model);
    model.dispose();
    modelJson = new TextEncoder().encode(modelJsonText(artifacts));
    weights = new Uint8Array(weightBuffer(artifacts));
    const slowJson = new TextEncoder().encode(modelJsonText(artifacts).replace('"weights.bin"', '"slow.bin"'));
    Object.assign(served, {
      "/mobilenet/model.json": { body: modelJson },
      "/mobilenet/weights.bin": { body: weights },
      "/slow/model.json": { body: slowJson },
      "/slow/slow.bin": { body: weights, slow: { chunkBytes: 8192, delayMs: 100 } },
      "/no-cors/model.json": { body: modelJson, cors: false },
      "/short/model.json": { body: modelJson },
      "/short/weights.bin": { body: weights.subarray(0, 5000) },
      "/graph/model.json": {
        body: new TextEncoder().encode(JSON.stringify({ format: "graph-model", modelTopology: { node: [] } })),
      },
    });
    host = await serveModelHost(served);
    modelsUrl = host.url;
    requests = host.requests;
    const big = kerasMobileNetV1({ inputSize: 224, seed: 6 });
    const bigArtifacts = await modelArtifacts(big);
    big.dispose();
    photo.modelJson = new TextEncoder().encode(modelJsonText(bigArtifacts));
    photo.weights = new Uint8Array(weightBuffer(bigArtifacts));
    // small datasets so that the page's own training (on whichever base) is quick
    site = await serveStatic(
      dist,
      {
        "/test-data/pets-small.zip": await datasetZip({ set: "pets", seed: 4, perClass: 12, size: 64 }),
        "/test-data/pets-medium.zip": await datasetZip({ set: "pets", seed: 4, perClass: 40, size: 64 }),
      },
      { headers: ISOLATION_HEADERS },
    );
  });

  afterAll(async () => {
    await host?.close();
    await site?.close();
  });

  const picker = (page: Page) => page.locator("form.base-picker");
  const lesson = () => `${site.url}/lesson-1.html?data=/test-data/pets-small.zip`;
  /** Picks "A model URL", types `url` and presses Use; resolves when the picker settles. */
  const useUrl = async (page: Page, url: string) => {
    await picker(page).locator("input[name=url]").fill(url);
    await picker(page).locator("input[name=base][value=url]").check();
    await picker(page).locator("button[name=use]").click();
    await page.waitForSelector("form.base-picker:is([data-status=ready], [data-status=error])", { timeout: 60_000 });
    return (await picker(page).locator(".status").textContent())!;
  };

  it("downloads a URL's model with a moving progress bar, says what it recognised, and shows its top-5 labels", async () => {
    const { page, problems } = await visit(browser.context, lesson());
    expect(problems).toEqual([]);
    expect(await picker(page).getAttribute("data-base")).toBe("course base");
    // nothing is fetched from the model host until the learner asks
    expect(requests).toEqual([]);
    // the course base's own run ends first, so that the only run after the switch is the new base's
    await page.waitForSelector(`.training[data-training=done][data-base="course base"]`, { timeout: 180_000 });
    await picker(page).locator("input[name=url]").fill(`${modelsUrl}/slow/model.json`);
    await picker(page).locator("button[name=use]").click();
    const seen = new Set<string>();
    while ((await picker(page).getAttribute("data-status")) === "loading") {
      const done = await picker(page)
        .locator("[data-progress]")
        .getAttribute("data-done", { timeout: 1000 })
        .catch(() => null);
      if (done !== null) seen.add(done);
      await page.waitForTimeout(100);
    }
    expect(seen.size).toBeGreaterThan(2);
    expect(await picker(page).getAttribute("data-status")).toBe("ready");
    expect(await picker(page).getAttribute("data-base")).toBe("Keras MobileNet v1 (alpha 0.25)");
    expect(await picker(page).locator(".status").textContent()).toMatch(
      /^Using Keras MobileNet v1 \(alpha 0\.25\): 64 × 64 inputs, 1000 classes of its own — downloaded in [\d.]+ s, and kept in this browser\. Recognised as Keras MobileNet v1 \(alpha 0\.25\): 64×64 inputs scaled to \[-1, 1\], the head goes on conv_pw_13_relu/,
    );
    // the lesson's cells re-ran on the new base: its own guesses for the learner's (drawn) picture, as in Node
    await page.waitForSelector("[data-base-top]", { timeout: 60_000 });
    const fixture = kerasMobileNetV1({ inputSize: 64, seed: 5 });
    const base = await baseFromArtifacts(await modelArtifacts(fixture));
    fixture.dispose();
    const [expected] = await classifyWithBase(base, [drawPet(seededRandom(2_000_011), { species: "cat", size: 96 })]);
    expect(await page.locator("[data-base-top]").getAttribute("data-base-top")).toBe(expected![0]!.label);
    expect(await page.locator("[data-base-guesses]").getAttribute("data-base-guesses")).toBe("4");
    // and fine-tuning it finishes, on the 64 px inputs it takes
    await page.waitForSelector(`.training[data-training=done][data-base="${MOBILENET}"]`, { timeout: 180_000 });
    const estimate = await page.locator("[data-expected-seconds]").getAttribute("data-expected-seconds");
    expect(Number(estimate)).toBeGreaterThan(0);
    // saved after its last epoch; the app, which says its own model only knows drawings, loads it in one click
    await page.waitForSelector(`.saved[data-saved='unfrozen 3'][data-saved-base="${MOBILENET}"]`, { timeout: 180_000 });
    await page.close();
    const app = await visit(browser.context, `${site.url}/app.html`);
    expect(app.problems).toEqual([]);
    expect((await app.page.locator("[data-drawn-note]").textContent())!.replace(/\s+/g, " ")).toContain(
      "This model has only seen the course's drawings of cats and dogs: on a photo of a real cat or dog it does no better than a coin flip.",
    );
    await app.page.locator("[data-use-lesson-1]").click();
    // the drawn-pets model's line is on the page until the chosen one has loaded: wait for the new one
    await app.page.waitForFunction(
      (name) => document.querySelector("[data-model=ready] [data-model-base]")?.textContent === name,
      MOBILENET,
      { timeout: 30_000 },
    );
    expect(await app.page.locator("[data-model-base]").textContent()).toBe("Keras MobileNet v1 (alpha 0.25)");
    await app.page.waitForSelector("[data-prediction]", { timeout: 30_000 });
    await app.page.close();
  });

  it("takes the kept copy after a reload, and in lesson 2, without fetching anything", async () => {
    requests.length = 0; // the same array the host appends to
    const { page, problems } = await visit(browser.context, lesson());
    expect(problems).toEqual([]);
    await page.waitForSelector("form.base-picker[data-status=ready]", { timeout: 60_000 });
    expect(await picker(page).getAttribute("data-base")).toBe("Keras MobileNet v1 (alpha 0.25)");
    expect(await picker(page).locator(".status").textContent()).toContain("this browser's copy (nothing downloaded)");
    expect(requests).toEqual([]);
    // lesson 2 starts from the same pick, from the same copy
    const two = await visit(browser.context, `${site.url}/lesson-2.html`);
    await two.page.waitForSelector("form.base-picker[data-status=ready]", { timeout: 60_000 });
    expect(await picker(two.page).getAttribute("data-base")).toBe("Keras MobileNet v1 (alpha 0.25)");
    expect(requests).toEqual([]);
    await two.page.close();
    // back to the course base, which is remembered in turn
    await picker(page).locator("input[name=base][value=course]").check();
    await picker(page).locator("button[name=use]").click();
    await page.waitForSelector("form.base-picker[data-base='course base'][data-status=ready]", { timeout: 30_000 });
    await page.close();
  });

  it("Stop ends a download mid-file, keeps nothing and leaves the course base in use", async () => {
    const { page } = await visit(browser.context, lesson());
    await picker(page).locator("input[name=url]").fill(`${modelsUrl}/slow/model.json?again`);
    await picker(page).locator("button[name=use]").click();
    await page.waitForSelector("form.base-picker [data-progress]", { timeout: 30_000 });
    await picker(page).locator("button[name=stop]").click();
    await page.waitForSelector("form.base-picker[data-status=error]", { timeout: 30_000 });
    expect(await picker(page).locator(".status").textContent()).toBe(
      `The download of ${modelsUrl}/slow/model.json?again was stopped; nothing was kept. Still using course base.`,
    );
    expect(await picker(page).getAttribute("data-base")).toBe("course base");
    await page.close();
  });

  it("says what went wrong for a 404, a server without CORS, a graph model, cut-short weights and no network", async () => {
    const { page } = await visit(browser.context, lesson());
    const url = (path: string) => `${modelsUrl}${path}`;
    expect(await useUrl(page, url("/nothing/model.json"))).toBe(
      `No model at ${url("/nothing/model.json")} (HTTP 404); check the address: it must be a model.json with its weight files beside it. Still using course base.`,
    );
    expect(await useUrl(page, url("/no-cors/model.json"))).toMatch(
      /could not be fetched \(.*\): the server cannot be reached, or it does not let other sites read it \(no CORS header\); .* Still using course base\.$/,
    );
    expect(await useUrl(page, url("/graph/model.json"))).toContain("is a graph model (a converted TensorFlow graph)");
    expect(await useUrl(page, url("/short/model.json"))).toContain(
      `weights truncated: the weight files hold 5000 bytes but model.json describes ${weights.byteLength}`,
    );
    await browser.context.setOffline(true);
    try {
      expect(await useUrl(page, url("/mobilenet/model.json"))).toContain(
        `This browser is offline, so ${url("/mobilenet/model.json")} could not be downloaded; connect to the internet and try again (the course base works offline)`,
      );
    } finally {
      await browser.context.setOffline(false);
    }
    expect(await picker(page).getAttribute("data-base")).toBe("course base");
    // the page kept working: the course base's training still ran
    await page.waitForSelector(".training[data-training=done]", { timeout: 180_000 });
    await page.close();
  });

  describe("with the site's storage full (a fresh Chromium: the quota is read when the origin's storage opens)", () => {
    const fresh = useChromium();
    it("a full storage: the downloaded base works on the page and the page says it is not kept", async () => {
      // Chromium's own quota check made to fail (set before the page opens its storage): IndexedDB aborts
      // the commit with QuotaExceededError. The override lasts while this session is attached.
      const holder = await fresh.context.newPage();
      const cdp = await fresh.context.newCDPSession(holder);
      await cdp.send("Storage.overrideQuotaForOrigin", { origin: site.url, quotaSize: 1024 });
      try {
        const { page } = await visit(fresh.context, lesson());
        expect(await useUrl(page, `${modelsUrl}/mobilenet/model.json?full`)).toMatch(
          /, not kept in this browser \(this site's storage in the browser is full \(QuotaExceededError\); .*\), so it will be downloaded again next time\./,
        );
        expect(await picker(page).getAttribute("data-base")).toBe("Keras MobileNet v1 (alpha 0.25)");
        await page.waitForSelector("[data-base-top]", { timeout: 60_000 });
        await page.close();
      } finally {
        await cdp.send("Storage.overrideQuotaForOrigin", { origin: site.url });
        await cdp.detach();
        await holder.close();
      }
    });
  });

  it("the photo base is one click: it fetches exactly the course's MobileNet URL, and trains with a 224 px base's defaults", async () => {
    const { page } = await visit(browser.context, `${site.url}/lesson-1.html?data=/test-data/pets-medium.zip`);
    const asked: string[] = [];
    // the real host is out of reach here: answer for it with the same-shaped model at its real size
    await page.route("https://storage.googleapis.com/**", (route) => {
      asked.push(route.request().url());
      const path = new URL(route.request().url()).pathname.endsWith(".json") ? photo.modelJson : photo.weights;
      return route.fulfill({ status: 200, body: Buffer.from(path), headers: { "access-control-allow-origin": "*" } });
    });
    await picker(page).locator("input[name=base][value=photo]").check();
    await picker(page).locator("button[name=use]").click();
    await page.waitForSelector("form.base-picker[data-status=ready]", { timeout: 60_000 });
    expect(asked).toEqual([PHOTO_BASE_URL, PHOTO_BASE_URL.replace("model.json", "weights.bin")]);
    expect(await picker(page).getAttribute("data-base")).toBe("Keras MobileNet v1 (alpha 0.25)");
    expect(await picker(page).locator(".status").textContent()).toContain("224 × 224 inputs");
    // a photo-sized base's defaults, said in the page, then a fine-tune that finishes
    await page.waitForSelector(`.training[data-training=done][data-base="${MOBILENET}"]`, { timeout: 240_000 });
    const prose = (await page.locator("main").textContent())!.replace(/\s+/g, " ");
    expect(prose).toContain(
      "Here: a 224 px base: 30 frozen epochs on features computed once, then 1 with the body's last stage unfrozen.",
    );
    // saved after the unfrozen epoch, which followed thirty frozen ones
    await page.waitForSelector(".saved[data-saved='unfrozen 1']", { timeout: 60_000 });
    // all 31 epochs ran, 2 batches each (64 training images): the epochs table shows its first rows only
    expect(await page.locator(".training").getAttribute("data-train-count")).toBe("64");
    const progress = page.locator(".training [data-progress]");
    expect([await progress.getAttribute("data-done"), await progress.getAttribute("data-total")]).toEqual(["62", "62"]);
    await page.close();
  });

  it("MobileNet v2, as Teachable Machine uses it, is one click too: its URL fetched, recognised, no top-5 offered", async () => {
    const v2 = kerasMobileNetV2({ inputSize: 224, seed: 7, classes: 0 });
    const artifacts = await modelArtifacts(v2);
    v2.dispose();
    const files = {
      json: Buffer.from(modelJsonText(artifacts)),
      weights: Buffer.from(new Uint8Array(weightBuffer(artifacts))),
    };
    const { page } = await visit(browser.context, `${site.url}/lesson-1.html?data=/test-data/pets-small.zip`);
    const asked: string[] = [];
    await page.route("https://storage.googleapis.com/**", (route) => {
      asked.push(route.request().url());
      const json = new URL(route.request().url()).pathname.endsWith(".json");
      return route.fulfill({
        status: 200,
        body: json ? files.json : files.weights,
        headers: { "access-control-allow-origin": "*" },
      });
    });
    await picker(page).locator("input[name=base][value=photo-v2]").check();
    await picker(page).locator("button[name=use]").click();
    await page.waitForSelector("form.base-picker[data-status=ready]", { timeout: 60_000 });
    expect(asked).toEqual([PHOTO_BASE_V2_URL, PHOTO_BASE_V2_URL.replace("model.json", "weights.bin")]);
    expect(await picker(page).getAttribute("data-base")).toBe("Keras MobileNet v2 (alpha 0.35)");
    // no ImageNet top: the base card says so, and no top-5 is offered
    await page.waitForSelector(`.card.base[data-base-classes="0"]`, { timeout: 60_000 });
    // no top-5 for the validation images: the page says the model names no classes of its own
    await page.waitForSelector("text=This model does not name classes of its own.", { timeout: 60_000 });
    expect(await page.locator("[data-base-guesses]").count()).toBe(0);
    expect(await page.evaluate(() => localStorage.getItem("dl-course:base-choice:v1"))).toBe(
      JSON.stringify({ kind: "photo", id: "photo-v2" }),
    );
    await page.close();
  });
});

describe.skipIf(chromiumPath === undefined)("lesson 1's camera set (Chromium's fake camera)", () => {
  const browser = useChromium(["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream"]);
  let site: Awaited<ReturnType<typeof serveStatic>>;
  beforeAll(async () => {
    site = await serveStatic(
      dist,
      {
        "/test-data/pets-small.zip": await datasetZip({ set: "pets", seed: 4, perClass: 12, size: 64 }),
      },
      { headers: ISOLATION_HEADERS },
    );
  });
  afterAll(async () => {
    await site?.close();
  });

  it("takes a burst per class, downloads the set as a zip of PNGs, and trains on it with the drawn-world warning", async () => {
    const { page, problems } = await visit(browser.context, `${site.url}/lesson-1.html?data=/test-data/pets-small.zip`);
    expect(problems).toEqual([]);
    const maker = page.locator(".camera-set");
    await maker.locator("button[name=start]").click();
    await page.waitForSelector(".camera-set[data-camera-set=on]", { timeout: 30_000 });
    await page.waitForFunction(`document.querySelector(".camera-set video").videoWidth > 0`, undefined, {
      timeout: 30_000,
    });
    // a name no folder can carry is refused, in words
    await maker.locator("input[name=class]").fill("a/b");
    await maker.locator("button[name=take]").click();
    expect(await maker.locator(".camera-status").textContent()).toBe(
      '"a/b" cannot name a folder; use letters, digits, spaces, - and _ (at most 40).',
    );
    for (const [name, counts] of [
      ["mug", "mug:10"],
      ["plant", "mug:10,plant:10"],
    ] as const) {
      await maker.locator("input[name=class]").fill(name);
      await maker.locator("button[name=take]").click();
      await page.waitForSelector(`.camera-set[data-counts="${counts}"]`, { timeout: 60_000 });
      await page.waitForFunction(`!document.querySelector(".camera-set button[name=take]").disabled`);
      await maker.locator("button[name=next]").click();
    }
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      maker.locator("button[name=download]").click(),
    ]);
    expect(download.suggestedFilename()).toBe("camera-set.zip");
    const files = unzipSync(new Uint8Array(await readFile((await download.path())!)));
    expect(Object.keys(files).sort()).toEqual([
      ...Array.from({ length: 10 }, (_, i) => `mug/${String(i + 1).padStart(3, "0")}.png`),
      ...Array.from({ length: 10 }, (_, i) => `plant/${String(i + 1).padStart(3, "0")}.png`),
    ]);
    const first = decodeImage(files["mug/001.png"]!, "mug/001.png");
    expect([first.width, first.height]).toEqual([224, 224]);
    await maker.locator("button[name=use]").click();
    await page.waitForSelector(".dataset[data-images='20']", { timeout: 60_000 });
    expect(await page.locator(".dataset").textContent()).toContain("mug (10), plant (10)");
    expect(await page.locator("[data-drawn-world]").count()).toBe(1);
    // 16 of the 20 pictures train (validPct 0.2), on the course base
    await page.waitForSelector(".training[data-training=done][data-train-count='16']", { timeout: 180_000 });
    await page.close();
  });
});
