'use client';

let ctx: AudioContext | null = null;

function audio(): AudioContext | null {
  if (typeof window === 'undefined') return null;
  const Ctor = window.AudioContext ?? (window as unknown as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext;
  if (!Ctor) return null;
  if (!ctx) ctx = new Ctor();
  return ctx;
}

/** Browsers start audio suspended until the user interacts; call from any click handler. */
export function unlockAudio(): void {
  const a = audio();
  if (a && a.state === 'suspended') void a.resume().catch(() => undefined);
}

/** A short two-tone "new order" chime (Web Audio, no asset to load). */
export function beep(): void {
  const a = audio();
  if (!a) return;
  if (a.state === 'suspended') void a.resume().catch(() => undefined);
  const start = a.currentTime + 0.01;
  [880, 1320].forEach((freq, i) => {
    const osc = a.createOscillator();
    const gain = a.createGain();
    osc.type = 'sine';
    osc.frequency.value = freq;
    const t0 = start + i * 0.16;
    gain.gain.setValueAtTime(0.0001, t0);
    gain.gain.exponentialRampToValueAtTime(0.25, t0 + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, t0 + 0.15);
    osc.connect(gain).connect(a.destination);
    osc.start(t0);
    osc.stop(t0 + 0.16);
  });
}

const MUTE_KEY = 'ps.queue.muted';
export const readMuted = () => typeof window !== 'undefined' && window.localStorage.getItem(MUTE_KEY) === '1';
export const writeMuted = (m: boolean) => window.localStorage.setItem(MUTE_KEY, m ? '1' : '0');
