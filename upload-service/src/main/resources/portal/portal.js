// dicomflow portal. Signs in with the authorization code flow + PKCE (oidc-client-ts) and renews the token in a
// hidden frame before it expires; uploads through the resumable tus route (tus-js-client), so a dropped
// connection or a reload resumes instead of restarting; follows each file over STOMP (@stomp/stompjs) with
// lastSeq catch-up, and polls the upload's state as a fallback and for the states no event announces.
// Every text from the server goes into the page with textContent, never as HTML.
'use strict';

const $ = (id) => document.getElementById(id);
const TERMINAL = new Set(['NOTIFIED']);
const FINISHED = new Set(['DONE', 'FAILED', 'NOTIFIED']);
const PARALLEL_UPLOADS = 3;

let config;
let users; // oidc.UserManager
let user; // oidc.User, null when signed out
let renewTimer;
let stomp;
let subscribedSeq = null; // lastSeq header of the current subscription

// ---------------------------------------------------------------------------------------------- sign-in

function settings() {
  const self = window.location.origin + '/';
  return {
    authority: config.issuer, client_id: config.clientId, redirect_uri: self, silent_redirect_uri: self,
    response_type: 'code', scope: 'openid', loadUserInfo: false, monitorSession: false,
    automaticSilentRenew: false, // renewed by scheduleRenew, which also tells the STOMP client
    userStore: new oidc.WebStorageStateStore({ store: window.sessionStorage }),
  };
}

function token() {
  return user ? user.access_token : null;
}

function claims(jwt) {
  try {
    return JSON.parse(atob(jwt.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
  } catch (e) {
    return {};
  }
}

function isAdmin() {
  const roles = claims(token()).roles;
  return Array.isArray(roles) && roles.includes('admin');
}

function subject() {
  return claims(token()).sub || '';
}

// Renews a while before expiry (a minute, or a third of the lifetime of a short-lived token): the issuer's session
// answers the hidden frame's authorization request without a login form, and a fresh token comes back.
function scheduleRenew() {
  clearTimeout(renewTimer);
  if (!user || user.expires_in == null) return;
  const lead = Math.min(60, user.expires_in / 3);
  renewTimer = setTimeout(renew, Math.max(0, user.expires_in - lead) * 1000);
}

async function renew() {
  try {
    user = await users.signinSilent();
    $('who').dataset.renewals = String(Number($('who').dataset.renewals || 0) + 1);
    scheduleRenew();
  } catch (e) {
    sessionEnded();
  }
}

function sessionEnded() {
  user = null;
  users.removeUser();
  if (stomp) stomp.deactivate();
  const banner = $('session-error');
  banner.textContent = 'Your session has ended. Sign in again; unfinished uploads resume where they stopped.';
  banner.hidden = false;
  render();
}

// fetch with the bearer token; a 401 tries one silent renewal before giving up
async function api(url, options = {}, retried = false) {
  const headers = Object.assign({ Authorization: 'Bearer ' + token() }, options.headers || {});
  const response = await fetch(url, Object.assign({}, options, { headers }));
  if (response.status === 401 && !retried) {
    await renew();
    if (user) return api(url, options, true);
  }
  return response;
}

async function json(response) {
  const text = await response.text();
  try {
    return text ? JSON.parse(text) : {};
  } catch (e) {
    return { detail: text };
  }
}

function problemText(answer, response) {
  return answer.detail || answer.title || ('request failed: ' + response.status);
}

// -------------------------------------------------------------------------------------------- the table

const rows = new Map(); // fileId -> <tr>

function cell(text, className) {
  const td = document.createElement('td');
  td.textContent = text == null ? '' : String(text);
  if (className) td.className = className;
  return td;
}

function newRow(name) {
  const tr = document.createElement('tr');
  const progress = document.createElement('progress');
  progress.max = 1;
  progress.value = 0;
  progress.setAttribute('aria-label', 'Upload of ' + name);
  const progressCell = cell('', 'progress');
  progressCell.append(progress);
  tr.append(cell(name, 'name'), progressCell, cell('', 'outcome'), cell('', 'state'), cell('', 'num size'),
    cell('', 'num before'), cell('', 'num after'));
  return tr;
}

const part = (tr, name) => tr.querySelector('td.' + name);

// a state only moves forward: a poll answered before a push may arrive after it
const RANK = { RECEIVED: 0, STORED: 1, QUEUED: 2, ANALYZING: 3, DONE: 4, FAILED: 4, NOTIFIED: 5 };

function setState(tr, state, transitions) {
  if (tr.dataset.state && RANK[state] < RANK[tr.dataset.state]) return;
  const td = part(tr, 'state');
  td.textContent = state;
  td.className = 'state state-' + state;
  tr.dataset.state = state;
  if (transitions) td.title = Object.keys(transitions).join(' → ');
}

function setFigures(tr, result) {
  if (!result || result.dataSize === undefined) return; // an uploader's view carries no figures
  part(tr, 'size').textContent = result.dataSize;
  part(tr, 'before').textContent = Number(result.averageBeforeNormalization).toFixed(4);
  part(tr, 'after').textContent = Number(result.averageAfterNormalization).toFixed(6);
  const id = result.id || result.resultId;
  if (id && !tr.querySelector('a.result')) {
    const link = document.createElement('a');
    link.className = 'result';
    link.href = '#/results/' + encodeURIComponent(id);
    link.textContent = part(tr, 'name').textContent;
    const name = part(tr, 'name');
    name.textContent = '';
    name.append(link);
  }
}

function setOutcome(tr, file) {
  const td = part(tr, 'outcome');
  td.className = 'outcome outcome-' + file.outcome;
  td.textContent = file.rejection ? file.outcome + ' (' + file.rejection.code + ')' : file.outcome;
  if (file.rejection) td.title = file.rejection.message || '';
  tr.dataset.outcome = file.outcome;
  if (file.fileId && (file.outcome === 'ACCEPTED' || file.outcome === 'DUPLICATE')) {
    rows.set(file.fileId, tr);
    tr.dataset.fileId = file.fileId;
  }
}

// ------------------------------------------------------------------------------------------------ upload

const transfers = []; // every file handed to the page since it loaded: {file, tr, sent}
const waiting = [];
let running = 0;

function addFiles(files) {
  $('upload-error').textContent = '';
  for (const file of files) {
    const tr = newRow(file.webkitRelativePath || file.name);
    $('rows').prepend(tr);
    const transfer = { file, tr, sent: 0 };
    transfers.push(transfer);
    waiting.push(transfer);
  }
  showTotal();
  pump();
}

function pump() {
  while (running < PARALLEL_UPLOADS && waiting.length) {
    running++;
    send(waiting.shift()).finally(() => {
      running--;
      pump();
    });
  }
}

function showTotal() {
  const total = transfers.reduce((sum, t) => sum + t.file.size, 0);
  const sent = transfers.reduce((sum, t) => sum + t.sent, 0);
  $('total-progress').value = total ? sent / total : 0;
  const done = transfers.filter((t) => t.tr.dataset.outcome).length;
  $('total-text').textContent = done + ' of ' + transfers.length + ' files, ' + Math.floor(total ? 100 * sent / total : 0) + '%';
}

// a file's key for resuming: who uploads it, where it came from, its size and date (tus-js-client keeps the URL of
// the unfinished upload under it in localStorage)
function fingerprint(file) {
  return Promise.resolve(['dicomflow', subject(), file.webkitRelativePath || file.name, file.size, file.lastModified].join('/'));
}

function send(transfer) {
  const { file, tr } = transfer;
  const bar = tr.querySelector('progress');
  return new Promise((resolve) => {
    const upload = new tus.Upload(file, {
      endpoint: window.location.origin + '/api/uploads/tus',
      chunkSize: config.tusChunkSize > 0 ? config.tusChunkSize : Infinity,
      retryDelays: [0, 1000, 3000, 5000, 10000],
      metadata: { filename: file.name },
      fingerprint,
      removeFingerprintOnSuccess: true,
      onBeforeRequest: (request) => request.setHeader('Authorization', 'Bearer ' + token()),
      onAfterResponse: (request, response) => {
        if (request.getMethod() === 'HEAD' && response.getStatus() === 200) {
          const offset = Number(response.getHeader('Upload-Offset'));
          tr.dataset.resumedAt = String(offset);
          part(tr, 'state').textContent = 'resumed at ' + offset + ' bytes';
        }
      },
      onProgress: (sent, total) => {
        transfer.sent = sent;
        bar.value = total ? sent / total : 1;
        showTotal();
      },
      onError: (error) => {
        const status = error.originalResponse ? error.originalResponse.getStatus() : 0;
        setOutcome(tr, { outcome: 'FAILED' });
        part(tr, 'state').textContent = status ? 'upload failed (' + status + ')' : 'upload failed: ' + error.message;
        showTotal();
        resolve();
      },
      onSuccess: async () => {
        transfer.sent = file.size;
        bar.value = 1;
        await receipt(upload.url, tr);
        showTotal();
        resolve();
      },
    });
    upload.findPreviousUploads().then((previous) => {
      if (previous.length) upload.resumeFromPreviousUpload(previous[0]);
      upload.start();
    });
  });
}

// the ingest's answer for the completed tus upload: the file's outcome and the upload to follow
async function receipt(url, tr) {
  const response = await api(url);
  const answer = await json(response);
  if (!response.ok || !Array.isArray(answer.files) || !answer.files.length) {
    part(tr, 'state').textContent = problemText(answer, response);
    return;
  }
  const file = answer.files[0];
  setOutcome(tr, file);
  if (file.outcome === 'ACCEPTED') {
    setState(tr, 'RECEIVED');
    follow(answer.uploadId);
  } else if (file.outcome === 'DUPLICATE') {
    part(tr, 'state').textContent = 'already uploaded';
    if (file.uploadId) follow(file.uploadId);
  } else {
    part(tr, 'state').textContent = file.rejection ? file.rejection.message : '';
  }
}

function collect(entry, into) {
  // a dropped folder: read its entries (readEntries answers in batches until it answers none)
  if (entry.isFile) return new Promise((resolve) => entry.file((file) => {
    if (!file.webkitRelativePath) Object.defineProperty(file, 'webkitRelativePath', { value: entry.fullPath.replace(/^\//, '') });
    into.push(file);
    resolve();
  }, () => resolve()));
  if (!entry.isDirectory) return Promise.resolve();
  const reader = entry.createReader();
  return new Promise((resolve) => {
    const batch = () => reader.readEntries(async (entries) => {
      if (!entries.length) return resolve();
      for (const child of entries) await collect(child, into);
      batch();
    }, () => resolve());
    batch();
  });
}

async function dropped(event) {
  event.preventDefault();
  $('drop').classList.remove('over');
  const items = event.dataTransfer.items;
  const files = [];
  // entries (which a folder needs) must be taken before the first await: the drop's data is gone after it
  const entries = (items && items.length && items[0].webkitGetAsEntry)
    ? Array.from(items).map((item) => item.webkitGetAsEntry()).filter(Boolean) : [];
  const plain = Array.from(event.dataTransfer.files);
  if (entries.length) {
    for (const entry of entries) await collect(entry, files);
  } else {
    files.push(...plain); // a browser without entries, or files dropped by a script
  }
  addFiles(files);
}

// ----------------------------------------------------------------------------------- following the files

const followed = new Map(); // uploadId -> time its files were last seen unfinished
let pollTimer;

function follow(uploadId) {
  if (!uploadId) return;
  followed.set(uploadId, Date.now());
  schedulePoll(500);
}

function schedulePoll(delay) {
  if (pollTimer) return;
  pollTimer = setTimeout(poll, delay);
}

// Intermediate states (STORED, QUEUED, ANALYZING, NOTIFIED) are not pushed: they are read here. While the
// WebSocket is down this is also how results arrive.
async function poll() {
  pollTimer = null;
  if (!user) return;
  for (const [uploadId, since] of followed) {
    const response = await api('/api/uploads/' + encodeURIComponent(uploadId));
    if (!response.ok) {
      followed.delete(uploadId);
      continue;
    }
    const upload = await json(response);
    let open = false;
    for (const file of upload.files || []) {
      const tr = rows.get(file.id);
      if (tr) {
        setState(tr, file.state, file.transitions);
        setFigures(tr, file.result);
        if (file.failure) part(tr, 'state').textContent = 'FAILED: ' + file.failure.code;
      }
      if (!TERMINAL.has(file.state)) open = true;
      if (!FINISHED.has(file.state)) followed.set(uploadId, Date.now());
    }
    // a finished file that nobody is told of (no session, no email) stays DONE: stop asking after a minute
    if (!open || Date.now() - followed.get(uploadId) > 60000) followed.delete(uploadId);
  }
  if (followed.size) schedulePoll(live() ? 2000 : 1500);
}

function live() {
  return Boolean(stomp && stomp.connected);
}

function lastSeqKey() {
  return 'dicomflow.lastSeq.' + subject();
}

function lastSeq() {
  const value = window.localStorage.getItem(lastSeqKey());
  return value == null ? null : Number(value);
}

function showEvent(entry) {
  const payload = entry.payload || {};
  const tr = rows.get(payload.fileId);
  if (!tr) return;
  if (entry.type === 'AnalysisCompleted') {
    setState(tr, 'DONE');
    tr.dataset.pushed = 'true';
    setFigures(tr, Object.assign({ id: payload.resultId }, payload));
  } else if (entry.type === 'AnalysisFailed') {
    setState(tr, 'FAILED');
    tr.dataset.pushed = 'true';
    part(tr, 'state').textContent = 'FAILED: ' + payload.reason;
  }
  if (payload.uploadId) follow(payload.uploadId); // NOTIFIED follows
}

function onMessage(message) {
  const entry = JSON.parse(message.body);
  const last = lastSeq();
  if (last != null && entry.seq <= last) return; // already seen (a replay overlapping the live stream)
  if (last != null && entry.seq > last + 1) {
    // a gap: something was missed; subscribe again from the last one seen and the service replays the rest
    resubscribe();
    return;
  }
  window.localStorage.setItem(lastSeqKey(), String(entry.seq));
  showEvent(entry);
}

function subscribe() {
  const headers = {};
  const last = lastSeq();
  if (last != null) headers.lastSeq = String(last);
  subscribedSeq = last;
  stomp.subscribe('/user/queue/analyses', onMessage, Object.assign({ id: 'analyses' }, headers));
}

function resubscribe() {
  if (!live()) return;
  stomp.unsubscribe('analyses');
  subscribe();
}

function setLive(on) {
  $('live').className = on ? 'on' : '';
  $('live').textContent = on ? 'live' : (user ? 'updating every few seconds' : '');
}

function listen() {
  if (!config.notificationsUrl || stomp) return;
  stomp = new StompJs.Client({
    brokerURL: config.notificationsUrl,
    reconnectDelay: 3000,
    // each (re)connection carries the current token: the service ends a session when its token expires
    beforeConnect: () => {
      stomp.connectHeaders = { Authorization: 'Bearer ' + token() };
    },
    onConnect: () => {
      subscribe();
      setLive(true);
      if (followed.size) schedulePoll(0);
    },
    onWebSocketClose: () => {
      setLive(false);
      if (followed.size) schedulePoll(0);
    },
    onStompError: () => setLive(false),
  });
  stomp.activate();
}

// ---------------------------------------------------------------------------------- uploads after reload

let uploadsPage = 0;

async function loadUploads() {
  const response = await api('/api/uploads?size=20&page=' + uploadsPage);
  if (!response.ok) return;
  const page = await json(response);
  for (const upload of page.content || []) {
    for (const file of upload.files || []) {
      if (rows.has(file.id)) continue;
      const tr = newRow(file.name);
      tr.querySelector('progress').value = 1;
      setOutcome(tr, { outcome: 'ACCEPTED', fileId: file.id });
      setState(tr, file.state, file.transitions);
      setFigures(tr, file.result);
      if (file.failure) part(tr, 'state').textContent = 'FAILED: ' + file.failure.code;
      $('rows').append(tr);
      if (!TERMINAL.has(file.state)) follow(upload.id);
    }
  }
  const info = page.page || {};
  $('more-uploads').hidden = !(info.totalPages > uploadsPage + 1);
}

// ----------------------------------------------------------------------------------------------- history

let historyPage = 0;

function historyQuery() {
  const query = new URLSearchParams({ page: String(historyPage), size: '20' });
  for (const input of $('filters').elements) {
    if (!input.name || !input.value) continue;
    let value = input.value;
    if (input.name === 'created_date_min') value += 'T00:00:00Z';
    if (input.name === 'created_date_max') value += 'T23:59:59.999999Z';
    query.set(input.name, value);
  }
  return query;
}

async function loadHistory() {
  $('history-error').textContent = '';
  const response = await api('/api/elements/?' + historyQuery());
  const answer = await json(response);
  const body = $('history-rows');
  body.textContent = '';
  if (!response.ok) {
    $('history-error').textContent = problemText(answer, response);
    return;
  }
  for (const element of answer.content || []) {
    const tr = document.createElement('tr');
    const name = cell('');
    const link = document.createElement('a');
    link.href = '#/results/' + encodeURIComponent(element.id);
    link.textContent = element.id;
    name.append(link);
    tr.append(name, cell(element.device_name), cell(new Date(element.created_date).toLocaleString()),
      cell(element.data_size, 'num'), cell(Number(element.average_before_normalization).toFixed(4), 'num'),
      cell(Number(element.average_after_normalization).toFixed(6), 'num'), cell(element.version, 'num'));
    body.append(tr);
  }
  const info = answer.page || { number: 0, totalPages: 0, totalElements: 0 };
  $('history-caption').textContent = 'Results (' + info.totalElements + ')';
  $('page-text').textContent = 'Page ' + (info.totalPages ? info.number + 1 : 0) + ' of ' + info.totalPages;
  $('prev-page').disabled = info.number <= 0;
  $('next-page').disabled = info.number + 1 >= info.totalPages;
}

// --------------------------------------------------------------------------------------------- one result

function figure(list, term, value) {
  const dt = document.createElement('dt');
  dt.textContent = term;
  const dd = document.createElement('dd');
  dd.textContent = value == null ? '' : String(value);
  list.append(dt, dd);
}

// The thumbnail route needs the bearer token, which an <img src> cannot send: fetched with it, shown from a blob
// URL (the CSP allows img-src blob:), revoked when another result replaces it.
let thumbnailUrl = null;

async function loadThumbnail(path, id) {
  const img = $('result-thumbnail');
  if (thumbnailUrl) URL.revokeObjectURL(thumbnailUrl);
  thumbnailUrl = null;
  img.removeAttribute('src');
  $('result-image').hidden = true;
  $('result-no-image').hidden = true;
  const response = await api(path + 'thumbnail');
  const type = response.headers.get('Content-Type') || '';
  if (!response.ok || !type.startsWith('image/png')) {
    $('result-no-image').hidden = false; // posted elements and images without pixels have none
    return;
  }
  thumbnailUrl = URL.createObjectURL(await response.blob());
  img.alt = 'Thumbnail of result ' + id;
  img.src = thumbnailUrl;
  $('result-image').hidden = false;
}

async function loadResult(id) {
  $('result-error').textContent = '';
  $('result-image').hidden = true;
  $('result-no-image').hidden = true;
  $('result-figures').textContent = '';
  $('version-rows').textContent = '';
  const path = '/api/elements/' + encodeURIComponent(id) + '/';
  const response = await api(path);
  const element = await json(response);
  if (!response.ok) {
    $('result-error').textContent = problemText(element, response);
    return;
  }
  $('result-title').textContent = 'Result ' + element.id;
  const thumbnail = loadThumbnail(path, element.id);
  const list = $('result-figures');
  figure(list, 'Device', element.device_name);
  figure(list, 'Data size', element.data_size);
  figure(list, 'Average', element.average_before_normalization);
  figure(list, 'Average after normalization', element.average_after_normalization);
  figure(list, 'Minimum', element.min_value);
  figure(list, 'Maximum', element.max_value);
  figure(list, 'Standard deviation', element.std_value);
  figure(list, 'Source', element.source);
  figure(list, 'Created', new Date(element.created_date).toLocaleString());
  const versions = await api(path + 'versions/');
  for (const version of versions.ok ? await json(versions) : []) {
    const tr = document.createElement('tr');
    tr.append(cell(version.version, 'num'), cell(version.analyzer_version), cell(new Date(version.created_date).toLocaleString()),
      cell(version.average_before_normalization, 'num'), cell(version.average_after_normalization, 'num'),
      cell(version.latest ? 'yes' : 'no'));
    $('version-rows').append(tr);
  }
  await thumbnail;
}

// ------------------------------------------------------------------------------------------------- admin

async function loadAdmin() {
  $('parked-error').textContent = '';
  $('parked-rows').textContent = '';
  if (!config.workerUrl) {
    $('parked-error').textContent = 'The analysis worker\'s address is not configured (dicomflow.portal.worker-url).';
  } else {
    const response = await api(config.workerUrl + '/api/admin/analysis/parked?limit=100');
    const answer = await json(response);
    if (!response.ok) {
      $('parked-error').textContent = problemText(answer, response);
    } else {
      for (const parked of answer.messages || []) {
        const tr = document.createElement('tr');
        const action = cell('');
        const button = document.createElement('button');
        button.type = 'button';
        button.textContent = 'Re-queue';
        button.setAttribute('aria-label', 'Re-queue ' + parked.messageId);
        button.onclick = () => requeue([parked.messageId]);
        action.append(button);
        tr.append(cell(parked.messageId), cell(parked.fileId), cell(parked.reason + (parked.detail ? ': ' + parked.detail : '')),
          cell(parked.attempts, 'num'), cell(parked.requeued, 'num'), action);
        $('parked-rows').append(tr);
      }
      $('parked-status').textContent = (answer.count || 0) + ' parked';
    }
  }
  $('quarantine-error').textContent = '';
  $('quarantine-rows').textContent = '';
  const response = await api('/api/admin/quarantine?size=100');
  const entries = await json(response);
  if (!response.ok) {
    $('quarantine-error').textContent = problemText(entries, response);
  } else {
    for (const entry of entries) {
      const tr = document.createElement('tr');
      const reason = entry.reason || {};
      tr.append(cell(entry.id), cell(entry.owner), cell(entry.fileName), cell(reason.code + (reason.message ? ': ' + reason.message : '')),
        cell(new Date(entry.createdAt).toLocaleString()));
      $('quarantine-rows').append(tr);
    }
  }
  // independent of the sections above: one failing must not hide the others
  await loadQuotas();
}

// Per-owner storage against the per-user quota (GET /api/admin/quotas), largest users first.
async function loadQuotas() {
  $('quotas-error').textContent = '';
  $('quotas-status').textContent = '';
  $('quotas-rows').textContent = '';
  const response = await api('/api/admin/quotas?size=100');
  const answer = await json(response);
  if (!response.ok) {
    $('quotas-error').textContent = problemText(answer, response);
    return;
  }
  const quota = answer.quotaBytes || 0;
  for (const owner of answer.owners || []) {
    const tr = document.createElement('tr');
    tr.dataset.owner = owner.owner;
    const used = quota > 0 ? (100 * owner.bytesStored / quota).toFixed(1) + ' %' : 'no quota';
    tr.append(cell(owner.owner), cell(owner.bytesStored, 'num'), cell(owner.filesStored, 'num'), cell(used, 'num'),
      cell(owner.bytesQuarantined, 'num'), cell(owner.filesQuarantined, 'num'));
    $('quotas-rows').append(tr);
  }
  $('quotas-status').textContent = quota > 0 ? 'Quota per user: ' + quota + ' bytes (quarantined files do not count)'
    : 'No per-user quota is configured';
}

async function requeue(messageIds) {
  const response = await api(config.workerUrl + '/api/admin/analysis/parked/requeue', {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ messageIds }),
  });
  const answer = await json(response);
  if (!response.ok) {
    $('parked-error').textContent = problemText(answer, response);
    return;
  }
  await loadAdmin();
  $('parked-status').textContent = 'Re-queued ' + answer.count + '; ' + $('parked-status').textContent;
}

// ------------------------------------------------------------------------------------------------ screens

const SCREENS = ['upload', 'history', 'result', 'admin'];

function route() {
  if (!user) return;
  const hash = window.location.hash || '#/upload';
  let screen = 'upload';
  if (hash.startsWith('#/history')) screen = 'history';
  else if (hash.startsWith('#/results/')) screen = 'result';
  else if (hash.startsWith('#/admin') && isAdmin()) screen = 'admin';
  for (const name of SCREENS) $(name).hidden = name !== screen;
  for (const name of ['upload', 'history', 'admin']) {
    const link = $('nav-' + name);
    if (name === screen || (screen === 'result' && name === 'history')) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  if (screen === 'history') loadHistory();
  if (screen === 'result') loadResult(decodeURIComponent(hash.slice('#/results/'.length)));
  if (screen === 'admin') loadAdmin();
}

function render() {
  const signedIn = Boolean(user);
  $('sign-in').hidden = signedIn;
  $('sign-out').hidden = !signedIn;
  $('nav').hidden = !signedIn;
  $('nav-admin').hidden = !(signedIn && isAdmin());
  $('intro').hidden = signedIn;
  $('who').textContent = signedIn ? subject() : '';
  if (!signedIn) for (const name of SCREENS) $(name).hidden = true;
}

function wire() {
  $('sign-in').onclick = () => users.signinRedirect();
  $('sign-out').onclick = async () => {
    await users.removeUser();
    window.location.assign('/');
  };
  $('files').onchange = () => {
    addFiles(Array.from($('files').files));
    $('upload-form').reset();
  };
  $('folder').onchange = () => {
    addFiles(Array.from($('folder').files));
    $('upload-form').reset();
  };
  const drop = $('drop');
  drop.ondragover = (event) => {
    event.preventDefault();
    drop.classList.add('over');
  };
  drop.ondragleave = () => drop.classList.remove('over');
  drop.ondrop = dropped;
  $('more-uploads').onclick = () => {
    uploadsPage++;
    loadUploads();
  };
  $('filters').onsubmit = (event) => {
    event.preventDefault();
    historyPage = 0;
    loadHistory();
  };
  $('filters').onreset = () => setTimeout(() => {
    historyPage = 0;
    loadHistory();
  });
  $('prev-page').onclick = () => {
    historyPage = Math.max(0, historyPage - 1);
    loadHistory();
  };
  $('next-page').onclick = () => {
    historyPage++;
    loadHistory();
  };
  $('requeue-all').onclick = () => requeue([]);
  window.onhashchange = route;
}

async function main() {
  config = await (await fetch('/api/config')).json();
  users = new oidc.UserManager(settings());
  if (window.self !== window.top) {
    // the hidden frame of a silent renewal: hand the answer to the page that opened it
    await users.signinSilentCallback();
    return;
  }
  wire();
  const params = new URLSearchParams(window.location.search);
  if (params.has('code') || params.has('error')) {
    try {
      await users.signinRedirectCallback();
    } catch (e) {
      $('upload-error').textContent = 'sign-in failed: ' + e.message;
    }
    window.history.replaceState({}, '', '/' + window.location.hash);
  }
  user = await users.getUser();
  if (user && user.expired) {
    await renew();
  }
  render();
  if (user) {
    scheduleRenew();
    setLive(false);
    listen();
    route();
    loadUploads();
  }
}

main();
