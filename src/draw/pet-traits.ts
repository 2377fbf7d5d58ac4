import { pick, uniform, type Random } from "../random.js";
import { chance, weighted } from "./choice.js";
import { darken, hex, hsl, lighten, luminance, vary, type Color } from "./color.js";
import { COAT_COLORS, furPaint, randomFur, type Fur } from "./fur.js";
import type { PetFace } from "./pet-face.js";

/**
 * How cats and dogs are sampled. The cues that tell them apart — ears, eyes, nose, muzzle, mouth,
 * whiskers — each follow a species-specific distribution that overlaps the other's a little (pointy-eared
 * dogs, flat-faced dogs, round-eyed cats...); coat colours and patterns are shared.
 */
export type Species = "cat" | "dog";

const PINK: Color = hex("#e89aa0");
const TONGUE: Color = hex("#e4707e");
const CAT_IRIS = ["#9cc43e", "#e0c23a", "#d9962b", "#6fa8dc", "#c8742c", "#b2a94a"].map(hex);
const DOG_IRIS = ["#5b3a1e", "#3e2716", "#7a4a22", "#6b4423"].map(hex);

function catFur(random: Random): Fur {
  const fur = randomFur(
    random,
    { solid: 3, tabby: 4, spots: 0.5, patches: 2, tortie: 1.2, bicolor: 2.5, points: 1.2, mask: 0.3 },
    ["ginger", "cream", "grey", "blue", "black", "white", "brown", "silver", "chocolate", "ginger", "grey"],
  );
  if (fur.pattern === "points")
    return { ...fur, base: vary(random, COAT_COLORS.cream!, 0.06), accent: vary(random, hex("#4a3426"), 0.15) };
  return fur;
}

function dogFur(random: Random): Fur {
  const fur = randomFur(
    random,
    { solid: 3, bicolor: 2.5, mask: 2, patches: 1.5, spots: 0.6, merle: 0.6, tortie: 0.2 },
    ["golden", "tan", "brown", "chocolate", "black", "white", "cream", "red", "grey", "silver", "ginger", "golden"],
  );
  if (fur.pattern === "spots")
    return {
      ...fur,
      base: vary(random, COAT_COLORS.white!, 0.04),
      accent: vary(random, pick(random, [COAT_COLORS.black!, COAT_COLORS.chocolate!]), 0.1),
    };
  if (fur.pattern === "mask")
    return {
      ...fur,
      base: vary(random, pick(random, [COAT_COLORS.white!, COAT_COLORS.cream!, COAT_COLORS.tan!]), 0.06),
    };
  return fur;
}

/** A dark rim, light whiskers on dark coats, dark whiskers on light coats. */
function contrast(fur: Fur): { rim: Color; whisker: Color } {
  const dark = luminance(fur.base) < 0.4;
  return { rim: dark ? hex("#111111") : darken(fur.base, 0.8), whisker: dark ? hex("#f2f2f2") : hex("#3a3330") };
}

/** A random cat face. */
export function sampleCat(random: Random): PetFace {
  const fur = catFur(random);
  const { rim, whisker } = contrast(fur);
  const darkEars = fur.pattern === "points" || fur.pattern === "mask";
  return {
    head: { width: uniform(random, 0.95, 1.05), height: uniform(random, 0.82, 0.94), cheeks: random() },
    ears: {
      style: weighted(random, { pointy: 0.9, folded: 0.04, rounded: 0.06 }),
      size: uniform(random, 0.8, 1.2),
      spread: random(),
      paint: darkEars ? fur.accent : furPaint(fur),
      inner: vary(random, PINK, 0.12),
    },
    eyes: {
      shape: weighted(random, { almond: 0.8, round: 0.17, closed: 0.03 }),
      pupil: chance(random, 0.7) ? "slit" : "round",
      iris: vary(random, pick(random, CAT_IRIS), 0.08),
      size: uniform(random, 0.95, 1.3),
      rim,
      spacing: uniform(random, 0.36, 0.45),
      y: uniform(random, -0.08, 0.04),
    },
    nose: {
      kind: chance(random, 0.95) ? "small" : "big",
      width: uniform(random, 0.14, 0.21),
      color:
        luminance(fur.base) < 0.3 && chance(random, 0.6)
          ? hex("#2a2222")
          : vary(random, pick(random, [PINK, hex("#d7747f"), hex("#a0645a")]), 0.1),
    },
    muzzle: {
      kind: chance(random, 0.9) ? "pads" : "snout",
      length: uniform(random, 0, 0.25),
      width: uniform(random, 0.3, 0.4),
      color: fur.pattern === "bicolor" ? fur.light : null,
    },
    mouth: chance(random, 0.95) ? "small" : "big",
    tongue: chance(random, 0.03) ? vary(random, TONGUE, 0.08) : null,
    whiskers: {
      kind: weighted(random, { long: 0.9, dots: 0.04, none: 0.06 }),
      color: whisker,
      length: uniform(random, 0.9, 1.35),
      opacity: uniform(random, 0.55, 0.95),
    },
    fur,
    body: chance(random, 0.75),
    collar: chance(random, 0.12) ? { color: hsl(uniform(random, 0, 360), 0.65, 0.5), tag: hex("#e6c14a") } : null,
    yaw: uniform(random, -0.5, 0.5),
  };
}

/** A random dog face. */
export function sampleDog(random: Random): PetFace {
  const fur = dogFur(random);
  const { rim, whisker } = contrast(fur);
  const style = weighted(random, { floppy: 0.5, pointy: 0.22, rounded: 0.15, folded: 0.13 });
  const light = fur.pattern === "bicolor" || fur.pattern === "mask";
  return {
    head: { width: uniform(random, 0.9, 1.05), height: uniform(random, 0.9, 1.05), cheeks: random() },
    ears: {
      style,
      size:
        style === "floppy"
          ? uniform(random, 0.85, 1.3)
          : style === "pointy"
            ? uniform(random, 1.0, 1.35)
            : uniform(random, 0.85, 1.25),
      spread: random(),
      paint:
        style === "floppy" && chance(random, 0.4)
          ? darken(fur.base, uniform(random, 0.2, 0.5))
          : fur.pattern === "mask"
            ? fur.accent
            : furPaint(fur),
      inner: vary(random, chance(random, 0.5) ? PINK : darken(fur.base, 0.3), 0.1),
    },
    eyes: {
      shape: weighted(random, { round: 0.85, almond: 0.12, closed: 0.03 }),
      pupil: "round",
      iris: chance(random, 0.9)
        ? vary(random, pick(random, DOG_IRIS), 0.1)
        : vary(random, pick(random, [hex("#6fa8dc"), hex("#d9962b")]), 0.1),
      size: uniform(random, 0.8, 1.1),
      rim,
      spacing: uniform(random, 0.3, 0.42),
      y: uniform(random, -0.25, -0.1),
    },
    nose: {
      kind: style === "pointy" || chance(random, 0.93) ? "big" : "small",
      width: uniform(random, 0.3, 0.44),
      color: vary(random, pick(random, [hex("#1f1b1b"), hex("#2b2020"), hex("#4a2e24"), hex("#6b3d2e")]), 0.1),
    },
    // upright-eared dogs always get a clear snout, so the ears are the only cat-like cue
    muzzle:
      style === "pointy"
        ? {
            kind: "snout",
            length: uniform(random, 0.45, 1),
            width: uniform(random, 0.38, 0.55),
            color: light ? fur.light : lighten(fur.base, uniform(random, 0.25, 0.5)),
          }
        : {
            kind: chance(random, 0.93) ? "snout" : "pads",
            length: uniform(random, 0.2, 1),
            width: uniform(random, 0.36, 0.55),
            color: light ? fur.light : null,
          },
    mouth: chance(random, 0.95) ? "big" : "small",
    tongue: chance(random, 0.45) ? vary(random, TONGUE, 0.08) : null,
    whiskers: {
      kind: weighted(random, { dots: 0.6, none: 0.3, long: 0.1 }),
      color: whisker,
      length: uniform(random, 0.4, 0.7),
      opacity: uniform(random, 0.3, 0.6),
    },
    fur,
    body: chance(random, 0.8),
    collar: chance(random, 0.35) ? { color: hsl(uniform(random, 0, 360), 0.65, 0.5), tag: hex("#e6c14a") } : null,
    yaw: uniform(random, -0.5, 0.5),
  };
}

/**
 * A genuinely ambiguous face of `species`: its coat and head, but the ears of one species and the
 * nose, muzzle and mouth of the other, with eyes and whiskers from either.
 */
export function sampleAmbiguous(random: Random, species: Species): PetFace {
  const own = species === "cat" ? sampleCat(random) : sampleDog(random);
  const other = species === "cat" ? sampleDog(random) : sampleCat(random);
  const earsFromOther = chance(random, 0.5);
  const ears = earsFromOther ? { ...other.ears, paint: own.ears.paint } : own.ears;
  const snout = earsFromOther ? own : other;
  return {
    ...own,
    ears,
    nose: snout.nose,
    muzzle: { ...snout.muzzle, color: own.muzzle.color },
    mouth: snout.mouth,
    tongue: snout.tongue,
    eyes: chance(random, 0.5) ? own.eyes : { ...other.eyes, rim: own.eyes.rim },
    whiskers: chance(random, 0.5) ? own.whiskers : { ...other.whiskers, color: own.whiskers.color },
  };
}
