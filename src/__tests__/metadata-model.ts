/** A cell or notebook model reduced to its metadata, for the tests of the metadata helpers. */
import type { PartialJSONValue } from '@lumino/coreutils';

/** Holds metadata as a cell or notebook model does, replacing the object on every change. */
export class MetadataModel {
  constructor(
    readonly type = 'code',
    public metadata: Record<string, PartialJSONValue> = {}
  ) {}
  getMetadata(key: string): unknown {
    return this.metadata[key];
  }
  setMetadata(key: string, value: PartialJSONValue): void {
    this.metadata = { ...this.metadata, [key]: value };
  }
  deleteMetadata(key: string): void {
    const { [key]: _, ...rest } = this.metadata;
    this.metadata = rest;
  }
}
