// Framework data loader: lesson 1's cats and dogs, drawn by src/ at build time, as one zip on stdout.
import { datasetZip } from "../../src/node/write-dataset.js";

process.stdout.write(datasetZip({ set: "pets", seed: 42, perClass: 150, size: 96, noise: 0 }));
