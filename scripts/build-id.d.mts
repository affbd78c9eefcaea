/** The id of the build of the package in `root` (scripts/build-id.mjs). */
export declare function buildId(root?: string): string;
