/**
 * Multipart uploads as an attacker or a client sends them, over a real socket: a body of any size
 * generated as it is sent (the test process holds one 64 KiB chunk, never the body), with or without
 * Content-Length; and what the cms process spends meanwhile (new files in a directory, its RSS).
 */
import fs from 'fs';
import http from 'http';
import path from 'path';

const CHUNK = Buffer.alloc(64 * 1024, 'x');

export type MultipartRequest = {
  path: string;
  method?: string;
  headers?: Record<string, string>;
  /** Bytes of one file part (`files`), generated while sending. */
  fileBytes?: number;
  /** The file part's name and type (a PNG by default). */
  fileName?: string;
  fileType?: string;
  /** Bytes of one text field (`fileInfo`), generated while sending. */
  fieldBytes?: number;
  /** Send Content-Length (default), or no length at all (chunked transfer encoding). */
  declareLength?: boolean;
  /** Stop after this many body bytes and wait up to `holdMs` for an answer before sending the rest. */
  holdAfter?: number;
  holdMs?: number;
};

export type MultipartAnswer = {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: { data?: unknown; error?: { status: number; name: string; message: string } } & Record<string, unknown>;
  /** Body bytes written when the answer arrived (the whole body when it came only after). */
  sentBytes: number;
  /** The body's full size. */
  totalBytes: number;
  ms: number;
};

let sequence = 0;

/** Sends one multipart request to `baseUrl` and resolves with its answer; stops sending once answered. */
export function sendMultipart(baseUrl: string, request: MultipartRequest): Promise<MultipartAnswer> {
  sequence += 1;
  const boundary = `----ovation-test-${sequence}`;
  const fieldBytes = request.fieldBytes ?? 0;
  const fileBytes = request.fileBytes ?? 0;
  const fieldHead = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="fileInfo"\r\n\r\n`);
  const fileHead = Buffer.from(
    `${fieldBytes ? '\r\n' : ''}--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="${request.fileName ?? 'big.png'}"\r\nContent-Type: ${request.fileType ?? 'image/png'}\r\n\r\n`
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  // Each generated section: its head, then `size` bytes of filler.
  const sections = [
    ...(fieldBytes ? [{ head: fieldHead, size: fieldBytes }] : []),
    ...(fileBytes || !fieldBytes ? [{ head: fileHead, size: fileBytes }] : []),
  ];
  const totalBytes = sections.reduce((sum, section) => sum + section.head.length + section.size, 0) + tail.length;

  const started = Date.now();
  // Keep-alive, as browsers and most clients ask: whether the cms closes the connection is its choice.
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const req = http.request(new URL(request.path, baseUrl), {
    method: request.method ?? 'POST',
    agent,
    headers: {
      'content-type': `multipart/form-data; boundary=${boundary}`,
      ...(request.declareLength === false ? {} : { 'content-length': String(totalBytes) }),
      ...request.headers,
    },
  });

  return new Promise<MultipartAnswer>((resolve, reject) => {
    let sent = 0;
    let answer: MultipartAnswer | undefined;
    let answered: () => void = () => undefined;
    const answeredOrClosed = new Promise<void>((done) => {
      answered = done;
      req.once('close', done);
    });

    req.on('response', (res) => {
      const sentBytes = sent;
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body: MultipartAnswer['body'] = {};
        try {
          body = text ? JSON.parse(text) : {};
        } catch {
          body = { text };
        }
        answer = { status: res.statusCode ?? 0, headers: res.headers, body, sentBytes, totalBytes, ms: Date.now() - started };
        answered();
        req.destroy();
        agent.destroy();
        resolve(answer);
      });
    });
    // A server that answers early and closes the connection makes the rest of the body fail to send.
    req.on('error', (error) => {
      if (!answer) setTimeout(() => (answer ? undefined : reject(error)), 1000);
    });

    const write = async (buffer: Buffer) => {
      sent += buffer.length;
      if (!req.write(buffer)) await Promise.race([new Promise((done) => req.once('drain', done)), answeredOrClosed]);
    };

    (async () => {
      let held = request.holdAfter === undefined;
      for (const section of sections) {
        await write(section.head);
        for (let left = section.size; left > 0 && !answer && !req.destroyed; ) {
          const size = Math.min(left, CHUNK.length);
          await write(size === CHUNK.length ? CHUNK : CHUNK.subarray(0, size));
          left -= size;
          if (!held && sent >= (request.holdAfter as number)) {
            held = true;
            await Promise.race([answeredOrClosed, new Promise((done) => setTimeout(done, request.holdMs ?? 3000))]);
          }
        }
      }
      if (!answer && !req.destroyed) req.end(tail);
    })().catch(() => undefined);
  });
}

/** Watches a directory for files created from now on: how many bytes they held at most, and which remain. */
export function watchNewFiles(dir: string) {
  const existing = new Set(fs.readdirSync(dir));
  const seen = new Set<string>();
  let peakBytes = 0;
  const sizeOf = (name: string) => {
    try {
      return fs.statSync(path.join(dir, name)).size;
    } catch {
      return 0;
    }
  };
  const measure = () => {
    for (const name of fs.readdirSync(dir)) if (!existing.has(name)) seen.add(name);
    const total = [...seen].reduce((sum, name) => sum + sizeOf(name), 0);
    peakBytes = Math.max(peakBytes, total);
  };
  // inotify catches a file that lives only briefly; the timer catches how big it grows.
  const watcher = fs.watch(dir, (_event, name) => {
    if (name && !existing.has(name)) seen.add(name);
    measure();
  });
  const timer = setInterval(measure, 10);
  return {
    stop() {
      measure();
      watcher.close();
      clearInterval(timer);
      const remaining = [...seen].filter((name) => fs.existsSync(path.join(dir, name)));
      return { created: [...seen], remaining, peakBytes };
    },
  };
}

/** Samples this process's resident memory (the in-process cms's) every 10 ms: its highest above the start. */
export function sampleRss() {
  const startBytes = process.memoryUsage().rss;
  let peakBytes = startBytes;
  const timer = setInterval(() => {
    peakBytes = Math.max(peakBytes, process.memoryUsage().rss);
  }, 10);
  return {
    stop() {
      clearInterval(timer);
      peakBytes = Math.max(peakBytes, process.memoryUsage().rss);
      return { startBytes, peakBytes, growthBytes: peakBytes - startBytes };
    },
  };
}
