/**
 * Runs `worker` over `items` with at most `limit` in flight, in item order. After the first failure
 * no new item is started; those in flight are let finish (a request cannot be taken back), then the
 * first error is thrown.
 */
export async function runPool<T>(
  items: readonly T[],
  limit: number,
  worker: (item: T) => Promise<void>
): Promise<void> {
  let next = 0
  let failure: { error: unknown } | undefined
  const lane = async (): Promise<void> => {
    while (!failure && next < items.length) {
      const item = items[next++]
      try {
        await worker(item)
      } catch (error) {
        failure ??= { error }
      }
    }
  }
  const lanes = Math.max(1, Math.min(limit, items.length))
  await Promise.all(Array.from({ length: lanes }, lane))
  if (failure) throw failure.error
}
