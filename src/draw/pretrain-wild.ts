import { pick, uniform, type Random } from "../random.js";
import { chance, weighted } from "./choice.js";
import { darken, hex, vary } from "./color.js";
import { draw, type Pen } from "./face-parts.js";
import { furPaint, randomFur, type Fur, type FurPattern } from "./fur.js";
import { drawPetFace, type PetFace } from "./pet-face.js";
import { sampleCat, sampleDog } from "./pet-traits.js";
import { ellipse } from "./shapes.js";

/**
 * Wild cousins of the pets for pretraining — big cats (tiger, leopard, lion, lynx) and wild canines
 * (fox, wolf, jackal, hyena) — the way ImageNet's tigers and wolves sit beside its pets. Their faces
 * take the feline or canine features (eyes, pupils, nose, muzzle, mouth, whiskers) but wild coats, no
 * collar, and ears of their kind; each feline shares its coat with a canine (stripes, spots, plain tan,
 * grey, orange), so only the face tells those two apart.
 */
type Coat = { patterns: Partial<Record<FurPattern, number>>; colors: string[]; accent?: string };

function wildFur(random: Random, { patterns, colors, accent }: Coat): Fur {
  const fur = randomFur(random, patterns, colors);
  return accent ? { ...fur, accent: vary(random, hex(accent), 0.1) } : fur;
}

function wild(face: PetFace, fur: Fur, ears: Partial<PetFace["ears"]>): PetFace {
  return { ...face, fur, collar: null, body: true, ears: { ...face.ears, paint: furPaint(fur), ...ears } };
}

function feline(random: Random, coat: Coat, ears: Partial<PetFace["ears"]> = { style: "pointy" }): PetFace {
  return wild(sampleCat(random), wildFur(random, coat), ears);
}

function canine(random: Random, coat: Coat, ears: Partial<PetFace["ears"]> = {}): PetFace {
  const face = sampleDog(random);
  const style = ears.style ?? "pointy";
  const size = style === "pointy" ? uniform(random, 1.1, 1.4) : face.ears.size;
  const muzzle: PetFace["muzzle"] = { ...face.muzzle, kind: "snout", length: uniform(random, 0.5, 1) };
  return {
    ...wild(face, wildFur(random, coat), { style, size, ...ears }),
    muzzle,
    nose: { ...face.nose, kind: "big" },
  };
}

export function drawTiger(pen: Pen, random: Random): void {
  drawPetFace(pen, feline(random, { patterns: { tabby: 1 }, colors: ["ginger", "red", "ginger"], accent: "#1d1816" }));
}

export function drawLeopard(pen: Pen, random: Random): void {
  drawPetFace(pen, feline(random, { patterns: { spots: 1 }, colors: ["golden", "tan", "cream"], accent: "#2a1f18" }));
}

export function drawLynx(pen: Pen, random: Random): void {
  drawPetFace(pen, feline(random, { patterns: { solid: 2, spots: 1 }, colors: ["grey", "silver", "tan", "cream"] }));
}

export function drawLion(pen: Pen, random: Random): void {
  const face = feline(
    random,
    { patterns: { solid: 1 }, colors: ["golden", "tan", "cream"] },
    { style: "rounded", size: uniform(random, 0.55, 0.75) },
  );
  if (chance(random, 0.6)) {
    const mane = vary(random, darken(face.fur.base, uniform(random, 0.2, 0.5)), 0.08);
    const r = uniform(random, 1.35, 1.6);
    draw(pen, ellipse(0, 0.25, r, r * 1.05), furPaint({ ...face.fur, pattern: "solid", base: mane, patches: [] }));
  }
  drawPetFace(pen, face);
}

export function drawFox(pen: Pen, random: Random): void {
  drawPetFace(pen, canine(random, { patterns: { bicolor: 3, solid: 1 }, colors: ["ginger", "red", "red"] }));
}

export function drawWolf(pen: Pen, random: Random): void {
  drawPetFace(
    pen,
    canine(random, {
      patterns: { mask: 1, bicolor: 2, solid: 2 },
      colors: ["grey", "silver", "grey", "black", "cream"],
    }),
  );
}

export function drawJackal(pen: Pen, random: Random): void {
  drawPetFace(pen, canine(random, { patterns: { solid: 2, bicolor: 1 }, colors: ["golden", "tan", "cream"] }));
}

export function drawHyena(pen: Pen, random: Random): void {
  const pattern = weighted(random, { spots: 1, tabby: 1 });
  const coat: Coat = {
    patterns: { [pattern]: 1 },
    colors: pick(random, [
      ["tan", "cream", "golden"],
      ["grey", "cream"],
    ]),
    accent: "#2a2420",
  };
  drawPetFace(pen, canine(random, coat, { style: "rounded", size: uniform(random, 0.7, 0.95) }));
}
