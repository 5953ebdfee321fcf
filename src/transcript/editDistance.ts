/**
 * Levenshtein distance between two sequences: the fewest insertions, deletions and
 * substitutions (each costing 1) that turn `reference` into `hypothesis`. Items are compared with ===.
 */
export function editDistance<T>(reference: readonly T[], hypothesis: readonly T[]): number {
  // Each row of the table depends only on the row above, so two rows are kept.
  let previous = Array.from({ length: hypothesis.length + 1 }, (_, column) => column);
  let current = new Array<number>(hypothesis.length + 1).fill(0);
  for (let row = 1; row <= reference.length; row++) {
    current[0] = row;
    for (let column = 1; column <= hypothesis.length; column++) {
      const substitution = previous[column - 1]! + (reference[row - 1] === hypothesis[column - 1] ? 0 : 1);
      const deletion = previous[column]! + 1;
      const insertion = current[column - 1]! + 1;
      current[column] = Math.min(substitution, deletion, insertion);
    }
    [previous, current] = [current, previous];
  }
  return previous[hypothesis.length]!;
}
