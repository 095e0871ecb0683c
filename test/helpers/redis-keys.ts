import IORedis from 'ioredis';

/** Deletes every Redis key under a test's queue prefix, so runs leave nothing behind. */
export async function deleteKeysUnder(redis: IORedis | string, prefix: string): Promise<void> {
  const client = typeof redis === 'string' ? new IORedis(redis, { maxRetriesPerRequest: 1 }) : redis;
  try {
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      if (keys.length > 0) await client.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    if (typeof redis === 'string') client.disconnect();
  }
}
