// FarmTally stand-in: the two endpoints the runbook checks after a recovery.
// /api/health reads release.json on every request, so a damaged release shows at once.
'use strict';
const http = require('http');
const fs = require('fs');
const path = require('path');
const auth = require('./lib/auth');

const port = Number(process.env.PORT || 3300);
const host = process.env.HOST || '127.0.0.1';
const startupDelay = Number(process.env.STARTUP_DELAY_MS || 0);

function release() {
  return JSON.parse(fs.readFileSync(path.join(__dirname, 'release.json'), 'utf8'));
}

function send(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body) + '\n');
}

const server = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://localhost');
  if (url.pathname === '/api/health') {
    try {
      const r = release();
      return send(res, 200, { status: 'ok', app: r.name, revision: r.revision, pid: process.pid });
    } catch (e) {
      return send(res, 500, { status: 'broken', error: String(e.message || e) });
    }
  }
  if (url.pathname === '/api/auth/verify') {
    const result = auth.verify(req.headers.authorization);
    return send(res, result.ready ? 200 : 503, result);
  }
  return send(res, 404, { error: 'not found' });
});

setTimeout(() => server.listen(port, host, () => {
  console.log(`farmtally listening on http://${host}:${port} (revision ${release().revision})`);
}), startupDelay);
