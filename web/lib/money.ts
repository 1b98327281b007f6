/**
 * Money helpers. Amounts are integers in fen (分); formatting uses integer
 * arithmetic only, never floating-point division.
 */
export function formatFen(fen: number, opts: { symbol?: boolean } = {}): string {
  const symbol = opts.symbol ?? true;
  // Guard against accidental non-integers coming over the wire.
  const n = Number.isSafeInteger(fen) ? fen : Math.round(fen);
  const negative = n < 0;
  const abs = negative ? -n : n;
  const yuan = Math.floor(abs / 100); // exact for safe integers: floor of an integer quotient
  const cents = abs - yuan * 100;
  const yuanStr = String(yuan).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const centsStr = cents < 10 ? `0${cents}` : String(cents);
  return `${negative ? '-' : ''}${symbol ? '¥' : ''}${yuanStr}.${centsStr}`;
}
