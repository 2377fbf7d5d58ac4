import type { RgbImage } from "../data/image.js";
import type { Random } from "../random.js";
import { sampleAmbiguous, sampleCat, sampleDog, type Species } from "./pet-traits.js";
import { drawPetFace } from "./pet-face.js";
import { renderScene } from "./scene.js";

/** Lesson 1's two classes, sorted. */
export const PET_CLASSES = ["cat", "dog"] as const;

export type PetClass = (typeof PET_CLASSES)[number];

export interface PetOptions {
  species: Species;
  /** Side of the square image in pixels. */
  size: number;
  /** Mix cat and dog cues (ears of one, muzzle of the other): a face even a person may get wrong. */
  ambiguous?: boolean;
}

/**
 * A `size`×`size` picture of a cartoon cat or dog face in a cluttered scene: random pose, scale, position,
 * coat, features, background, occluder, blur and noise. Deterministic: the same `random` sequence gives
 * the same pixels on every platform; the scene (everything but pixel noise) is the same at every size.
 */
export function drawPet(random: Random, options: PetOptions): RgbImage {
  const face = options.ambiguous
    ? sampleAmbiguous(random, options.species)
    : options.species === "cat"
      ? sampleCat(random)
      : sampleDog(random);
  return renderScene(random, options.size, { radius: [0.2, 0.33], maxTilt: 0.7, occlusion: 0.22 }, (canvas, frame) => {
    drawPetFace({ canvas, transform: frame.transform }, face);
  });
}
