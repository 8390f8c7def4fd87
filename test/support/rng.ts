// The seeded generator every randomised test uses (mulberry32): a failure names a seed that replays it.

/** 32-bit unsigned random integers from `seed`. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

/** Random numbers in [0, 1) from `seed` (the same sequence as rng, scaled). */
export function rngFloat(seed: number): () => number {
  const next = rng(seed);
  return () => next() / 4294967296;
}
