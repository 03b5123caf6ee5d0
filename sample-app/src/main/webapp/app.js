'use strict';
// Ids are decimal strings: they can be larger than JavaScript's exact integers.
const api = 'api/';

async function refresh() {
  const [list, stats] = await Promise.all([
    fetch(api + 'blobs').then(r => r.json()),
    fetch(api + 'store').then(r => r.json()),
  ]);
  document.getElementById('stats').textContent =
    `Store: ${stats.objects} objects, ${stats.liveBytes} bytes live, file ${stats.fileBytes} bytes`;
  const body = document.getElementById('uploads');
  body.replaceChildren(...list.map(u => {
    const tr = document.createElement('tr');
    tr.dataset.id = u.id;
    const link = document.createElement('a');
    link.href = api + 'blobs/' + u.id;
    link.download = u.name || ('blob-' + u.id);
    link.textContent = 'download';
    link.className = 'download';
    for (const [text, cls] of [[u.name || '(unnamed)', 'name'], [u.id, 'id'], [String(u.size), 'num']]) {
      const td = document.createElement('td');
      td.textContent = text;
      td.className = cls;
      tr.appendChild(td);
    }
    const td = document.createElement('td');
    td.appendChild(link);
    tr.appendChild(td);
    return tr;
  }));
}

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
      headers: { 'Content-Type': 'application/octet-stream', 'X-Filename': file.name },
      body: file,
    });
    const json = await r.json();
    if (!r.ok) throw new Error(json.error || r.statusText);
    status.textContent = `Stored ${file.name} (${json.size} bytes) as object ${json.id}`;
    await refresh();
  } catch (e) {
    status.className = 'error';
    status.textContent = 'Upload failed: ' + e.message;
  }
});

refresh().catch(e => { document.getElementById('stats').textContent = 'Store unavailable: ' + e.message; });
