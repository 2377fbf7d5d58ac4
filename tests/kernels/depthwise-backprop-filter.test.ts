import { beforeAll, describe, it } from "vitest";
import { registerTrainingKernels, TRAINING_KERNELS_BY_BACKEND } from "../../src/kernels/index.js";
import {
  convCases,
  everyDthTap,
  expectClose,
  expectKernelLeavesOnlyItsOutput,
  expectMatchesStockCpu,
  normal,
  onStockCpu,
  runKernel,
  useBackend,
  zeroFilledFilter,
  type KernelBackend,
} from "./helpers.js";

const cases = convCases(31, { depthwise: true });

for (const backend of (["wasm", "cpu"] as KernelBackend[]).filter((b) =>
  TRAINING_KERNELS_BY_BACKEND[b].includes("DepthwiseConv2dNativeBackpropFilter"),
)) {
  describe(`DepthwiseConv2dNativeBackpropFilter on ${backend}`, () => {
    beforeAll(async () => {
      registerTrainingKernels();
      await useBackend(backend);
    });

    cases.forEach((c, i) => {
      it(`matches stock cpu for ${c.title}`, async () => {
        await expectMatchesStockCpu("DepthwiseConv2dNativeBackpropFilter", backend, c, 31 * 100 + i);
      });
    });

    it("matches stock cpu on the zero-filled filter for dilation 2, same padding, 3×3, multiplier 2", async () => {
      const [x, dy] = [normal([3, 9, 8, 3], 51), normal([3, 9, 8, 6], 52)];
      const attrs = { strides: 1, pad: "same", dilations: 1, filterShape: [5, 5, 3, 2] };
      const want = everyDthTap(
        await onStockCpu(() => runKernel("DepthwiseConv2dNativeBackpropFilter", { x, dy }, attrs)),
        2,
      );
      await useBackend(backend);
      expectClose(
        runKernel(
          "DepthwiseConv2dNativeBackpropFilter",
          { x, dy },
          { ...attrs, dilations: 2, filterShape: [3, 3, 3, 2] },
        ),
        want,
      );
    });

    it("leaves only its output behind", async () => {
      await useBackend(backend);
      expectKernelLeavesOnlyItsOutput("DepthwiseConv2dNativeBackpropFilter", cases[1]!);
      expectKernelLeavesOnlyItsOutput("DepthwiseConv2dNativeBackpropFilter", cases[7]!);
    });
  });
}
