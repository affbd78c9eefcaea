import v8 from 'node:v8';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { deadline } from '../../engine/steps/http/deadline.js';

// Node 20's AbortSignal.any loses an AbortSignal.timeout source at the next garbage collection;
// a request without a step `timeout` then waits forever. Force that collection here.
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

describe('deadline (the default request timeout)', () => {
  it('still fires after a garbage collection', async () => {
    const limit = deadline(new AbortController().signal, 50);
    gc();
    await new Promise((resolve) => limit.signal.addEventListener('abort', resolve, { once: true }));
    expect((limit.signal.reason as Error).name).toBe('TimeoutError');
  });

  it('passes on the step signal and stops its timer when cleared', () => {
    const step = new AbortController();
    const limit = deadline(step.signal, 60_000);
    step.abort();
    limit.clear();
    expect(limit.signal.aborted).toBe(true);
  });
});
