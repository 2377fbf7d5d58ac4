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

const cases = convCases(41, { depthwise: true });

for (const backend of (["wasm", "cpu"] as KernelBackend[]).filter((b) =>
  TRAINING_KERNELS_BY_BACKEND[b].includes("DepthwiseConv2dNativeBackpropInput"),
)) {
  describe(`DepthwiseConv2dNativeBackpropInput on ${backend}`, () => {
    beforeAll(async () => {
      registerTrainingKernels();
      await useBackend(backend);
    });

    cases.forEach((c, i) => {
      it(`matches stock cpu for ${c.title}`, async () => {
        await expectMatchesStockCpu("DepthwiseConv2dNativeBackpropInput", backend, c, 41 * 100 + i);
      });
    });

    it("matches stock cpu on the zero-filled filter for dilation 2, same padding, 3×3, multiplier 2", async () => {
      const [dy, filter] = [normal([3, 9, 8, 6], 52), normal([3, 3, 3, 2], 53)];
      const attrs = { strides: 1, pad: "same", dilations: 1, inputShape: [3, 9, 8, 3] };
      const want = await onStockCpu(() =>
        runKernel("DepthwiseConv2dNativeBackpropInput", { dy, filter: zeroFilledFilter(filter, 2) }, attrs),
      );
      await useBackend(backend);
      expectClose(runKernel("DepthwiseConv2dNativeBackpropInput", { dy, filter }, { ...attrs, dilations: 2 }), want);
    });

    it("leaves only its output behind", async () => {
      await useBackend(backend);
      expectKernelLeavesOnlyItsOutput("DepthwiseConv2dNativeBackpropInput", cases[1]!);
      expectKernelLeavesOnlyItsOutput("DepthwiseConv2dNativeBackpropInput", cases[7]!);
    });
  });
}
