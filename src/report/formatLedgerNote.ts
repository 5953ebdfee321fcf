/** The note a run (and `analyze` of its file) prints when the allocation ledger lost count; null when it did not. */
export function formatLedgerNote(uncountedAllocations: number): string | null {
  if (uncountedAllocations <= 0) return null;
  return (
    `allocation ledger: its tables filled (${uncountedAllocations} allocation(s) uncounted); ` +
    'the engine heap is not judged, heap in use decides'
  );
}
