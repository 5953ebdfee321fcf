/**
 * One-sided sign test: the probability of at least `rises` rises among `rises + falls` changes when
 * each change is a rise or a fall with probability ½ (ties left out beforehand), as
 * scipy.stats.binomtest(rises, rises + falls, 0.5, alternative='greater').pvalue. 1 when there are no
 * changes. It rests on no step size, so a climb whose steps vary with its size is judged by how
 * lopsided it is, not by how noisy.
 */
export function signTestP(rises: number, falls: number): number {
  const n = rises + falls;
  if (n === 0 || rises <= 0) return 1;
  // Σ_{k=rises..n} C(n, k) / 2^n, with C(n, k) built up term by term (exact for the few hundred switches of a run).
  let term = 1; // C(n, n)
  let tail = 0;
  for (let k = n; k >= rises; k--) {
    tail += term;
    term = (term * k) / (n - k + 1); // C(n, k−1) from C(n, k)
  }
  return tail / 2 ** n;
}
