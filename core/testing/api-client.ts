/** A logged-in console API client over real HTTP (session cookie + CSRF header), for system tests. */
export class ApiClient {
  private constructor(
    private readonly base: string,
    private readonly cookie: string,
    private readonly csrf: string,
  ) {}

  static async login(base: string, username: string, password: string): Promise<ApiClient> {
    const res = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });
    if (!res.ok) throw new Error(`login ${username}: ${String(res.status)} ${await res.text()}`);
    const body = (await res.json()) as { csrfToken: string };
    const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    return new ApiClient(base, cookie, body.csrfToken);
  }

  async get<T>(path: string): Promise<T> {
    return (await this.send('GET', path).then((r) => r.json())) as T;
  }

  async post<T>(path: string, body: unknown = {}): Promise<T> {
    return (await this.send('POST', path, body).then((r) => r.json())) as T;
  }

  async bytes(path: string): Promise<Buffer> {
    return Buffer.from(await (await this.send('GET', path)).arrayBuffer());
  }

  private async send(method: string, path: string, body?: unknown): Promise<Response> {
    const res = await fetch(`${this.base}${path}`, {
      method,
      headers: {
        cookie: this.cookie,
        'x-csrf-token': this.csrf,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!res.ok) throw new Error(`${method} ${path}: ${String(res.status)} ${await res.text()}`);
    return res;
  }
}
