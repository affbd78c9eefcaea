import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { nodeDirMissingFrom } from '../../engine/schedule/cli-path.js';

// Cron's crontab line and a fleet agent's job both put node's folder on PATH by this rule, so the
// bin finds the node its snapshot was made by.
describe('node on the PATH a bin is started with', () => {
  const nodeDir = path.dirname(process.execPath);

  it('names node\'s folder when the PATH lacks it', () => {
    expect(nodeDirMissingFrom(['/nowhere', '/also/not'])).toBe(nodeDir);
    expect(nodeDirMissingFrom([])).toBe(nodeDir);
  });

  it('names nothing when the PATH has it, wherever it stands', () => {
    expect(nodeDirMissingFrom([nodeDir])).toBeUndefined();
    expect(nodeDirMissingFrom(['/nowhere', nodeDir])).toBeUndefined();
  });

  it('takes a folder whose name only contains node\'s for another folder', () => {
    expect(nodeDirMissingFrom([`${nodeDir}/sub`, nodeDir.slice(0, -1)])).toBe(nodeDir);
  });
});
