/**
 * A fake GitHub REST API on 127.0.0.1 that speaks what `comment --github` uses, the way api.github.com does:
 * - GET /user (the token's user; 403 "Resource not accessible by integration" for an Actions/App token);
 * - GET /repos/{o}/{r}/issues/{n}/comments?per_page=&page= (oldest first, `Link` with absolute next/last URLs);
 * - POST /repos/{o}/{r}/issues/{n}/comments (201), PATCH /repos/{o}/{r}/issues/comments/{id} (200);
 * - DELETE /repos/{o}/{r}/issues/comments/{id} (204; 404 when already gone);
 * - 401 "Bad credentials" for any other token, 404 "Not Found" for anything else, and injected 403/422 on writes;
 * - adversity on demand: rate limits (429, or 403 with `retry-after` / `x-ratelimit-*`, GitHub's secondary-limit
 *   message), requests left hanging, 200 answers of the wrong shape, and POSTs held until N have arrived (two runs
 *   racing to create the comment).
 * Every request is recorded (method, path with query, Authorization, JSON body).
 */
import { createServer, type ServerResponse } from 'node:http';
import { readBody } from './http.js';

export interface FakeComment {
  id: number;
  body: string;
  user: string;
  created_at: string;
}

export interface FakeGitHubOptions {
  /** The one token the server accepts (as `token X` or `Bearer X`). */
  token: string;
  owner: string;
  repo: string;
  pr: number;
  /** Login GET /user answers with; null: GET /user is forbidden (an Actions or App installation token). */
  login: string | null;
  /** Comments already on the PR, oldest first. */
  comments?: FakeComment[];
  /** Answer the comment writes (POST and PATCH) with this status, as GitHub does for a fork's read-only token (403) or a rejected body (422). */
  refuseWrites?: 403 | 422;
  /** Pagination links point at this origin instead of the server's own (a hostile or misconfigured API). */
  linkOrigin?: string;
  /** A misbehaving server that echoes the presented credential in its 401 message: the client must not repeat it. */
  echoCredentialOn401?: boolean;
  /** The first `times` requests matching `route` ('GET /user', 'LIST', 'POST', 'PATCH', 'DELETE') are rate-limited. */
  rateLimit?: { route: string; times: number; status: 429 | 403; retryAfter?: string; reset?: number };
  /** Per route: 'hang' never answers; a string is sent as the 200/201 body as it is. */
  answer?: Partial<Record<string, 'hang' | string>>;
  /** When listing request number `at` (1-based) arrives, this comment is added first: another run just created it. */
  appearOnListing?: { at: number; comment: FakeComment };
  /** Every listing page links `next` to page 2 again: a pagination that never ends. */
  loopLinks?: boolean;
  /** POSTs are answered only once this many have arrived (then all at once, in arrival order). */
  holdPosts?: number;
}

export interface RecordedGitHubRequest {
  method: string;
  path: string;
  authorization: string;
  body: unknown;
}

export interface FakeGitHub {
  url: string;
  requests: RecordedGitHubRequest[];
  comments: FakeComment[];
  close(): Promise<void>;
}

const DOCS = 'https://docs.github.com/rest';
/** GitHub's current clock for new comments: fixed, so tests are deterministic. */
const NOW = '2026-11-27T12:00:00Z';

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(text)),
    'x-github-request-id': 'FAKE:0001',
    ...headers,
  });
  res.end(text);
}

export async function startFakeGitHub(options: FakeGitHubOptions): Promise<FakeGitHub> {
  const requests: RecordedGitHubRequest[] = [];
  const comments: FakeComment[] = [...(options.comments ?? [])];
  let nextId = Math.max(1000, ...comments.map((c) => c.id)) + 1;
  let base = '';
  let limited = 0;
  let listings = 0;
  const held: (() => void)[] = [];

  /** The route names `rateLimit` and `answer` use. */
  const routeOf = (method: string, pathname: string): string => {
    if (pathname === '/user') return `${method} /user`;
    if (method === 'GET' && pathname.endsWith(`/issues/${options.pr}/comments`)) return 'LIST';
    return method;
  };

  const asJson = (c: FakeComment): object => ({
    id: c.id,
    node_id: `IC_${c.id}`,
    url: `${base}/repos/${options.owner}/${options.repo}/issues/comments/${c.id}`,
    html_url: `https://github.com/${options.owner}/${options.repo}/pull/${options.pr}#issuecomment-${c.id}`,
    issue_url: `${base}/repos/${options.owner}/${options.repo}/issues/${options.pr}`,
    body: c.body,
    user: { login: c.user, id: c.user.length, type: c.user.endsWith('[bot]') ? 'Bot' : 'User' },
    created_at: c.created_at,
    updated_at: c.created_at,
    author_association: 'MEMBER',
  });

  const server = createServer((req, res) => {
    void (async () => {
      const raw = await readBody(req);
      const url = new URL(req.url ?? '/', base);
      const authorization = String(req.headers['authorization'] ?? '');
      const method = req.method ?? 'GET';
      const body: unknown = raw === '' ? null : JSON.parse(raw);
      requests.push({ method, path: url.pathname + url.search, authorization, body });
      const route = routeOf(method, url.pathname);
      if (route === 'LIST' && ++listings === options.appearOnListing?.at) comments.push(options.appearOnListing.comment);
      if (options.rateLimit !== undefined && options.rateLimit.route === route && limited < options.rateLimit.times) {
        limited++;
        const rl = options.rateLimit;
        const headers: Record<string, string> = {
          'x-ratelimit-limit': '5000',
          'x-ratelimit-remaining': rl.reset !== undefined ? '0' : '4999',
          'x-ratelimit-reset': String(rl.reset ?? Math.floor(Date.now() / 1000) + 3600),
          ...(rl.retryAfter !== undefined ? { 'retry-after': rl.retryAfter } : {}),
        };
        const message = 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.';
        return send(
          res,
          rl.status,
          { message, documentation_url: `${DOCS}/overview/rate-limits-for-the-rest-api`, status: String(rl.status) },
          headers,
        );
      }
      const how = options.answer?.[route];
      if (how === 'hang') return;
      if (how !== undefined) {
        res.writeHead(route === 'POST' ? 201 : 200, {
          'content-type': 'application/json; charset=utf-8',
          'content-length': String(Buffer.byteLength(how)),
        });
        res.end(how);
        return;
      }

      const presented = authorization.replace(/^(token|bearer)\s+/i, '');
      if (presented !== options.token) {
        const message = options.echoCredentialOn401 === true ? `Bad credentials: ${authorization}` : 'Bad credentials';
        return send(res, 401, { message, documentation_url: DOCS, status: '401' });
      }

      const repoPath = `/repos/${options.owner}/${options.repo}`;
      if (method === 'GET' && url.pathname === '/user') {
        if (options.login === null)
          return send(res, 403, {
            message: 'Resource not accessible by integration',
            documentation_url: `${DOCS}/users/users#get-the-authenticated-user`,
            status: '403',
          });
        return send(res, 200, { login: options.login, id: 1, type: 'User' });
      }
      // GitHub's own next links point at /repositories/{id}/issues/{n}/comments; both paths list the same comments.
      const listing =
        url.pathname === `${repoPath}/issues/${options.pr}/comments` || url.pathname === `/repositories/4242/issues/${options.pr}/comments`;
      if (listing && method === 'GET') {
        const perPage = Math.min(100, Number(url.searchParams.get('per_page') ?? '30'));
        const page = Math.max(1, Number(url.searchParams.get('page') ?? '1'));
        const last = Math.max(1, Math.ceil(comments.length / perPage));
        const link = (p: number, rel: string): string =>
          `<${options.linkOrigin ?? base}/repositories/4242/issues/${options.pr}/comments?per_page=${perPage}&page=${p}>; rel="${rel}"`;
        const links =
          options.loopLinks === true
            ? [link(2, 'next')]
            : page < last
              ? [link(page + 1, 'next'), link(last, 'last')]
              : [link(1, 'first'), link(Math.max(1, page - 1), 'prev')];
        if (options.loopLinks === true) return send(res, 200, comments.slice(0, perPage).map(asJson), { link: links.join(', ') });
        // One page only: GitHub sends no Link header at all.
        return send(res, 200, comments.slice((page - 1) * perPage, page * perPage).map(asJson), last === 1 ? {} : { link: links.join(', ') });
      }
      if (method === 'POST' && url.pathname === `${repoPath}/issues/${options.pr}/comments`) {
        if (options.holdPosts === undefined) return write(res, body, null);
        held.push(() => write(res, body, null));
        if (held.length >= options.holdPosts) for (const answer of held.splice(0)) answer();
        return;
      }
      const del = new RegExp(`^${repoPath}/issues/comments/(\\d+)$`).exec(url.pathname);
      if (method === 'DELETE' && del !== null) {
        const at = comments.findIndex((c) => c.id === Number(del[1]));
        if (at < 0) return send(res, 404, { message: 'Not Found', documentation_url: DOCS, status: '404' });
        comments.splice(at, 1);
        res.writeHead(204);
        res.end();
        return;
      }
      const patch = new RegExp(`^${repoPath}/issues/comments/(\\d+)$`).exec(url.pathname);
      if (method === 'PATCH' && patch !== null) return write(res, body, Number(patch[1]));
      return send(res, 404, { message: 'Not Found', documentation_url: DOCS, status: '404' });
    })().catch((err: unknown) => {
      res.writeHead(500);
      res.end(String(err));
    });
  });

  function write(res: ServerResponse, body: unknown, id: number | null): void {
    if (options.refuseWrites === 403)
      return send(res, 403, { message: 'Resource not accessible by integration', documentation_url: `${DOCS}/issues/comments`, status: '403' });
    const text: unknown = typeof body === 'object' && body !== null ? Reflect.get(body, 'body') : undefined;
    if (options.refuseWrites === 422 || typeof text !== 'string' || text === '') {
      return send(res, 422, {
        message: 'Validation Failed',
        errors: [{ resource: 'IssueComment', code: 'custom', field: 'body', message: 'body is too long (maximum is 65536 characters)' }],
        documentation_url: `${DOCS}/issues/comments#create-an-issue-comment`,
        status: '422',
      });
    }
    if (id === null) {
      const created: FakeComment = { id: nextId++, body: text, user: options.login ?? 'github-actions[bot]', created_at: NOW };
      comments.push(created);
      return send(res, 201, asJson(created));
    }
    const existing = comments.find((c) => c.id === id);
    if (existing === undefined) return send(res, 404, { message: 'Not Found', documentation_url: DOCS, status: '404' });
    existing.body = text;
    return send(res, 200, asJson(existing));
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('fake GitHub: no TCP address');
  base = `http://127.0.0.1:${address.port}`;
  return {
    url: base,
    requests,
    comments,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
