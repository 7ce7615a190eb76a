// PM2 process file for the sample FarmTally app. `./lifeboat up` copies it into the release
// root (.lifeboat/app/farmtally), beside current/ and previous/, so cwd follows the release:
// after a rollback swaps current/, `pm2 restart farmtally` runs the new code.
'use strict';
const path = require('path');

module.exports = {
  apps: [{
    name: 'farmtally',
    cwd: path.join(__dirname, 'current'),
    script: 'server.js',
    // LIFEBOAT_APP_PORT lets ./lifeboat up move the app off a busy port; the config's healthUrl follows.
    env: { NODE_ENV: 'production', HOST: '127.0.0.1', PORT: process.env.LIFEBOAT_APP_PORT || '3300' },
    autorestart: true,
    max_restarts: 5,
    min_uptime: 2000,
  }],
};
