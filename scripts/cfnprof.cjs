const root = require('path').resolve(__dirname, '..');
const { generate, typingRound, applyKeystroke } = require(root + '/out/test/support/typingSessions.js');
const { memoryAnalyzer, memUri } = require(root + '/out/test/support/engine.js');
(async () => {
  const kind = process.argv[2] || 'value';
  const fmt = process.argv[3] || 'json';
  const name = fmt === 'json' ? 'AuditStack.template.json' : fmt === 'yaml' ? 'template.yaml' : 'main.tf';
  const lines = fmt === 'json' ? 7400 : fmt === 'yaml' ? 5000 : 3000;
  let text = generate(fmt, lines);
  const a = await memoryAnalyzer({});
  const uri = memUri('d/' + name);
  a.setDocument(uri, text); a.analyze(uri);
  const times = [];
  for (let r = 0; r < 4; r++) for (const k of typingRound(fmt, text, kind)) {
    text = applyKeystroke(text, k);
    const c = process.cpuUsage(); a.setDocument(uri, text); a.analyze(uri); const d = process.cpuUsage(c); times.push((d.user + d.system) / 1000);
  }
  times.sort((x, y) => x - y);
  console.log(kind, fmt, 'n', times.length, 'p50', times[Math.floor(times.length / 2)].toFixed(1), 'p95', times[Math.floor(times.length * 0.95)].toFixed(1));
})();
function applyKey(text, k) { throw new Error('keystroke shape: ' + JSON.stringify(Object.keys(k))); }
