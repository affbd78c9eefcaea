/**
 * Every `--json` document is one JSON object carrying `format`: the version of its shape,
 * raised when a field changes meaning or goes away (fields may be added within a version).
 * The shapes are described in docs/json.md.
 */
export const JSON_FORMAT = 1;

export function jsonText(body: object): string {
  return JSON.stringify({ format: JSON_FORMAT, ...body }, null, 2);
}
