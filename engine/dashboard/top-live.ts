import type { StatusDocument } from './data.js';
import type { FrameStyle } from './top-frame.js';
import { renderFrame } from './top-frame.js';

const ALT_SCREEN_ON = '\x1b[?1049h\x1b[?25l';
const ALT_SCREEN_OFF = '\x1b[?25h\x1b[?1049l';
const HOME = '\x1b[H';
const CLEAR_LINE_END = '\x1b[K';
const CLEAR_BELOW = '\x1b[J';

interface Terminal {
  stdout: NodeJS.WriteStream;
  stdin: NodeJS.ReadStream;
}

/**
 * The live view: redrawn in place every `intervalMs` on the terminal's alternate screen (the
 * shell's screen comes back on exit), until `q`, Ctrl-C, SIGINT or SIGTERM. Without a terminal
 * on stdout, frames are printed one after the other, plain.
 */
export async function liveTop(opts: { term: Terminal; intervalMs: number; read: () => Promise<StatusDocument>; style: () => FrameStyle }): Promise<void> {
  const { stdout, stdin } = opts.term;
  const tty = stdout.isTTY === true;
  let stop: () => void = () => {};
  const stopped = new Promise<void>((resolve) => (stop = resolve));
  const onKey = (key: Buffer) => {
    if (/^(q|Q|\x03)$/.test(key.toString())) stop();
  };
  const keys = stdin.isTTY === true;
  if (keys) {
    stdin.setRawMode(true);
    stdin.on('data', onKey);
    stdin.resume();
  }
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  let last: StatusDocument | undefined;
  const draw = () => {
    if (!last) return;
    const footer = `every ${opts.intervalMs / 1000}s${keys ? ', q quits' : ''}`;
    const frame = renderFrame(last, opts.style(), footer);
    if (tty) stdout.write(`${HOME}${frame.split('\n').join(`${CLEAR_LINE_END}\n`)}${CLEAR_LINE_END}${CLEAR_BELOW}`);
    else stdout.write(`${frame}\n\n`);
  };
  const refresh = async () => {
    last = await opts.read();
    draw();
  };
  if (tty) {
    stdout.write(ALT_SCREEN_ON);
    stdout.on('resize', draw);
  }
  const timer = setInterval(() => void refresh(), opts.intervalMs);
  try {
    await Promise.race([refresh().then(() => stopped), stopped]);
  } finally {
    clearInterval(timer);
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    if (tty) {
      stdout.off('resize', draw);
      stdout.write(ALT_SCREEN_OFF);
    }
    if (keys) {
      stdin.off('data', onKey);
      stdin.setRawMode(false);
      stdin.pause();
    }
  }
}
