/**
 * Values of a checkpoint (states, events, the scenario) as JSON plus typed arrays kept apart as raw
 * binary: a typed array becomes `{ "$array": ref }` (what `store` returned for it), a number JSON
 * lacks (NaN, ±Infinity, -0) `{ "$number": "NaN" }`, an object with a key starting with `$`
 * `{ "$object": { … } }`. Keys whose value is undefined are left out, as JSON.stringify does.
 */

export type TypedArray = Float32Array | Float64Array | Int8Array | Int16Array | Int32Array | Uint8Array | Uint16Array | Uint32Array | Uint8ClampedArray;

const ARRAY_TYPES = { Float32Array, Float64Array, Int8Array, Int16Array, Int32Array, Uint8Array, Uint16Array, Uint32Array, Uint8ClampedArray } as const;
export type ArrayType = keyof typeof ARRAY_TYPES;

/** The name of a typed array's type, as the format records it. */
export function arrayType(array: TypedArray): ArrayType {
  const name = array.constructor.name;
  if (!(name in ARRAY_TYPES)) throw new Error(`cannot checkpoint a ${name}`);
  return name as ArrayType;
}

/** A typed array of `type` over `bytes` (copied, so that it is aligned and owns its memory). */
export function arrayOf(type: string, bytes: Uint8Array): TypedArray {
  const Type = ARRAY_TYPES[type as ArrayType];
  if (!Type) throw new Error(`checkpoint: unknown array type ${type}`);
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return new Type(copy.buffer, 0, bytes.byteLength / Type.BYTES_PER_ELEMENT);
}

export function encodeValue(value: unknown, store: (array: TypedArray) => unknown, where = 'value'): unknown {
  if (typeof value === 'number') return Number.isFinite(value) && !Object.is(value, -0) ? value : { $number: String(Object.is(value, -0) ? '-0' : value) };
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (ArrayBuffer.isView(value)) return { $array: store(value as TypedArray) };
  if (Array.isArray(value)) return value.map((v, i) => (v === undefined ? null : encodeValue(v, store, `${where}[${i}]`)));
  if (typeof value === 'object' && (Object.getPrototypeOf(value) === Object.prototype || Object.getPrototypeOf(value) === null)) {
    const out: Record<string, unknown> = {};
    let escape = false;
    for (const [key, v] of Object.entries(value)) {
      if (v === undefined) continue;
      if (key.startsWith('$')) escape = true;
      out[key] = encodeValue(v, store, `${where}.${key}`);
    }
    return escape ? { $object: out } : out;
  }
  throw new Error(`cannot checkpoint ${where}: ${value === undefined ? 'undefined' : ((value as object).constructor?.name ?? typeof value)} is not JSON data or a typed array`);
}

export function decodeValue(json: unknown, load: (ref: unknown) => TypedArray): unknown {
  if (json === null || typeof json !== 'object') return json;
  if (Array.isArray(json)) return json.map((v) => decodeValue(v, load));
  const record = json as Record<string, unknown>;
  if ('$number' in record) return Number(record.$number);
  if ('$array' in record) return load(record.$array);
  const fields = '$object' in record ? (record.$object as Record<string, unknown>) : record;
  return Object.fromEntries(Object.entries(fields).map(([key, v]) => [key, decodeValue(v, load)]));
}
