import type { ServerResponse } from 'node:http';
import { errorMessage } from '../errors.js';

/**
 * Server-sent events: every open page gets the status document each `intervalMs`. One reading
 * per tick, whatever the number of pages, and no timer at all while no page is open, so an
 * idle dashboard costs no CPU.
 */
export class StatusEvents {
  private readonly clients = new Set<ServerResponse>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly opts: { intervalMs: number; read: () => Promise<unknown> }) {}

  add(res: ServerResponse): void {
    // A proxy in front (nginx) must pass each event on at once, not buffer the stream.
    res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
    this.clients.add(res);
    res.on('close', () => {
      this.clients.delete(res);
      if (!this.clients.size) this.stopTimer();
    });
    void this.send([res]);
    this.timer ??= setInterval(() => void this.send([...this.clients]), this.opts.intervalMs);
  }

  private async send(to: ServerResponse[]): Promise<void> {
    let frame: string;
    try {
      frame = `event: status\ndata: ${JSON.stringify(await this.opts.read())}\n\n`;
    } catch (error) {
      frame = `event: problem\ndata: ${JSON.stringify({ error: errorMessage(error) })}\n\n`;
    }
    for (const res of to) if (!res.writableEnded) res.write(frame);
  }

  private stopTimer(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  close(): void {
    this.stopTimer();
    for (const res of this.clients) res.end();
    this.clients.clear();
  }
}
