// The one way the console talks to the gateway: its JSON API, with the credentials in headers.
//
// The signed-in email and token live in this tab's sessionStorage only (never localStorage, a
// cookie or a URL): closing the tab or signing out forgets them.

const KEY = 'authcore.console.session';

/** The signed-in session {email, token, corp, owner}, or null. */
export function session() {
  try {
    return JSON.parse(sessionStorage.getItem(KEY) || 'null');
  } catch {
    return null;
  }
}

export function saveSession(value) {
  sessionStorage.setItem(KEY, JSON.stringify(value));
}

export function forget() {
  sessionStorage.removeItem(KEY);
}

/** An answer the console shows in words: a message and, for bad input, the API's details. */
export class ApiError extends Error {
  constructor(status, message, details = []) {
    super(message);
    this.status = status;
    this.details = details;
  }
}

let unauthorized = () => {};

/** What to do when the gateway answers 401: the session is over (token deleted, expired...). */
export function onUnauthorized(handler) {
  unauthorized = handler;
}

/**
 * Calls the API: call('GET', '/me/tokens'). Resolves to the parsed body (null for 204); rejects
 * with an ApiError whose message is a sentence, never a raw body. `given` credentials (sign-in)
 * are used instead of the session's, and a 401 for them is left to the caller.
 */
export async function call(method, path, body, given) {
  const credentials = given || session();
  const headers = { Accept: 'application/json' };
  if (credentials) {
    headers['x-api-user'] = credentials.email;
    headers['x-api-token'] = credentials.token;
  }
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response;
  try {
    response = await fetch('/api/v0' + path, {
      method, headers, body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store', credentials: 'omit', referrerPolicy: 'no-referrer',
    });
  } catch {
    throw new ApiError(0, 'The gateway cannot be reached. Check that it is running, then try again.');
  }
  if (response.status === 401) {
    if (!given) {
      forget();
      unauthorized();
    }
    throw new ApiError(401, 'The gateway did not accept your email and token.');
  }
  let json = null;
  try {
    const text = await response.text();
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  if (!response.ok) {
    const said = json && typeof json.error === 'string' ? json.error : null;
    const details = json && Array.isArray(json.details) ? json.details : [];
    throw new ApiError(response.status, sentence(response.status, said), details);
  }
  return json;
}

/** The gateway's error text as a sentence, or words for a status that came without one. */
function sentence(status, said) {
  if (status >= 500) {
    return said && status === 503 ? capital(said) + '.'
      : 'The gateway could not answer (status ' + status + '). Try again later.';
  }
  if (!said) return 'The request was refused (status ' + status + ').';
  return capital(said) + (said.endsWith('.') ? '' : '.');
}

function capital(text) {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** A path segment, encoded: corp names, emails and ids never break a path. */
export function seg(text) {
  return encodeURIComponent(text);
}
