import type { RgbImage } from "../data/image.js";
import type { Random } from "../random.js";
import type { Pen } from "./face-parts.js";
import { drawBear, drawFrog, drawMouse, drawOwl, drawPig, drawRabbit } from "./pretrain-animals.js";
import { drawBird, drawCar, drawCup, drawFish, drawFlower, drawHouse } from "./pretrain-objects.js";
import {
  drawFox,
  drawHyena,
  drawJackal,
  drawLeopard,
  drawLion,
  drawLynx,
  drawTiger,
  drawWolf,
} from "./pretrain-wild.js";
import { renderScene } from "./scene.js";

/**
 * The pretraining classes (sorted): a small stand-in for ImageNet in the same visual world as the pets —
 * other animal faces with ears, eyes, noses, whiskers and fur (among them the pets' wild cousins, as
 * ImageNet has tigers and wolves), and everyday things — but no cat or dog.
 */
export const PRETRAIN_CLASSES = [
  "bear",
  "bird",
  "car",
  "cup",
  "fish",
  "flower",
  "fox",
  "frog",
  "house",
  "hyena",
  "jackal",
  "leopard",
  "lion",
  "lynx",
  "mouse",
  "owl",
  "pig",
  "rabbit",
  "tiger",
  "wolf",
] as const;

/** The pretraining classes that are animal faces (drawn at the pets' scale and tilt). */
const ANIMALS = new Set<string>([
  "bear",
  "fox",
  "frog",
  "hyena",
  "jackal",
  "leopard",
  "lion",
  "lynx",
  "mouse",
  "owl",
  "pig",
  "rabbit",
  "tiger",
  "wolf",
]);

export type PretrainClass = (typeof PRETRAIN_CLASSES)[number];

const DRAWERS: Record<PretrainClass, (pen: Pen, random: Random) => void> = {
  bear: drawBear,
  bird: drawBird,
  car: drawCar,
  cup: drawCup,
  fish: drawFish,
  flower: drawFlower,
  fox: drawFox,
  frog: drawFrog,
  house: drawHouse,
  hyena: drawHyena,
  jackal: drawJackal,
  leopard: drawLeopard,
  lion: drawLion,
  lynx: drawLynx,
  mouse: drawMouse,
  owl: drawOwl,
  pig: drawPig,
  rabbit: drawRabbit,
  tiger: drawTiger,
  wolf: drawWolf,
};

export interface PretrainOptions {
  /** One of PRETRAIN_CLASSES. */
  label: string;
  /** Side of the square image in pixels. */
  size: number;
}

/** A `size`×`size` picture of one `label` thing in the shared scene (pose, clutter, occluder, blur, noise), like `drawPet`. */
export function drawPretrain(random: Random, options: PretrainOptions): RgbImage {
  const drawer = DRAWERS[options.label as PretrainClass];
  if (!drawer) throw new Error(`invalid label: "${options.label}"; use one of ${PRETRAIN_CLASSES.join(", ")}`);
  const animal = ANIMALS.has(options.label);
  return renderScene(
    random,
    options.size,
    { radius: animal ? [0.2, 0.33] : [0.24, 0.38], maxTilt: animal ? 0.7 : 0.5, occlusion: 0.22 },
    (canvas, frame) => {
      drawer({ canvas, transform: frame.transform }, random);
    },
  );
}
