/** A non-empty list of numbers: statistics such as the median are undefined on an empty list. */
export type Samples = readonly [number, ...number[]];

/** Narrows a list to Samples when it has at least one element. */
export function isSamples(values: readonly number[]): values is Samples {
  return values.length > 0;
}
