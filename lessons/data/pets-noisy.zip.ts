// Framework data loader: lesson 2's cats and dogs with 5 % of the labels flipped (the manifest knows which).
import { datasetZip } from "../../src/node/write-dataset.js";

process.stdout.write(datasetZip({ set: "pets", seed: 42, perClass: 150, size: 96, noise: 0.05 }));
