import { afterEach, describe, expect, it, vi } from "vitest";
import { PET_CLASSES, drawPet } from "../../src/draw/pets.js";
import { sampleAmbiguous, sampleCat, sampleDog } from "../../src/draw/pet-traits.js";
import type { PetFace } from "../../src/draw/pet-face.js";
import type { RgbImage } from "../../src/data/image.js";
import { seededRandom } from "../../src/random.js";

/** Mean absolute byte difference. */
function difference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i]! - b[i]!);
  return sum / a.length;
}

/** 2×2 box average: a 2s image down to s. */
function halve(image: RgbImage): number[] {
  const s = image.width / 2;
  const out: number[] = [];
  const at = (x: number, y: number, c: number) => image.data[(y * image.width + x) * 3 + c]!;
  for (let y = 0; y < s; y++)
    for (let x = 0; x < s; x++)
      for (let c = 0; c < 3; c++)
        out.push(
          (at(2 * x, 2 * y, c) + at(2 * x + 1, 2 * y, c) + at(2 * x, 2 * y + 1, c) + at(2 * x + 1, 2 * y + 1, c)) / 4,
        );
  return out;
}

function share(faces: PetFace[], test: (face: PetFace) => boolean): number {
  return faces.filter(test).length / faces.length;
}

afterEach(() => vi.restoreAllMocks());

describe("PET_CLASSES", () => {
  it("is cat and dog, sorted", () => {
    expect([...PET_CLASSES]).toEqual(["cat", "dog"]);
  });
});

describe("drawPet(random, {species, size, ambiguous})", () => {
  it("returns a size×size RGB image", () => {
    const image = drawPet(seededRandom(1), { species: "cat", size: 40 });
    expect([image.width, image.height, image.data.length]).toEqual([40, 40, 40 * 40 * 3]);
  });

  it("gives identical bytes for the same seed and different bytes for another", () => {
    const a = drawPet(seededRandom(5), { species: "dog", size: 32 });
    const b = drawPet(seededRandom(5), { species: "dog", size: 32 });
    const c = drawPet(seededRandom(6), { species: "dog", size: 32 });
    expect(a.data).toEqual(b.data);
    expect(difference(a.data, c.data)).toBeGreaterThan(5);
  });

  it("never calls Math.random", () => {
    vi.spyOn(Math, "random").mockImplementation(() => {
      throw new Error("Math.random called");
    });
    for (const species of PET_CLASSES)
      for (const ambiguous of [false, true]) drawPet(seededRandom(3), { species, size: 24, ambiguous });
  });

  it("draws the same scene at every size: a 64 px image halved is close to the 32 px one", () => {
    for (let seed = 0; seed < 5; seed++) {
      const small = drawPet(seededRandom(seed), { species: "cat", size: 32 });
      const big = halve(drawPet(seededRandom(seed), { species: "cat", size: 64 }));
      const other = drawPet(seededRandom(seed + 100), { species: "cat", size: 32 });
      expect(difference(big, small.data)).toBeLessThan(15);
      expect(difference(big, small.data)).toBeLessThan(difference(other.data, small.data) / 2);
    }
  });

  it("draws a different face when asked for an ambiguous one", () => {
    const plain = drawPet(seededRandom(11), { species: "cat", size: 32 });
    const ambiguous = drawPet(seededRandom(11), { species: "cat", size: 32, ambiguous: true });
    expect(ambiguous.data).not.toEqual(plain.data);
  });
});

describe("sampleCat(random) and sampleDog(random)", () => {
  const cats = Array.from({ length: 600 }, (_, i) => sampleCat(seededRandom(i)));
  const dogs = Array.from({ length: 600 }, (_, i) => sampleDog(seededRandom(i)));

  it("give cats pointy ears, a flat face with whisker pads, whiskers and a small nose — nearly always", () => {
    expect(share(cats, (f) => f.ears.style === "pointy")).toBeGreaterThan(0.85);
    expect(share(cats, (f) => f.muzzle.kind === "pads")).toBeGreaterThan(0.85);
    expect(share(cats, (f) => f.whiskers.kind === "long")).toBeGreaterThan(0.85);
    expect(share(cats, (f) => f.nose.kind === "small")).toBeGreaterThan(0.9);
    expect(share(cats, (f) => f.eyes.pupil === "slit")).toBeGreaterThan(0.6);
  });

  it("give dogs a snout, a big nose and floppy or other ears, often a tongue", () => {
    expect(share(dogs, (f) => f.muzzle.kind === "snout")).toBeGreaterThan(0.85);
    expect(share(dogs, (f) => f.nose.kind === "big")).toBeGreaterThan(0.85);
    expect(share(dogs, (f) => f.ears.style === "floppy")).toBeGreaterThan(0.4);
    expect(share(dogs, (f) => f.tongue !== null)).toBeGreaterThan(0.35);
    expect(share(dogs, (f) => f.eyes.pupil === "slit")).toBe(0);
  });

  it("let the cues overlap: some dogs have pointy ears, some cats round eyes or a snout", () => {
    const pointyDogs = share(dogs, (f) => f.ears.style === "pointy");
    expect(pointyDogs).toBeGreaterThan(0.1);
    expect(pointyDogs).toBeLessThan(0.35);
    expect(share(cats, (f) => f.eyes.shape === "round")).toBeGreaterThan(0.08);
    expect(share(cats, (f) => f.muzzle.kind === "snout")).toBeGreaterThan(0.03);
    expect(share(dogs, (f) => f.muzzle.kind === "pads")).toBeGreaterThan(0.02);
  });

  it("share coat patterns between the species", () => {
    const catPatterns = new Set(cats.map((f) => f.fur.pattern));
    const dogPatterns = new Set(dogs.map((f) => f.fur.pattern));
    for (const pattern of ["solid", "spots", "patches", "tortie", "bicolor", "mask"]) {
      expect(catPatterns.has(pattern as never) && dogPatterns.has(pattern as never)).toBe(true);
    }
  });
});

describe("sampleAmbiguous(random, species)", () => {
  it("keeps the species' coat but takes either the ears or the nose and muzzle from the other species", () => {
    for (const species of PET_CLASSES) {
      for (let seed = 0; seed < 50; seed++) {
        const face = sampleAmbiguous(seededRandom(seed), species);
        const random = seededRandom(seed);
        const own = species === "cat" ? sampleCat(random) : sampleDog(random);
        const other = species === "cat" ? sampleDog(random) : sampleCat(random);
        expect(face.fur).toEqual(own.fur);
        const earsFromOther = face.ears.style === other.ears.style && face.ears.size === other.ears.size;
        const snoutFromOther =
          face.muzzle.kind === other.muzzle.kind &&
          face.muzzle.length === other.muzzle.length &&
          face.nose.width === other.nose.width;
        expect(earsFromOther !== snoutFromOther).toBe(true);
      }
    }
  });
});
