/**
 * Bytes sent, over parts (blocks) uploaded in parallel. A retried part starts again from zero, so
 * the raw sum can go back; what is reported never does: it is only reported when it grows, and the
 * end is reported as exactly `total`.
 */
export class Progress {
  /** The current attempt at each part in flight, with the bytes it has sent. */
  private readonly inFlight = new Map<number, { sent: number }>()
  private completed = 0
  private reported = -1

  constructor(
    private readonly total: number,
    private readonly callback?: (sentBytes: number, totalBytes: number) => void
  ) {}

  /**
   * A counter for a new attempt at `part`. The bytes of a previous attempt no longer count, and a
   * counter whose attempt was replaced, or whose part is complete, counts nothing any more.
   */
  attempt(part: number): (bytes: number) => void {
    const attempt = { sent: 0 }
    this.inFlight.set(part, attempt)
    return bytes => {
      if (this.inFlight.get(part) !== attempt) return
      attempt.sent += bytes
      this.emit()
    }
  }

  complete(part: number, bytes: number): void {
    this.inFlight.delete(part)
    this.completed += bytes
    this.emit()
  }

  finish(): void {
    if (this.reported < this.total) {
      this.reported = this.total
      this.callback?.(this.total, this.total)
    }
  }

  private emit(): void {
    if (!this.callback) return
    let sent = this.completed
    for (const attempt of this.inFlight.values()) sent += attempt.sent
    // Never report the total before the upload is confirmed; finish() does that.
    sent = Math.min(sent, this.total - 1)
    if (sent > this.reported) {
      this.reported = sent
      this.callback(sent, this.total)
    }
  }
}
