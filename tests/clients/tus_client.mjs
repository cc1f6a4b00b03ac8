#!/usr/bin/env node
// Uploads one file over tus 1.0.0 with tus-js-client, for the integration tests, which spawn it
// and parse the last line it prints on stdout as JSON.
//
//   node tests/clients/tus_client.mjs --file PATH (--endpoint URL | --resume-url URL)
//       [--header "Name: value"]... [--metadata key=value]... [--chunk-size BYTES]
//       [--abort-after BYTES]
//
// --endpoint     the creation URL (POST); a relative Location answer is resolved against it.
// --resume-url   an upload URL to go on with: HEAD asks the server's offset and the PATCHes
//                send the file from there. A failed HEAD is an error: the upload is then not
//                created anew, even with --endpoint.
// --header       sent with every request (repeatable); a Host header replaces the one Node
//                derives from the URL, which still decides where to connect.
// --metadata     Upload-Metadata pairs (repeatable); values are base64-encoded by the client.
// --chunk-size   at most this many bytes per PATCH (default: the whole rest of the file).
// --abort-after  abort the upload once at least this many bytes of the file were sent in all
//                (the server's offset at the start included), and exit 0.
//
// Last stdout line, one of:
//   {"status":"done","url":U,"bytes":SIZE,"start_offset":O,"body_bytes":B}             exit 0
//   {"status":"aborted","url":U,"bytes_sent":N,"start_offset":O,"body_bytes":B}        exit 0
//   {"status":"error","message":M,"http_status":S|null,"url":U|null,...}             exit 1
// Bad arguments: an error line and exit 2; --help prints the usage and exits 0.
// bytes_sent is what onProgress reported last: file bytes up to where the upload stood, not
// what the server has (an aborted request loses what was in flight). start_offset is the
// server's offset when this process began (0 for a new upload). body_bytes counts the file
// bytes this process read into PATCH bodies, so a resume that sends only the rest shows
// body_bytes = SIZE - start_offset.
//
// Runs on Node.js 18 and later. The file is given to tus-js-client as an fs.ReadStream with a
// path: the client then reads each PATCH body from the file at the offset the server reports
// (its FileSource), unlike a plain stream, which cannot seek and cannot resume.

import fs from 'node:fs'
import { Readable } from 'node:stream'
import { DefaultHttpStack, Upload } from 'tus-js-client'

const kRetryDelaysMs = [0, 500, 1000, 2000]
const kUsage = 'usage: node tests/clients/tus_client.mjs --file PATH (--endpoint URL | ' +
  '--resume-url URL) [--header "Name: value"]... [--metadata key=value]... ' +
  '[--chunk-size BYTES] [--abort-after BYTES]'

function printLine(object) {
  process.stdout.write(`${JSON.stringify(object)}\n`)
}

class UsageError extends Error {}

function parseByteCount(flag, text) {
  if (!/^\d+$/.test(text)) {
    throw new UsageError(`${flag} needs a whole number of bytes, not '${text}'`)
  }
  const value = Number(text)
  if (!Number.isSafeInteger(value)) throw new UsageError(`${flag} is too large: ${text}`)
  return value
}

function parseArguments(argv) {
  const args = { endpoint: null, file: null, headers: {}, metadata: {}, chunkSize: null,
    abortAfter: null, resumeUrl: null }
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]
    if (flag === '--help' || flag === '-h') {
      process.stdout.write(`${kUsage}\n`)
      process.exit(0)
    }
    if (i + 1 >= argv.length) throw new UsageError(`${flag} needs a value`)
    const value = argv[++i]
    switch (flag) {
      case '--endpoint': args.endpoint = value; break
      case '--file': args.file = value; break
      case '--resume-url': args.resumeUrl = value; break
      case '--chunk-size': args.chunkSize = parseByteCount(flag, value); break
      case '--abort-after': args.abortAfter = parseByteCount(flag, value); break
      case '--header': {
        const colon = value.indexOf(':')
        if (colon <= 0) throw new UsageError(`--header needs 'Name: value', not '${value}'`)
        args.headers[value.slice(0, colon).trim()] = value.slice(colon + 1).trim()
        break
      }
      case '--metadata': {
        const equals = value.indexOf('=')
        if (equals <= 0) throw new UsageError(`--metadata needs key=value, not '${value}'`)
        args.metadata[value.slice(0, equals)] = value.slice(equals + 1)
        break
      }
      default: throw new UsageError(`unknown argument '${flag}'`)
    }
  }
  if (args.file === null) throw new UsageError('--file is required')
  if (args.endpoint === null && args.resumeUrl === null) {
    throw new UsageError('--endpoint or --resume-url is required')
  }
  if (args.chunkSize === 0) throw new UsageError('--chunk-size must be positive')
  return args
}

// Tus-js-client's Node HTTP stack, counting the file bytes read into request bodies.
class CountingHttpStack {
  constructor() {
    this.inner_ = new DefaultHttpStack()
    this.bodyBytes = 0
  }

  createRequest(method, url) {
    const request = this.inner_.createRequest(method, url)
    const send = request.send.bind(request)
    request.send = (body = null) => {
      // send() pipes the body synchronously, so this listener misses no data.
      const sent = send(body)
      if (body instanceof Readable) {
        body.on('data', (chunk) => { this.bodyBytes += chunk.length })
      } else if (body != null && body.length !== undefined) {
        this.bodyBytes += body.length
      }
      return sent
    }
    return request
  }

  getName() {
    return 'CountingHttpStack'
  }
}

function run(args) {
  const sizeBytes = fs.statSync(args.file).size
  const httpStack = new CountingHttpStack()
  let startOffset = null
  let lastBytesSent = 0
  let aborting = false
  let finished = false

  const finish = (object, exitCode) => {
    if (finished) return
    finished = true
    printLine(object)
    process.exit(exitCode)
  }

  const upload = new Upload(fs.createReadStream(args.file), {
    // Without an endpoint a failed resume is an error instead of a silent new upload.
    endpoint: args.resumeUrl === null ? args.endpoint : null,
    uploadUrl: args.resumeUrl,
    uploadSize: sizeBytes,
    headers: args.headers,
    metadata: args.metadata,
    chunkSize: args.chunkSize ?? Infinity,
    retryDelays: kRetryDelaysMs,
    storeFingerprintForResuming: false,
    httpStack,
    onAfterResponse(request, response) {
      if (startOffset !== null) return
      if (request.getMethod() === 'POST' && response.getStatus() === 201) startOffset = 0
      if (request.getMethod() === 'HEAD' && response.getStatus() < 300) {
        startOffset = Number.parseInt(response.getHeader('Upload-Offset'), 10)
      }
    },
    onProgress(bytesSent) {
      lastBytesSent = bytesSent
      if (args.abortAfter === null || bytesSent < args.abortAfter || aborting) return
      aborting = true
      upload.abort(false).then(
        () => finish({ status: 'aborted', url: upload.url, bytes_sent: bytesSent,
          start_offset: startOffset, body_bytes: httpStack.bodyBytes }, 0),
        (error) => finish({ status: 'error', message: `abort failed: ${error.message}`,
          http_status: null, url: upload.url }, 1))
    },
    onSuccess() {
      finish({ status: 'done', url: upload.url, bytes: sizeBytes, start_offset: startOffset,
        body_bytes: httpStack.bodyBytes }, 0)
    },
    onError(error) {
      const response = error.originalResponse
      finish({ status: 'error', message: error.message,
        http_status: response ? response.getStatus() : null, url: upload.url,
        bytes_sent: lastBytesSent }, 1)
    },
  })
  upload.start()
}

try {
  run(parseArguments(process.argv.slice(2)))
} catch (error) {
  if (!(error instanceof UsageError)) {
    printLine({ status: 'error', message: error.message, http_status: null, url: null })
    process.exit(1)
  }
  process.stderr.write(`tus_client: ${error.message}\n${kUsage}\n`)
  printLine({ status: 'error', message: error.message, http_status: null, url: null })
  process.exit(2)
}
