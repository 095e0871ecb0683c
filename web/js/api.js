// Talks to /api/v1 with the signed-in token. The token lives in this tab's
// sessionStorage only: closing the tab signs out, and no cookie means no
// request another site can forge on the user's behalf.

const KEY = 'pactwatch.token';
export const API = '/api/v1';

export const session = {
  get token() {
    return sessionStorage.getItem(KEY);
  },
  set(token) {
    sessionStorage.setItem(KEY, token);
  },
  clear() {
    sessionStorage.removeItem(KEY);
    session.me = null;
  },
  /** `{name, role, permissions}` of the signed-in token, from GET /me. */
  me: null,
  can(permission) {
    return Boolean(session.me && session.me.permissions.includes(permission));
  },
};

/** A problem+json answer (or a network failure) as an Error the pages can show. */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.status = status;
    this.code = problem.code || null;
    this.title = problem.title || null;
  }
}

function headers(extra = {}) {
  const h = { Accept: 'application/json', ...extra };
  if (session.token) h.Authorization = `Bearer ${session.token}`;
  return h;
}

async function failure(res) {
  let problem;
  try {
    problem = await res.json();
  } catch {
    problem = { title: res.statusText };
  }
  if (res.status === 401) window.dispatchEvent(new CustomEvent('pactwatch:signed-out'));
  return new ApiError(res.status, problem);
}

/** `path` is relative to /api/v1; `query` values that are empty are left out. */
export function apiUrl(path, query = {}) {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue;
    params.set(k, String(v));
  }
  const qs = params.toString();
  return `${API}${path}${qs ? `?${qs}` : ''}`;
}

export async function api(method, path, { query, body } = {}) {
  let res;
  try {
    res = await fetch(apiUrl(path, query), {
      method,
      headers: headers(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, { title: 'Network error', detail: 'Pactwatch did not answer: is the service running?' });
  }
  if (!res.ok) throw await failure(res);
  if (res.status === 204) return null;
  return res.json();
}

export const get = (path, query) => api('GET', path, { query });
export const post = (path, body) => api('POST', path, { body });
export const patch = (path, body) => api('PATCH', path, { body });

function fileNameFrom(disposition, fallback) {
  if (!disposition) return fallback;
  const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition);
  if (star) {
    try {
      return decodeURIComponent(star[1]);
    } catch {
      /* fall through to the plain name */
    }
  }
  const plain = /filename="([^"]+)"/i.exec(disposition);
  return plain ? plain[1] : fallback;
}

/**
 * Downloads a file the API serves (original document, CSV, ICS, report):
 * fetched with the token, then handed to the browser as a file to save.
 */
export async function download(path, query, fallbackName) {
  const res = await fetch(apiUrl(path, query), { headers: headers({ Accept: '*/*' }) });
  if (!res.ok) throw await failure(res);
  const blob = await res.blob();
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileNameFrom(res.headers.get('Content-Disposition'), fallbackName);
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return a.download;
}

/**
 * Uploads one contract as multipart form data. XMLHttpRequest rather than
 * fetch because only it reports upload progress.
 */
export function uploadContract(file, fields, onProgress) {
  return new Promise((resolve, reject) => {
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) if (v) form.append(k, v);
    form.append('file', file, file.name);
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `${API}/contracts`);
    xhr.setRequestHeader('Accept', 'application/json');
    if (session.token) xhr.setRequestHeader('Authorization', `Bearer ${session.token}`);
    xhr.upload.addEventListener('progress', (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    });
    xhr.addEventListener('load', () => {
      let body;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = { title: xhr.statusText };
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(body);
      else reject(new ApiError(xhr.status, body));
    });
    xhr.addEventListener('error', () => reject(new ApiError(0, { title: 'Network error', detail: 'The upload did not reach Pactwatch.' })));
    xhr.send(form);
  });
}
