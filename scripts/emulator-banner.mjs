// Reads what the emulator's command prints when it starts: its URL and the action inputs that point
// at it (the demo credentials and the three service URLs). Shared by the demo and the benchmark.

/** True once the banner is complete (the credentials come last). */
export const bannerComplete = text => /client-secret: \S+/.test(text)

export function parseEmulatorBanner(banner) {
  const field = name => new RegExp(`${name}: (\\S+)`).exec(banner)[1]
  return {
    url: /listening on (http:\/\/\S+)/.exec(banner)[1],
    connection: {
      'tenant-id': field('tenant-id'),
      'client-id': field('client-id'),
      'client-secret': field('client-secret'),
      'authority-host': field('authority-host'),
      'ingestion-api-url': field('ingestion-api-url'),
      'product-ingestion-api-url': field('product-ingestion-api-url')
    }
  }
}
