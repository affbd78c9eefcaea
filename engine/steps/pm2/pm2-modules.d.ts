// pm2's socket modules have no types of their own: rpc.ts states the little it uses.
declare module 'pm2/modules/pm2-axon';
declare module 'pm2/modules/pm2-axon-rpc';
