// FarmTally stand-in: the two endpoints the runbook checks after a recovery.
// /api/health reads release.json on every request, so a damaged release shows at once.
'use strict';
const http = require('http');
const fs = require('fs');
const path = require('path');
const { execFile } = require('child_process');
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
  if (url.pathname === '/api/stats') {
    // The data the database holds, read through psql (the sample has no npm dependencies):
    // after a server recovery this shows the restored rows, not just a running process.
    if (!process.env.PGDATABASE) return send(res, 503, { error: 'no database configured (PGDATABASE)' });
    const sql = 'select (select count(*) from users) || \',\' || (select count(*) from tallies)';
    return execFile(process.env.PSQL || 'psql', ['-X', '-q', '-t', '-A', '-c', sql],
      { timeout: 5000 }, (err, stdout, stderr) => {
        if (err) return send(res, 503, { error: String(stderr || err.message).trim() });
        const [users, tallies] = stdout.trim().split(',').map(Number);
        return send(res, 200, { database: process.env.PGDATABASE, users, tallies });
      });
  }
  return send(res, 404, { error: 'not found' });
});

setTimeout(() => server.listen(port, host, () => {
  console.log(`farmtally listening on http://${host}:${port} (revision ${release().revision})`);
}), startupDelay);
