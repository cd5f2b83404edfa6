#!/usr/bin/env node
'use strict';
// The `bullpen` command: a thin launcher for the built CLI (out/main/cli.js), so a checkout that has not
// been built yet says what to do instead of failing with a stack trace.
const { existsSync } = require('node:fs');
const { join, resolve } = require('node:path');

const root = resolve(__dirname, '..');
const cli = join(root, 'out', 'main', 'cli.js');
if (!existsSync(cli)) {
  process.stderr.write(`bullpen: not built yet (${cli} is missing): run \`npm run build\` in ${root}, then try again\n`);
  process.exit(5);
}
// A reader that stops early (`bullpen … | head`) closes the pipe: that ends the output, not in a crash.
process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});
require(cli)
  .runCli(process.argv.slice(2))
  .then((code) => {
    process.exitCode = code;
  });
