// dicomflow portal: signs in with the authorization code flow + PKCE, uploads files, and shows each
// analysis as the notification service pushes it (STOMP over a plain WebSocket, token in CONNECT).
'use strict';

const $ = (id) => document.getElementById(id);
const store = window.sessionStorage;
let config;
let endpoints; // from the issuer's OpenID discovery document

async function discover() {
  if (!endpoints) {
    const response = await fetch(config.issuer.replace(/\/$/, '') + '/.well-known/openid-configuration');
    if (!response.ok) throw new Error('cannot reach the sign-in service (' + response.status + ')');
    endpoints = await response.json();
  }
  return endpoints;
}
const rows = new Map(); // fileId -> <tr>

function base64url(bytes) {
  return btoa(String.fromCharCode(...new Uint8Array(bytes))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function randomString() {
  return base64url(crypto.getRandomValues(new Uint8Array(32)));
}

function redirectUri() {
  return window.location.origin + '/';
}

async function signIn() {
  const verifier = randomString();
  const state = randomString();
  store.setItem('pkce.verifier', verifier);
  store.setItem('pkce.state', state);
  const challenge = base64url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
  const url = new URL((await discover()).authorization_endpoint);
  url.search = new URLSearchParams({
    response_type: 'code', client_id: config.clientId, redirect_uri: redirectUri(), scope: 'openid',
    code_challenge: challenge, code_challenge_method: 'S256', state,
  });
  window.location.assign(url);
}

async function finishSignIn(params) {
  if (params.get('state') !== store.getItem('pkce.state')) {
    throw new Error('sign-in answer does not match the request');
  }
  const response = await fetch((await discover()).token_endpoint, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code', code: params.get('code'), redirect_uri: redirectUri(),
      client_id: config.clientId, code_verifier: store.getItem('pkce.verifier'),
    }),
  });
  if (!response.ok) {
    throw new Error('sign-in failed (' + response.status + ')');
  }
  store.setItem('token', (await response.json()).access_token);
  store.removeItem('pkce.verifier');
  store.removeItem('pkce.state');
  window.history.replaceState({}, '', '/');
}

function token() {
  return store.getItem('token');
}

function expired(jwt) {
  try {
    const exp = JSON.parse(atob(jwt.split('.')[1].replace(/-/g, '+').replace(/_/g, '/'))).exp;
    return typeof exp === 'number' && exp * 1000 <= Date.now();
  } catch (e) {
    return false;
  }
}

function subject(jwt) {
  try {
    return JSON.parse(atob(jwt.split('.')[1].replace(/-/g, '+').replace(/_/g, '/'))).sub;
  } catch (e) {
    return '';
  }
}

function cell(text, className) {
  const td = document.createElement('td');
  td.textContent = text == null ? '' : String(text);
  if (className) td.className = className;
  return td;
}

function showOutcome(file) {
  const tr = document.createElement('tr');
  tr.append(cell(file.name), cell(file.outcome, 'outcome-' + file.outcome),
    cell(file.rejection ? file.rejection.code + ': ' + file.rejection.message : 'STORED', 'state'),
    cell('', 'num'), cell('', 'num'), cell('', 'num'));
  $('rows').prepend(tr);
  if (file.fileId) rows.set(file.fileId, tr);
  $('results').hidden = false;
}

function showEvent(event) {
  const tr = rows.get(event.payload.fileId);
  if (!tr) return;
  const [, , state, size, before, after] = tr.children;
  if (event.type === 'AnalysisCompleted') {
    state.textContent = 'DONE';
    state.className = 'state state-DONE';
    // an uploader's events carry states only, no figures (as on the REST API)
    if (event.payload.dataSize !== undefined) {
      size.textContent = event.payload.dataSize;
      before.textContent = event.payload.averageBeforeNormalization.toFixed(4);
      after.textContent = event.payload.averageAfterNormalization.toFixed(6);
    }
  } else if (event.type === 'AnalysisFailed') {
    state.textContent = 'FAILED: ' + event.payload.reason;
    state.className = 'state state-FAILED';
  }
}

async function upload(e) {
  e.preventDefault();
  $('upload-error').textContent = '';
  const body = new FormData();
  for (const file of $('files').files) body.append('files', file, file.name);
  const response = await fetch('/api/uploads', { method: 'POST', headers: { Authorization: 'Bearer ' + token() }, body });
  if (response.status === 401) {
    store.removeItem('token');
    return render();
  }
  const answer = await response.json();
  if (Array.isArray(answer.files)) answer.files.forEach(showOutcome);
  if (!response.ok) $('upload-error').textContent = answer.detail || answer.title || ('upload failed: ' + response.status);
  $('upload-form').reset();
}

// A minimal STOMP 1.2 client: CONNECT with the bearer token, SUBSCRIBE to the user's queue, read MESSAGE frames.
function listen() {
  if (!config.notificationsUrl) return;
  const socket = new WebSocket(config.notificationsUrl);
  const frame = (command, headers, body = '') =>
    command + '\n' + Object.entries(headers).map(([k, v]) => k + ':' + v).join('\n') + '\n\n' + body + '\0';
  socket.onopen = () => socket.send(frame('CONNECT', {
    'accept-version': '1.2', host: window.location.hostname, 'heart-beat': '0,0', Authorization: 'Bearer ' + token(),
  }));
  socket.onmessage = (message) => {
    for (const raw of String(message.data).split('\0')) {
      const text = raw.replace(/^\n+/, '');
      if (!text) continue;
      const command = text.slice(0, text.indexOf('\n'));
      const body = text.slice(text.indexOf('\n\n') + 2);
      if (command === 'CONNECTED') {
        socket.send(frame('SUBSCRIBE', { id: 'analyses', destination: '/user/queue/analyses', ack: 'auto' }));
        $('live').className = 'on';
      } else if (command === 'MESSAGE') {
        showEvent(JSON.parse(body));
      }
    }
  };
  socket.onclose = () => {
    $('live').className = '';
    // the service ends a session when its token expires: sign in again instead of reconnecting with it
    if (token() && expired(token())) {
      store.removeItem('token');
      render();
      return;
    }
    if (token()) setTimeout(listen, 3000);
  };
}

function render() {
  const signedIn = Boolean(token());
  $('sign-in').hidden = signedIn;
  $('sign-out').hidden = !signedIn;
  $('upload').hidden = !signedIn;
  $('intro').hidden = signedIn;
  $('who').textContent = signedIn ? subject(token()) : '';
  if (signedIn) listen();
}

async function main() {
  config = await (await fetch('/api/config')).json();
  $('sign-in').onclick = signIn;
  $('sign-out').onclick = () => { store.clear(); window.location.assign('/'); };
  $('upload-form').onsubmit = upload;
  const params = new URLSearchParams(window.location.search);
  if (params.has('code')) {
    try {
      await finishSignIn(params);
    } catch (e) {
      $('upload-error').textContent = e.message;
    }
  }
  render();
}

main();
