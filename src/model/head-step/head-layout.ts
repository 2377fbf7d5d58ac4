/**
 * Byte offsets in the head trainer's memory: the hidden kernel's two banks (and its Adam state's), its
 * gradient, and a batch's buffers (16-byte aligned, row-major float32).
 */
export interface HeadLayout {
  kernel: number[];
  gradAvg: number[];
  sqrAvg: number[];
  grad: number;
  buffers: Record<string, number>;
}

/**
 * Where everything goes for features of width d, a hidden layer of `hidden` units, `classes` outputs and
 * a batch of n rows (nPad: n rounded up to a multiple of 4); `bytes` is the memory it needs.
 */
export function headLayout(
  d: number,
  hidden: number,
  classes: number,
  n: number,
  nPad: number,
): { layout: HeadLayout; bytes: number } {
  const size = 4 * d * hidden;
  const banks = (first: number) => [first, first + size];
  const cPad = Math.ceil(classes / 4) * 4;
  let end = 7 * size;
  const take = (floats: number) => {
    const start = end;
    end += 4 * Math.ceil(floats / 4) * 4;
    return start;
  };
  const [nd, nh] = [n * d, n * hidden];
  const buffers = {
    x: take(nd),
    xhat1: take(nd),
    a1: take(nd),
    mask1: take(nd),
    dA1: take(nd),
    z: take(nh),
    xhat2: take(nh),
    a2: take(nh),
    mask2: take(nh),
    dA2: take(nh),
    dx2: take(nh),
    dz: take(nh),
    dzT: take(hidden * nPad),
    da1T: take(d * nPad),
    stats1: take(3 * d),
    stats2: take(3 * hidden),
    w2Pad: take(hidden * cPad),
    w2TPad: take(cPad * hidden),
    logits: take(n * cPad),
    dLogits: take(n * cPad),
    dW2Pad: take(hidden * cPad),
    gamma1: take(d),
    beta1: take(d),
    bias1: take(hidden),
    gamma2: take(hidden),
    beta2: take(hidden),
    dGamma1: take(d),
    dBeta1: take(d),
    dGamma2: take(hidden),
    dBeta2: take(hidden),
  };
  return {
    layout: { kernel: banks(0), gradAvg: banks(2 * size), sqrAvg: banks(4 * size), grad: 6 * size, buffers },
    bytes: end,
  };
}
