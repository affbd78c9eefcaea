/** A step that could not do its work, keeping what it did produce for the record. */
export class StepFailure extends Error {
  readonly output: Record<string, unknown>;

  constructor(message: string, output: Record<string, unknown> = {}) {
    super(message);
    this.name = 'StepFailure';
    this.output = output;
  }
}
