const TIB = 2 ** 40;

/** On-demand cost of `billedBytes` at `pricePerTib` dollars per TiB, to a millionth of a dollar. */
export const usdOf = (billedBytes: number, pricePerTib: number) =>
  Math.round((billedBytes / TIB) * pricePerTib * 1e6) / 1e6;
