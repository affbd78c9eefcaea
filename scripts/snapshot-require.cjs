// The start of dist/program.cjs (scripts/build.mjs). While node makes the start-up snapshot, a
// script may require only node's own modules, and child_process (commander loads it) is not one
// node has verified to survive a snapshot: it is loaded when first used, after the snapshot is
// read (the engine and commander use it by name only, which is all the stand-in serves). The
// build fails on node's warning if another such module is loaded. A run from the snapshot
// require()s the libraries (dist/lib) and pm2 from the package, as a plain run of this file does.
if (require('node:v8').startupSnapshot.isBuildingSnapshot()) {
  require = ((builtin, file) => {
    let childProcess;
    const lazyChildProcess = new Proxy({}, { get: (_, name) => (childProcess ??= builtin('node:child_process'))[name] });
    let fromPackage;
    return (id) => {
      if (id === 'node:child_process' || id === 'child_process') return lazyChildProcess;
      if (id.startsWith('node:')) return builtin(id);
      if (!builtin('node:v8').startupSnapshot.isBuildingSnapshot()) return (fromPackage ??= builtin('node:module').createRequire(file))(id);
      try {
        return builtin(id);
      } catch {
        throw new Error(`dist/program.cjs required ${id} while its snapshot was made: only node's own modules may be loaded then (a library is require()d when first used)`);
      }
    };
  })(require, __filename);
}
