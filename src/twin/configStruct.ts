/** One field of a chatllm.cpp config struct as convert.py packs it (little-endian). */
export interface ConfigField {
  key: string;
  kind: 'i32' | 'f32';
  /** Array length for fixed-size arrays (e.g. layer_is_sparse[128]); omitted for scalars. */
  count?: number;
}

export type ConfigValue = number | number[];
export type ConfigValues = Record<string, ConfigValue>;

/** Byte size of a struct with these fields. */
export function configStructBytes(layout: readonly ConfigField[]): number {
  return layout.reduce((sum, f) => sum + 4 * (f.count ?? 1), 0);
}

/** Packs `values` in layout order; a missing or wrongly sized field is a programming error. */
export function encodeConfigStruct(layout: readonly ConfigField[], values: ConfigValues): Buffer {
  const buf = Buffer.alloc(configStructBytes(layout));
  let offset = 0;
  for (const field of layout) {
    const value = values[field.key];
    if (value === undefined) throw new Error(`config field missing: ${field.key}`);
    const items = Array.isArray(value) ? value : [value];
    if (items.length !== (field.count ?? 1) || Array.isArray(value) !== (field.count !== undefined)) {
      throw new Error(`config field ${field.key}: expected ${field.count ?? 'a scalar'}, got ${items.length} values`);
    }
    for (const item of items) {
      if (field.kind === 'i32') buf.writeInt32LE(item, offset);
      else buf.writeFloatLE(item, offset);
      offset += 4;
    }
  }
  return buf;
}

/** Unpacks a struct written with this layout starting at `offset` of `buf`. */
export function decodeConfigStruct(layout: readonly ConfigField[], buf: Buffer, offset = 0): ConfigValues {
  const values: ConfigValues = {};
  let at = offset;
  for (const field of layout) {
    const read = (): number => {
      const v = field.kind === 'i32' ? buf.readInt32LE(at) : buf.readFloatLE(at);
      at += 4;
      return v;
    };
    values[field.key] = field.count === undefined ? read() : Array.from({ length: field.count }, read);
  }
  return values;
}
