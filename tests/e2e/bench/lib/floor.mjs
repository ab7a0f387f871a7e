// The floor: a static HTML page with the same rows as the console's Peers table (name link, state
// badge, remote datacenter, imported/exported counts, last heartbeat, delete button) and the same
// stylesheets, written into the copy of dist that the stand-in serves.
const esc = (s) => String(s ?? '').replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);

const TONE = { ACTIVE: 'ok', PENDING: 'info', ESTABLISHING: 'info', FAILING: 'bad', TERMINATED: 'bad', DELETING: 'muted' };
const LABEL = (s) => (s ? s[0] + s.slice(1).toLowerCase() : 'Unknown');

function relativeAge(secs) {
  if (secs <= 4) return 'just now';
  if (secs < 60) return `${secs} s ago`;
  if (secs < 3600) return `${Math.floor(secs / 60)} min ago`;
  if (secs < 86400) return `${Math.floor(secs / 3600)} h ago`;
  const d = Math.floor(secs / 86400);
  return `${d} day${d === 1 ? '' : 's'} ago`;
}

export function floorHtml(peerings, serverDate, cssFiles) {
  const now = Date.parse(serverDate) || Date.now();
  const sorted = [...peerings].sort((a, b) => (a.Name < b.Name ? -1 : a.Name > b.Name ? 1 : 0));
  const rows = sorted.map((p) => {
    const ss = p.StreamStatus || {};
    const remote = p.Remote?.Datacenter
      ? p.Remote.Partition && p.Remote.Partition !== 'default'
        ? `${p.Remote.Datacenter} / ${p.Remote.Partition}`
        : p.Remote.Datacenter
      : '—';
    const hbAt = ss.LastHeartbeat || ss.LastReceive || '';
    const hb = hbAt ? relativeAge(Math.floor((now - Date.parse(hbAt)) / 1000)) : 'None yet';
    const del = p.State === 'DELETING' ? '' : `<button type="button" class="secondary" aria-label="Delete ${esc(p.Name)}">Delete</button>`;
    return (
      `<tr data-peer="${esc(p.Name)}"><td><a href="peers/${esc(p.Name)}">${esc(p.Name)}</a></td>` +
      `<td><span class="badge ${TONE[p.State] ?? 'muted'}" data-state="${LABEL(p.State)}"><span class="label">${LABEL(p.State)}</span></span></td>` +
      `<td>${esc(remote)}</td><td class="num">${(ss.ImportedServices || []).length}</td><td class="num">${(ss.ExportedServices || []).length}</td>` +
      `<td title="${esc(hbAt)}">${hb}</td><td><div class="row-actions">${del}</div></td></tr>`
    );
  });
  const n = peerings.length;
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Peers (static floor)</title><link rel="icon" href="favicon.svg" type="image/svg+xml">
${cssFiles.map((f) => `<link rel="stylesheet" href="${f}">`).join('\n')}
</head><body><main><section class="page">
<div class="page-header"><h1>Peers</h1></div>
<div class="toolbar" role="search"><label>Search <input type="search" aria-label="Search peers" placeholder="Name or ID"></label></div>
<p class="count">${n} peering${n === 1 ? '' : 's'}</p>
<table class="data" aria-label="Peerings"><thead><tr><th scope="col">Peer</th><th scope="col">State</th><th scope="col">Remote</th><th scope="col" class="num">Imported</th><th scope="col" class="num">Exported</th><th scope="col">Last heartbeat</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody></table></section></main></body></html>
`;
}
