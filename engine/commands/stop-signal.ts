/**
 * Resolves on the first SIGINT or SIGTERM, with its name: how a long-running command (the
 * dashboard, the fleet agent) is stopped from a terminal or by PM2 (SIGINT, then SIGKILL).
 */
export function stopSignal(): Promise<string> {
  return new Promise((resolve) => {
    const stop = (signal: string) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
