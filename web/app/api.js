// REST calls with the stored tokens: a 401 on an expired access token is retried once
// after a refresh; a failed refresh signs the user out.

export class ApiError extends Error {
  constructor(status, body) {
    super(body?.detail || `HTTP ${status}`);
    this.status = status;
    this.code = body?.code;
    this.body = body;
  }
}

export const session = {
  get access() { return localStorage.getItem('fl.access'); },
  get refresh() { return localStorage.getItem('fl.refresh'); },
  save(tokens) {
    if (tokens.access) localStorage.setItem('fl.access', tokens.access);
    if (tokens.refresh) localStorage.setItem('fl.refresh', tokens.refresh);
  },
  clear() {
    localStorage.removeItem('fl.access');
    localStorage.removeItem('fl.refresh');
  },
  get signedIn() { return Boolean(this.refresh); },
};

async function call(path, { method = 'GET', body } = {}) {
  const headers = {};
  if (session.access) headers.Authorization = `Bearer ${session.access}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(path, {
    method, headers, body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  const parsed = text ? JSON.parse(text) : null;
  if (!response.ok) {
    const error = new ApiError(response.status, parsed);
    error.retryAfter = Number(response.headers.get('Retry-After') || 0);
    throw error;
  }
  return parsed;
}

let refreshing = null;

// A fresh access token, one refresh at a time however many calls need it.
export async function refreshAccess() {
  if (!refreshing) {
    refreshing = call('/api/token/refresh/', { method: 'POST', body: { refresh: session.refresh } })
      .then((tokens) => session.save(tokens))
      .catch((error) => { session.clear(); throw error; })
      .finally(() => { refreshing = null; });
  }
  return refreshing;
}

export async function api(path, options) {
  try {
    return await call(path, options);
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 401 || !session.refresh) throw error;
    await refreshAccess();
    return call(path, options);
  }
}

export async function login(username, password) {
  session.save(await call('/api/token/', { method: 'POST', body: { username, password } }));
}
