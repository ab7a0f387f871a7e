// Diagnosis helper (not part of `make bench`): where the wasm's code bytes go, by crate, like
// `twiggy top` but with nothing to install. It reads the module cargo builds before wasm-bindgen and
// wasm-opt (that one still has its name section), so the bytes are pre-optimisation; the shares are
// what matters. Usage: cd tests/e2e && node bench/wasm-size.mjs [path/to/peering-console.wasm]
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const targetDir = process.env.CARGO_TARGET_DIR || path.join(os.homedir(), '.cache/peering-console/target');
const file = process.argv[2] || path.join(targetDir, 'wasm32-unknown-unknown/release/peering-console.wasm');
const b = fs.readFileSync(file);
let i = 8;
const leb = () => {
  let r = 0;
  let s = 0;
  let x;
  do {
    x = b[i++];
    r += (x & 0x7f) * 2 ** s;
    s += 7;
  } while (x & 0x80);
  return r;
};
let nImports = 0;
const bodies = [];
const names = new Map();
const sections = [];
while (i < b.length) {
  const id = b[i++];
  const len = leb();
  const st = i;
  let name = '';
  if (id === 0) {
    const nl = leb();
    name = b.subarray(i, i + nl).toString();
    i += nl;
  }
  sections.push({ id, name, len });
  if (id === 2) {
    const n = leb();
    for (let k = 0; k < n; k++) {
      i += leb();
      i += leb();
      const kind = b[i++];
      if (kind === 0) {
        leb();
        nImports++;
      } else if (kind === 1) {
        i++;
        const f = b[i++];
        leb();
        if (f & 1) leb();
      } else if (kind === 2) {
        const f = b[i++];
        leb();
        if (f & 1) leb();
      } else if (kind === 3) i += 2;
      else {
        i++;
        leb();
      }
    }
  }
  if (id === 10) {
    const n = leb();
    for (let k = 0; k < n; k++) {
      const sz = leb();
      bodies.push(sz);
      i += sz;
    }
  }
  if (id === 0 && name === 'name') {
    while (i < st + len) {
      const sub = b[i++];
      const sl = leb();
      const ss = i;
      if (sub === 1) {
        const n = leb();
        for (let k = 0; k < n; k++) {
          const idx = leb();
          const nl = leb();
          names.set(idx, b.subarray(i, i + nl).toString());
          i += nl;
        }
      }
      i = ss + sl;
    }
  }
  i = st + len;
}
if (names.size === 0) {
  console.log(`${file} has no name section: point this at cargo's output, not dist/`);
  process.exit(0);
}
// The crate of a legacy-mangled symbol (_ZN<len><crate>…) or of the type in `<Type as Trait>` impls.
function crateOf(n) {
  const m = /^_ZN(\d+)(.*)/.exec(n);
  if (!m) return /^([A-Za-z_][A-Za-z0-9_]*)/.exec(n)?.[1] ?? '?';
  const seg = m[2].slice(0, Number(m[1]));
  if (seg.startsWith('_$LT$')) {
    const inner = /^_\$LT\$([A-Za-z_][A-Za-z0-9_]*)/.exec(seg);
    return `<${inner ? inner[1] : '?'} as …>`;
  }
  return seg;
}
const groups = {};
bodies.forEach((sz, k) => {
  const c = crateOf(names.get(nImports + k) || '?');
  groups[c] = (groups[c] || 0) + sz;
});
const total = bodies.reduce((a, x) => a + x, 0);
console.log(`${file}\n${bodies.length} functions, ${total} code bytes; sections: ${sections.map((s) => `${s.name || s.id}=${s.len}`).join(' ')}\n`);
console.log('By crate (top 25):');
for (const [k, v] of Object.entries(groups).sort((a, c) => c[1] - a[1]).slice(0, 25))
  console.log(`${String(v).padStart(9)} ${((100 * v) / total).toFixed(1).padStart(5)}%  ${k}`);
console.log('\nLargest functions:');
bodies
  .map((sz, k) => [sz, names.get(nImports + k) || '?'])
  .sort((a, c) => c[0] - a[0])
  .slice(0, 12)
  .forEach(([sz, n]) => console.log(`${String(sz).padStart(9)}  ${n.replace(/\$LT\$/g, '<').replace(/\$GT\$/g, '>').replace(/\$u20\$/g, ' ').replace(/\$C\$/g, ',').replace(/\.\./g, '::').slice(0, 140)}`));
