/** A growable list of 32-bit integers over a typed array, for ballot groups and rank marks. */
export class IntList {
  items = new Int32Array(16);
  length = 0;

  push(value: number): void {
    if (this.length === this.items.length) {
      const bigger = new Int32Array(this.items.length * 2);
      bigger.set(this.items);
      this.items = bigger;
    }
    this.items[this.length++] = value;
  }

  toArray(): Int32Array {
    return this.items.slice(0, this.length);
  }
}
