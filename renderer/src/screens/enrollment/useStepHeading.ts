// Moves keyboard and screen-reader focus to a step's heading when the step (or the key) changes, so the clerk
// hears where they are and Tab continues from the top of the new step in reading order (RTL or LTR).
import { useEffect, useRef } from 'react';

export function useStepHeading<T extends HTMLElement = HTMLHeadingElement>(key: unknown) {
  const ref = useRef<T>(null);
  useEffect(() => {
    ref.current?.focus({ preventScroll: false });
  }, [key]);
  return ref;
}
