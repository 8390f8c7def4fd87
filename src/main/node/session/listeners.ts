// Listeners of one event kind: `subscribe` returns the function that unsubscribes, `emit` calls each.
export class Listeners<T> {
  private readonly set = new Set<(value: T) => void>();

  readonly subscribe = (listener: (value: T) => void): (() => void) => {
    this.set.add(listener);
    return () => void this.set.delete(listener);
  };

  emit(value: T): void {
    for (const listener of this.set) listener(value);
  }
}
