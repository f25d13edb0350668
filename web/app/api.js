// REST calls with the stored tokens: a 401 on an expired access token is retried once
// after a refresh; a failed refresh signs the user out. Also the two calls JSON does not
// fit: an attachment's bytes, and an upload that reports its progress.

import { forgetRotations, recordRotation, successorOf } from './rotations.js';

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

async function call(path, options) {
  return (await exchange(path, options)).body;
}

// The answer's body and, for a list the server pages, where its next page is (the Link
// header's rel="next"), or null.
async function exchange(path, { method = 'GET', body } = {}) {
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
  const next = /<([^>]*)>;\s*rel="next"/.exec(response.headers.get('Link') || '');
  return { body: parsed, next: next ? next[1] : null };
}

let refreshing = null;

// Refresh tokens rotate, and one presented twice ends the session: the page's tabs share
// them (localStorage), so one tab at a time refreshes, and a tab that waited uses what the
// other got instead of spending the same token again. localStorage may not yet show this
// tab what the other wrote: the rotations kept in IndexedDB say what its token became.
function oneTabAtATime(work) {
  return navigator.locks ? navigator.locks.request('fieldlink-refresh', work) : work();
}

// A fresh access token, one refresh at a time however many calls (and tabs) need it.
export async function refreshAccess() {
  if (!refreshing) {
    const refused = session.access;
    refreshing = oneTabAtATime(async () => {
      if (session.access && session.access !== refused) return;  // another tab refreshed
      const spent = session.refresh;
      const successor = await successorOf(spent);
      if (successor) {  // another tab refreshed, and this one had not heard yet
        session.save(successor);
        return;
      }
      const tokens = await call('/api/token/refresh/', { method: 'POST', body: { refresh: spent } });
      await recordRotation(spent, tokens);
      session.save(tokens);
    })
      .catch((error) => { session.clear(); throw error; })
      .finally(() => { refreshing = null; });
  }
  return refreshing;
}

// Ends this browser's session on the server too (its refresh token's family), then forgets
// the tokens. Offline or refused, the tokens are forgotten all the same.
export async function logout() {
  const refresh = session.refresh;
  if (refresh) {
    try {
      await api('/api/auth/logout/', { method: 'POST', body: { refresh } });
    } catch { /* the server may be unreachable: signing out here still holds */ }
  }
  await forgetRotations();
  session.clear();
}

export function api(path, options) {
  return withRefresh(() => call(path, options));
}

// Every row of a list the server answers a page at a time, following each page's link.
export async function apiPages(path) {
  const rows = [];
  for (let next = path; next;) {
    const page = await withRefresh(() => exchange(next));
    rows.push(...page.body);
    next = page.next;
  }
  return rows;
}

// The dashboard with the rows of all its pages (each names the next in `next`).
export async function apiDashboard(path) {
  const first = await api(path);
  for (let next = first.next; next;) {
    const page = await api(next);
    first.conversations.push(...page.conversations);
    next = page.next;
  }
  first.next = null;
  return first;
}

// Retries `attempt` once after a refresh when the access token was refused.
async function withRefresh(attempt) {
  try {
    return await attempt();
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 401 || !session.refresh) throw error;
    await refreshAccess();
    return attempt();
  }
}

async function parsedError(response) {
  let body = null;
  try { body = await response.json(); } catch { /* not JSON: the status says enough */ }
  return new ApiError(response.status, body);
}

// An attachment's bytes as a Blob: attachments need the token, so <img src> cannot fetch them.
export function apiBlob(path) {
  return withRefresh(async () => {
    const response = await fetch(path, { headers: { Authorization: `Bearer ${session.access}` } });
    if (!response.ok) throw await parsedError(response);
    return response.blob();
  });
}

// POSTs a multipart form; onProgress(sent, total) while the body goes out. fetch() cannot
// report upload progress, XMLHttpRequest can.
export function apiUpload(path, form, onProgress) {
  const once = () => new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('POST', path);
    request.setRequestHeader('Authorization', `Bearer ${session.access}`);
    request.responseType = 'json';
    request.upload.onprogress = (e) => { if (e.lengthComputable) onProgress?.(e.loaded, e.total); };
    request.onload = () => {
      if (request.status >= 200 && request.status < 300) resolve(request.response);
      else reject(new ApiError(request.status, request.response));
    };
    request.onerror = () => reject(new ApiError(0, null));  // the network, not the server
    request.send(form);
  });
  return withRefresh(once);
}

export async function login(username, password) {
  session.save(await call('/api/token/', { method: 'POST', body: { username, password } }));
}
