#!/usr/bin/env node
// The comparison server of the tus benchmark: @tus/server with @tus/file-store, the reference
// Node.js implementation of tus 1.0.0, on loopback.
//
//   node tests/bench/tus_node_server.mjs --dir DIR --port PORT [--log]
//
// Stores each upload in DIR (created if missing) as a file named after the upload id, beside
// its DIR/ID.json; serves the path /files on 127.0.0.1:PORT (PORT 0 picks a free port). Once
// listening it prints one line on stdout:
//   ready http://127.0.0.1:PORT/files
// Location answers are relative (/files/ID). --log prints one line per request on stderr once
// it is over (method, path, Host header, status, the request's and the answer's Upload-Offset,
// bytes read off the connection), to see what a client really sent. SIGTERM and SIGINT close
// the server and exit 0.
//
// The packages come from tests/clients (scripts/npm-install.sh tests/clients installs them).

import { createRequire } from 'node:module'

const require = createRequire(new URL('../clients/package.json', import.meta.url))
const { Server } = require('@tus/server')
const { FileStore } = require('@tus/file-store')

function fail(message) {
  process.stderr.write(`tus_node_server: ${message}\n` +
    'usage: node tests/bench/tus_node_server.mjs --dir DIR --port PORT [--log]\n')
  process.exit(2)
}

function parseArguments(argv) {
  const args = { dir: null, port: null, log: false }
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]
    if (flag === '--log') {
      args.log = true
      continue
    }
    if (i + 1 >= argv.length) fail(`${flag} needs a value`)
    const value = argv[++i]
    if (flag === '--dir') args.dir = value
    else if (flag === '--port') {
      if (!/^\d+$/.test(value) || Number(value) > 65535) fail(`bad port '${value}'`)
      args.port = Number(value)
    } else fail(`unknown argument '${flag}'`)
  }
  if (args.dir === null || args.port === null) fail('--dir and --port are required')
  return args
}

const args = parseArguments(process.argv.slice(2))
const host = '127.0.0.1'

const tusServer = new Server({
  path: '/files',
  datastore: new FileStore({ directory: args.dir }),
  relativeLocation: true,
})

// listen() returns the underlying http.Server.
const httpServer = tusServer.listen({ host, port: args.port }, () => {
  const { port } = httpServer.address()
  process.stdout.write(`ready http://${host}:${port}/files\n`)
})
httpServer.on('error', (error) => {
  process.stderr.write(`tus_node_server: ${error.message}\n`)
  process.exit(1)
})

if (args.log) {
  // Bytes read off a connection when its previous request was over (keep-alive).
  const readBefore = new WeakMap()
  httpServer.on('request', (req, res) => {
    const offsetAsked = req.headers['upload-offset'] ?? '-'
    res.on('close', () => {
      const read = req.socket.bytesRead - (readBefore.get(req.socket) ?? 0)
      readBefore.set(req.socket, req.socket.bytesRead)
      const offsetAnswered = res.getHeader('Upload-Offset') ?? '-'
      process.stderr.write(`${req.method} ${req.url} Host ${req.headers.host} ${res.statusCode} ` +
        `offset ${offsetAsked} -> ${offsetAnswered} read ${read} (headers included)\n`)
    })
  })
}

const stop = () => {
  httpServer.close(() => process.exit(0))
  // Open keep-alive connections or a client still uploading must not hold the exit.
  if (typeof httpServer.closeAllConnections === 'function') httpServer.closeAllConnections()
  setTimeout(() => process.exit(0), 2000).unref()
}
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
