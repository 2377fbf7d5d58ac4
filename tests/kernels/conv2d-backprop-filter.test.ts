import { beforeAll, describe, expect, it } from "vitest";
import { registerTrainingKernels, TRAINING_KERNELS_BY_BACKEND } from "../../src/kernels/index.js";
import {
  convCases,
  expectKernelLeavesOnlyItsOutput,
  expectMatchesStockCpu,
  normal,
  runKernel,
  useBackend,
  type KernelBackend,
} from "./helpers.js";

const cases = convCases(11, { depthwise: false });

for (const backend of (["wasm", "cpu"] as KernelBackend[]).filter((b) =>
  TRAINING_KERNELS_BY_BACKEND[b].includes("Conv2DBackpropFilter"),
)) {
  describe(`Conv2DBackpropFilter on ${backend}`, () => {
    beforeAll(async () => {
      registerTrainingKernels();
      await useBackend(backend);
    });

    cases.forEach((c, i) => {
      it(`matches stock cpu for ${c.title}`, async () => {
        await expectMatchesStockCpu("Conv2DBackpropFilter", backend, c, 11 * 100 + i);
      });
    });

    it("refuses NCHW data, naming the setting and the fix", async () => {
      await useBackend(backend);
      const attrs = {
        strides: 1,
        pad: "same",
        dataFormat: "NCHW",
        filterShape: [1, 1, 2, 3],
        inputShape: [1, 4, 4, 2],
      };
      expect(() =>
        runKernel("Conv2DBackpropFilter", { x: normal([1, 4, 4, 2], 1), dy: normal([1, 4, 4, 3], 2) }, attrs),
      ).toThrow(
        /^Conv2DBackpropFilter: dataFormat "NCHW" is not supported by the training kernels; use "NHWC" \(channels last\), or call unregisterTrainingKernels\(\) to fall back to the stock kernel$/,
      );
    });

    it("leaves only its output behind", async () => {
      await useBackend(backend);
      expectKernelLeavesOnlyItsOutput("Conv2DBackpropFilter", cases[1]!);
      expectKernelLeavesOnlyItsOutput("Conv2DBackpropFilter", cases[7]!);
    });
  });
}
