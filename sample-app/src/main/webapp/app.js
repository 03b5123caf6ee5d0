'use strict';
// The page of the sample blob service: plain JS, no build step. The API is under api/ (docs/SAMPLE.md).
const api = 'api/';
const pageSize = 20;
let afters = [''];          // the "after" cursor of each page seen so far: afters[i] starts page i
let session = { readsPublic: true, writer: false };

const $ = id => document.getElementById(id);

function credentials() { return sessionStorage.getItem('bobbob.auth'); }

/** Headers for every API call: the page's login, and X-Requested-With so a 401 opens no browser dialog. */
function headers(extra) {
  const h = Object.assign({ 'X-Requested-With': 'XMLHttpRequest' }, extra || {});
  const c = credentials();
  if (c) h.Authorization = 'Basic ' + c;
  return h;
}

async function call(path, options) {
  const r = await fetch(api + path, Object.assign({}, options, { headers: headers((options || {}).headers) }));
  if (!r.ok) {
    let message = r.status + ' ' + r.statusText;
    try { message = (await r.json()).error || message; } catch (ignored) { /* not JSON */ }
    const e = new Error(message);
    e.status = r.status;
    throw e;
  }
  return r;
}

/** The key's path under api/blobs/, each segment encoded (a key may hold slashes). */
function blobPath(key) { return 'blobs/' + key.split('/').map(encodeURIComponent).join('/'); }

function human(bytes) {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let n = bytes, u = 0;
  while (n >= 1024 && u < units.length - 1) { n /= 1024; u++; }
  return (u === 0 ? String(n) : n.toFixed(n < 10 ? 1 : 0)) + ' ' + units[u];
}

function show(message, isError) {
  const status = $('status');
  status.className = isError ? 'error' : '';
  status.textContent = message;
}

function cell(text, cls, title) {
  const td = document.createElement('td');
  td.textContent = text;
  if (cls) td.className = cls;
  if (title) td.title = title;
  return td;
}

function row(b) {
  const tr = document.createElement('tr');
  tr.dataset.key = b.key;
  const modified = new Date(b.modified);
  tr.append(
    cell(b.key, 'key', b.name ? 'uploaded as ' + b.name : ''),
    cell(b.contentType, 'type'),
    cell(human(b.size), 'num size', b.size + ' bytes, SHA-256 ' + b.sha256),
    cell(modified.toLocaleString(), 'modified', b.modified));
  const actions = cell('', 'actions');
  const link = document.createElement('a');
  link.href = api + blobPath(b.key);
  link.download = b.name || b.key.split('/').pop();
  link.textContent = 'Download';
  link.className = 'download';
  link.addEventListener('click', event => {
    if (session.readsPublic) return; // a plain link: the browser streams it to disk
    event.preventDefault();
    download(b, link.download).catch(e => show('Download failed: ' + e.message, true));
  });
  const del = document.createElement('button');
  del.type = 'button';
  del.textContent = 'Delete';
  del.className = 'delete';
  del.disabled = !session.writer;
  del.title = session.writer ? 'delete ' + b.key : 'log in as a writer to delete';
  del.addEventListener('click', () => remove(b));
  actions.append(link, del);
  tr.appendChild(actions);
  return tr;
}

/** Reads that need a role: fetch with the login, then hand the bytes to the browser. */
async function download(b, filename) {
  const blob = await (await call(blobPath(b.key))).blob();
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = filename;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 60000);
}

async function remove(b) {
  if (!confirm(`Delete ${b.key} (${human(b.size)})? This cannot be undone.`)) return;
  try {
    // If-Match: delete the version shown, not one somebody stored since
    await call(blobPath(b.key), { method: 'DELETE', headers: { 'If-Match': '"' + b.sha256 + '"' } });
    show(`Deleted ${b.key}`);
    await refresh();
  } catch (e) {
    show(`Delete of ${b.key} failed: ` + e.message, true);
  }
}

async function refreshStats() {
  const s = await (await call('store')).json();
  if (!s.statistics) { // a store that keeps no figures (s3): nothing to draw
    $('usage-live').style.width = '0%';
    $('stats').textContent = 'Store: no statistics (an object store: counting would list it)';
    return;
  }
  const share = s.fileBytes > 0 ? s.liveBytes / s.fileBytes : 0;
  $('usage-live').style.width = (100 * share).toFixed(1) + '%';
  $('stats').textContent = `Store: ${s.objects} objects, ${human(s.liveBytes)} live in a file of `
    + `${human(s.fileBytes)} (${(100 * share).toFixed(0)}% live, ${human(s.freeBytes)} free)`;
}

async function refreshList() {
  const page = afters.length - 1;
  const prefix = $('prefix').value;
  const q = new URLSearchParams({ prefix, after: afters[page], limit: String(pageSize) });
  const list = await (await call('blobs?' + q)).json();
  if (list.items.length === 0 && page > 0) { // the page's keys went away
    afters.pop();
    return refreshList();
  }
  $('blobs').replaceChildren(...list.items.map(row));
  $('empty').hidden = list.items.length > 0;
  $('empty').textContent = prefix
    ? `No blobs with keys starting "${prefix}".`
    : 'No blobs yet. Drop a file above to store the first one.';
  $('position').textContent = list.total === 0 ? ''
    : `${page * pageSize + 1}–${page * pageSize + list.items.length} of ${list.total}`;
  $('first').disabled = page === 0;
  $('next').disabled = !list.next;
  $('next').dataset.after = list.next || '';
}

async function refresh() {
  try {
    await Promise.all([refreshStats(), refreshList()]);
  } catch (e) {
    show(e.status === 401 || e.status === 403 ? 'Log in to see the blobs: ' + e.message
      : 'The store is unavailable: ' + e.message, true);
  }
}

async function refreshSession() {
  try {
    session = await (await call('session')).json();
  } catch (e) {
    sessionStorage.removeItem('bobbob.auth');
    session = await (await call('session')).json();
    show('Login failed: ' + e.message, true);
  }
  $('who').textContent = session.user
    ? `Logged in as ${session.user}${session.writer ? '' : ' (read only)'}` : 'Not logged in';
  $('user').hidden = $('password').hidden = $('login-button').hidden = !!session.user;
  $('logout').hidden = !session.user;
}

function upload(file) {
  if (!session.writer) {
    show('Log in as a user in role writer to upload.', true);
    return;
  }
  const key = $('key').value.trim() || file.name;
  const xhr = new XMLHttpRequest();
  xhr.open('PUT', api + blobPath(key));
  for (const [k, v] of Object.entries(headers({ 'Content-Type': file.type || 'application/octet-stream' }))) {
    xhr.setRequestHeader(k, v);
  }
  // a header carries ASCII only: a name with other characters is stored as the key's last segment
  xhr.setRequestHeader('X-Filename', /^[\x20-\x7e]*$/.test(file.name) ? file.name : key.split('/').pop());
  $('upload').hidden = false;
  $('progress').value = 0;
  $('progress').dataset.updates = '0';
  $('progress-text').textContent = `0% of ${human(file.size)}`;
  xhr.upload.addEventListener('progress', e => {
    if (!e.lengthComputable) return;
    const pct = Math.floor(100 * e.loaded / e.total);
    $('progress').value = pct;
    $('progress').dataset.updates = String(Number($('progress').dataset.updates || 0) + 1);
    $('progress-text').textContent = `${pct}% of ${human(e.total)}`;
  });
  xhr.addEventListener('load', async () => {
    let json = {};
    try { json = JSON.parse(xhr.responseText); } catch (ignored) { /* not JSON */ }
    if (xhr.status === 200 || xhr.status === 201) {
      $('progress').value = 100;
      $('progress-text').textContent = `100% of ${human(file.size)}, stored`;
      show(`${xhr.status === 201 ? 'Stored' : 'Replaced'} ${json.key} (${human(json.size)}, SHA-256 ${json.sha256})`);
      $('key').value = '';
      afters = [''];
      await refresh();
    } else {
      $('progress-text').textContent = 'failed';
      show(`Upload of ${file.name} failed: ` + (json.error || xhr.status + ' ' + xhr.statusText), true);
    }
  });
  xhr.addEventListener('error', () => {
    $('progress-text').textContent = 'failed';
    show(`Upload of ${file.name} failed: the connection broke`, true);
  });
  show(`Uploading ${file.name} as ${key}…`);
  xhr.send(file);
}

$('file').addEventListener('change', () => {
  const file = $('file').files[0];
  if (file) upload(file);
  $('file').value = '';
});

const drop = $('drop');
drop.addEventListener('dragover', e => { e.preventDefault(); drop.classList.add('over'); });
drop.addEventListener('dragleave', () => drop.classList.remove('over'));
drop.addEventListener('drop', e => {
  e.preventDefault();
  drop.classList.remove('over');
  const file = e.dataTransfer.files[0];
  if (file) upload(file);
});

$('login').addEventListener('submit', async event => {
  event.preventDefault();
  const pair = $('user').value + ':' + $('password').value;
  sessionStorage.setItem('bobbob.auth', btoa(String.fromCharCode(...new TextEncoder().encode(pair))));
  $('password').value = '';
  await refreshSession();
  if (session.user) show('');
  await refresh();
});

$('logout').addEventListener('click', async () => {
  sessionStorage.removeItem('bobbob.auth');
  await refreshSession();
  await refresh();
});

$('first').addEventListener('click', () => { afters = ['']; refresh(); });
$('next').addEventListener('click', () => { afters.push($('next').dataset.after); refresh(); });
let typing;
$('prefix').addEventListener('input', () => {
  clearTimeout(typing);
  typing = setTimeout(() => { afters = ['']; refresh(); }, 250);
});

refreshSession().then(refresh);
