/**
 * A depth counter for readers that convert nested input by recursion: past `max` levels the
 * caller's fallback (an unknown value) is returned instead of descending, so hostile nesting
 * cannot overflow the stack.
 */
export class NestingLimit {
  private depth = 0;

  constructor(private readonly max: number) {}

  within<T>(read: () => T, tooDeep: () => T): T {
    if (this.depth >= this.max) return tooDeep();
    this.depth++;
    try {
      return read();
    } finally {
      this.depth--;
    }
  }
}
