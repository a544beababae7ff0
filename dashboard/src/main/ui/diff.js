// A line diff (longest common subsequence) of two texts, with 3 lines of context around each change.
export function lineDiff(before, after, context = 3) {
  const a = before.split('\n');
  const b = after.split('\n');
  const n = a.length;
  const m = b.length;
  const lcs = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  const lines = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) { lines.push({ op: ' ', text: a[i] }); i++; j++; }
    else if (j < m && (i === n || lcs[i][j + 1] >= lcs[i + 1][j])) { lines.push({ op: '+', text: b[j] }); j++; }
    else { lines.push({ op: '-', text: a[i] }); i++; }
  }
  const near = lines.map(() => false);
  lines.forEach((line, k) => {
    if (line.op !== ' ') for (let d = -context; d <= context; d++) if (lines[k + d]) near[k + d] = true;
  });
  return lines.filter((_, k) => near[k]);
}
