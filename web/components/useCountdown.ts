'use client';

import { useEffect, useState } from 'react';

/** Seconds left of a resend countdown; start(n) begins a new one. */
export function useCountdown() {
  const [left, setLeft] = useState(0);
  useEffect(() => {
    if (left <= 0) return;
    const id = setTimeout(() => setLeft((s) => s - 1), 1000);
    return () => clearTimeout(id);
  }, [left]);
  return { left, start: (sec: number) => setLeft(Math.max(1, Math.floor(sec))) };
}
