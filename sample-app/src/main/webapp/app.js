'use strict';
// Ids are decimal strings: they can be larger than JavaScript's exact integers.
const api = 'api/';
const pageSize = 20;
let offset = 0;

function cell(text, cls, title) {
  const td = document.createElement('td');
  td.textContent = text;
  td.className = cls;
  if (title) td.title = title;
  return td;
}

function row(u) {
  const tr = document.createElement('tr');
  tr.dataset.id = u.id;
  const created = new Date(u.created);
  tr.append(
    cell(u.name || '(unnamed)', 'name'),
    cell(u.contentType, 'type'),
    cell(String(u.size), 'num'),
    cell(u.sha256.slice(0, 12) + '…', 'sha256', u.sha256),
    cell(created.toLocaleString(), 'created', u.created),
    cell(u.id, 'id'));
  const link = document.createElement('a');
  link.href = api + 'blobs/' + u.id;
  link.download = u.name || ('blob-' + u.id);
  link.textContent = 'download';
  link.className = 'download';
  const td = document.createElement('td');
  td.appendChild(link);
  tr.appendChild(td);
  return tr;
}

async function refresh() {
  const [page, stats] = await Promise.all([
    fetch(`${api}blobs?offset=${offset}&limit=${pageSize}`).then(r => r.json()),
    fetch(api + 'store').then(r => r.json()),
  ]);
  document.getElementById('stats').textContent =
    `Store: ${stats.objects} objects, ${stats.liveBytes} bytes live, file ${stats.fileBytes} bytes`;
  if (page.items.length === 0 && page.total > 0 && offset > 0) {
    offset = Math.max(0, Math.floor((page.total - 1) / pageSize) * pageSize); // rows went away
    return refresh();
  }
  document.getElementById('uploads').replaceChildren(...page.items.map(row));
  document.getElementById('position').textContent = page.total === 0
    ? 'No uploads yet'
    : `${offset + 1}–${offset + page.items.length} of ${page.total}`;
  document.getElementById('newer').disabled = offset === 0;
  document.getElementById('older').disabled = offset + page.items.length >= page.total;
}

function show(error) {
  document.getElementById('stats').textContent = 'Store unavailable: ' + error.message;
}

document.getElementById('newer').addEventListener('click', () => {
  offset = Math.max(0, offset - pageSize);
  refresh().catch(show);
});

document.getElementById('older').addEventListener('click', () => {
  offset += pageSize;
  refresh().catch(show);
});

document.getElementById('upload').addEventListener('submit', async event => {
  event.preventDefault();
  const file = document.getElementById('file').files[0];
  const status = document.getElementById('status');
  if (!file) return;
  status.className = '';
  status.textContent = `Uploading ${file.name}…`;
  try {
    const r = await fetch(api + 'blobs', {
      method: 'POST',
      headers: { 'Content-Type': file.type || 'application/octet-stream', 'X-Filename': file.name },
      body: file,
    });
    const json = await r.json();
    if (!r.ok) throw new Error(json.error || r.statusText);
    status.textContent = `Stored ${file.name} (${json.size} bytes, SHA-256 ${json.sha256}) as object ${json.id}`;
    offset = 0;
    await refresh();
  } catch (e) {
    status.className = 'error';
    status.textContent = 'Upload failed: ' + e.message;
  }
});

refresh().catch(show);
