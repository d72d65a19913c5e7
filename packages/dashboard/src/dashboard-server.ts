import { existsSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import type { DashboardState } from './dashboard-state';
import { freshCursor, updateFor, type Cursor } from './wire';

/** Updates per second at most that a connection is sent (each carries everything new since the last). */
const UPDATES_PER_SECOND = 4;

export type ControlAction = 'pause' | 'resume' | 'stop';

/** What a dashboard shows: one run (live or finished), or a finished sweep and its runs. */
export interface DashboardSource {
  /** The state of the run `id` ('' : the run of a single-run source), undefined when there is no such run. */
  state(id: string): DashboardState | undefined;
  /** A sweep: its table of combinations and runs; undefined for a single run. */
  sweep?(): SweepTable | undefined;
  /** A live run: pause, resume, stop. */
  control?(action: ControlAction): void;
  /** Told how many pages are connected, whenever that changes (a live run records detail only while somebody watches). */
  watchers?(count: number): void;
}

export interface SweepTable {
  readonly name: string | null;
  readonly keys: readonly string[];
  /** Per combination: its swept values, n and mean/std per class fraction (summary.json). */
  readonly summary: readonly Record<string, unknown>[];
  /** Per run: `run` (its id), swept values, replicate, seed, counts (runs.json). */
  readonly runs: readonly Record<string, unknown>[];
}

export interface DashboardServerOptions {
  readonly port?: number;
  /** Address to listen on (default 127.0.0.1). */
  readonly host?: string;
}

const ASSETS = join(__dirname, '..', 'assets');

/** The files the page loads, each from its installed package or this package's assets: nothing from the network. */
const FILES: Record<string, { readonly path: () => string; readonly type: string }> = {
  '/': { path: () => join(ASSETS, 'index.html'), type: 'text/html; charset=utf-8' },
  '/dashboard.js': { path: () => join(ASSETS, 'dashboard.js'), type: 'text/javascript; charset=utf-8' },
  '/dashboard.css': { path: () => join(ASSETS, 'dashboard.css'), type: 'text/css; charset=utf-8' },
  '/lib/vega.js': { path: () => packageFile('vega', require.resolve('vega'), 'build/vega.min.js'), type: 'text/javascript; charset=utf-8' },
  '/lib/vega-lite.js': { path: () => packageFile('vega-lite', require.resolve('vega-lite'), 'build/vega-lite.min.js'), type: 'text/javascript; charset=utf-8' },
  '/lib/plotly.js': { path: () => packageFile('plotly.js-dist-min', require.resolve('plotly.js-dist-min'), 'plotly.min.js'), type: 'text/javascript; charset=utf-8' },
};

/** A file of an installed package that its `exports` does not list (its browser bundle): found from the package's folder. */
function packageFile(name: string, entry: string, file: string): string {
  for (let dir = dirname(entry); dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === name) return join(dir, file);
  }
  throw new Error(`${name}: package folder not found`);
}

interface Connection {
  readonly response: ServerResponse;
  readonly state: DashboardState;
  readonly cursor: Cursor;
}

/**
 * The dashboard's web server (node:http): the page and its scripts, and per page one server-sent
 * event stream (`/events?run=ID`) of updates — the history on connecting, then what is new, at most
 * UPDATES_PER_SECOND times a second however fast the run goes. POST /control pauses, resumes or
 * stops a live run.
 */
export class DashboardServer {
  private readonly connections = new Set<Connection>();
  private readonly cache = new Map<string, Buffer>();
  private timer: NodeJS.Timeout | undefined;

  private constructor(
    private readonly server: Server,
    private readonly source: DashboardSource,
  ) {
    server.on('request', (request: IncomingMessage, response: ServerResponse) => this.handle(request, response));
  }

  /** Where the page is, e.g. http://127.0.0.1:41234/ */
  get url(): string {
    const { address, port } = this.server.address() as AddressInfo;
    return `http://${address.includes(':') ? `[${address}]` : address}:${port}/`;
  }

  static async start(source: DashboardSource, options: DashboardServerOptions = {}): Promise<DashboardServer> {
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
    });
    return new DashboardServer(server, source);
  }

  /** Sends what is new to every page now (e.g. the final state, once the run has ended). */
  flush(): void {
    for (const connection of this.connections) this.send(connection);
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    for (const { response } of this.connections) response.end();
    this.connections.clear();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(request: IncomingMessage, response: ServerResponse): void {
    const url = new URL(request.url ?? '/', 'http://dashboard');
    try {
      if (request.method === 'GET' && url.pathname === '/events') return this.stream(url.searchParams.get('run') ?? '', response);
      if (request.method === 'GET' && url.pathname === '/sweep') return this.json(response, this.source.sweep?.() ?? null);
      if (request.method === 'POST' && url.pathname === '/control') return this.control(url.searchParams.get('action'), response);
      const file = FILES[url.pathname];
      if (request.method === 'GET' && file) {
        const body = this.cache.get(url.pathname) ?? readFileSync(file.path());
        this.cache.set(url.pathname, body);
        response.writeHead(200, { 'content-type': file.type, 'cache-control': 'no-cache' });
        response.end(body);
        return;
      }
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
    } catch (error) {
      response.writeHead(500, { 'content-type': 'text/plain' }).end(`${(error as Error).message}\n`);
    }
  }

  private json(response: ServerResponse, value: unknown): void {
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(value));
  }

  private control(action: string | null, response: ServerResponse): void {
    if (!this.source.control || (action !== 'pause' && action !== 'resume' && action !== 'stop')) {
      response.writeHead(400, { 'content-type': 'text/plain' }).end(this.source.control ? 'expected action=pause|resume|stop\n' : 'not a live run\n');
      return;
    }
    this.source.control(action);
    this.json(response, { ok: true });
    this.flush();
  }

  private stream(id: string, response: ServerResponse): void {
    const state = this.source.state(id);
    if (!state) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end(`no run ${id}\n`);
      return;
    }
    response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    const connection: Connection = { response, state, cursor: freshCursor() };
    this.connections.add(connection);
    this.source.watchers?.(this.connections.size);
    response.on('close', () => {
      this.connections.delete(connection);
      this.source.watchers?.(this.connections.size);
      if (this.connections.size > 0) return;
      clearInterval(this.timer);
      this.timer = undefined;
    });
    this.send(connection);
    this.timer ??= setInterval(() => this.flush(), 1000 / UPDATES_PER_SECOND);
  }

  private send(connection: Connection): void {
    const update = updateFor(connection.state, connection.cursor);
    if (update) connection.response.write(`data: ${JSON.stringify({ ...update, live: this.source.control !== undefined })}\n\n`);
  }
}
