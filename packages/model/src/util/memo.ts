/** A Map or a WeakMap: anything a value can be kept in by key. */
export interface MemoCache<K, V> {
  get(key: K): V | undefined;
  set(key: K, value: V): unknown;
}

/** The value kept for `key`, made by `make` (once) the first time it is asked for. */
export function memo<K, V>(cache: MemoCache<K, V>, key: K, make: () => V): V {
  let value = cache.get(key);
  if (value === undefined) {
    value = make();
    cache.set(key, value);
  }
  return value;
}
