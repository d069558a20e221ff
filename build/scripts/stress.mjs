#!/usr/bin/env node
// stress.mjs: runs test suites again and again while `stress-ng --cpu 2` keeps both cores busy,
// then prints how often each test passed (`N/10 passed`). A flaky test shows up as less than
// N/N; the exit status is 1 when any test missed a round.
//
//   node build/scripts/stress.mjs [--rounds N] [--cpu N] [--log FILE] [--only NAMES] [--run PATTERN] KIND:NAME:DIR:COMMAND...
//
// --only NAMES (comma-separated suite names) runs only those suites; --run PATTERN runs only the
// tests it matches (`go test -run`, `vitest -t`), so one flaky test can be looped cheaply
// (`make test-stress ROUNDS=10 ONLY=desktop RUN=TestDocuments_Close`).
//
// KIND is `go` (COMMAND is a `go test` run; -json is added) or `vitest` (COMMAND is a
// `vitest run`; a JSON reporter is added). DIR is where COMMAND runs. Each round runs every
// suite once, in order. Test names are the top-level Go tests and Vitest's full names. What each
// failing test printed goes to FILE (default .artifacts/stress-failures.log).
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

function parseArgs(argv) {
  const opts = { rounds: 10, cpu: 2, log: '.artifacts/stress-failures.log', only: '', run: '', suites: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--rounds') opts.rounds = Number(argv[++i]);
    else if (a === '--cpu') opts.cpu = Number(argv[++i]);
    else if (a === '--log') opts.log = argv[++i];
    else if (a === '--only') opts.only = argv[++i] ?? '';
    else if (a === '--run') opts.run = argv[++i] ?? '';
    else {
      const m = /^(go|vitest):([^:]+):([^:]+):(.+)$/s.exec(a);
      if (!m) throw new Error(`stress.mjs: not KIND:NAME:DIR:COMMAND: ${a}`);
      opts.suites.push({ kind: m[1], name: m[2], dir: m[3], command: m[4] });
    }
  }
  if (opts.only) {
    const names = opts.only.split(',').map((n) => n.trim()).filter(Boolean);
    const unknown = names.filter((n) => !opts.suites.some((s) => s.name === n));
    if (unknown.length > 0) throw new Error(`stress.mjs: --only ${unknown.join(',')}: no such suite (there are ${opts.suites.map((s) => s.name).join(', ')})`);
    opts.suites = opts.suites.filter((s) => names.includes(s.name));
  }
  if (!(opts.rounds > 0) || opts.suites.length === 0) throw new Error('stress.mjs: give --rounds N > 0 and at least one suite');
  return opts;
}

/** Runs a shell command, echoing a short progress line; resolves with its stdout. */
function run(command, dir) {
  return new Promise((resolve) => {
    const child = spawn('bash', ['-c', command], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', () => {}); // the per-test verdicts are in stdout / the JSON report
    child.on('close', (code) => resolve({ out, code }));
  });
}

/** Top-level Go tests' verdicts from `go test -json`; `failures` gets what failing tests printed. */
function goResults(out, failures) {
  const results = new Map();
  const printed = new Map();
  for (const line of out.split('\n')) {
    if (!line.startsWith('{')) continue;
    let ev;
    try {
      ev = JSON.parse(line);
    } catch {
      continue;
    }
    if (!ev.Test) continue;
    const top = ev.Test.split('/')[0];
    if (ev.Action === 'output') printed.set(top, (printed.get(top) ?? '') + ev.Output);
    if (ev.Test.includes('/')) continue;
    if (ev.Action === 'fail') failures.push({ test: ev.Test, output: printed.get(ev.Test) ?? '' });
    if (ev.Action === 'pass' || ev.Action === 'fail') results.set(ev.Test, ev.Action === 'pass');
    if (ev.Action === 'skip') results.delete(ev.Test); // a benchmark that runs only under make bench
  }
  return results;
}

/** Vitest's verdicts from its JSON report; `failures` gets the failing tests' messages. */
function vitestResults(file, failures) {
  const results = new Map();
  let report;
  try {
    report = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return results; // the run died before writing a report: every test of it missed the round
  }
  for (const f of report.testResults ?? []) {
    for (const t of f.assertionResults ?? []) {
      if (t.status === 'skipped' || t.status === 'pending' || t.status === 'todo') continue;
      results.set(t.fullName, t.status === 'passed');
      if (t.status !== 'passed') failures.push({ test: t.fullName, output: (t.failureMessages ?? []).join('\n') });
    }
  }
  return results;
}

/** The pattern as one shell word. */
const quote = (s) => `'${s.replaceAll("'", "'\\''")}'`;

async function runSuite(suite, scratch, failures, run_) {
  if (suite.kind === 'go') {
    const cmd = suite.command.replace(/^go test /, `go test -json ${run_ ? `-run ${quote(run_)} ` : ''}`);
    return goResults((await run(cmd, suite.dir)).out, failures);
  }
  const report = join(scratch, `${suite.name}.json`);
  rmSync(report, { force: true });
  await run(`${suite.command} --reporter=json --outputFile=${report}${run_ ? ` -t ${quote(run_)}` : ''}`, suite.dir);
  return vitestResults(report, failures);
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (spawnSync('bash', ['-c', 'command -v stress-ng']).status !== 0) throw new Error('stress.mjs: stress-ng is not installed (apt-get install stress-ng)');
  const scratch = mkdtempSync(join(tmpdir(), 'stress-'));
  mkdirSync(dirname(opts.log), { recursive: true });
  writeFileSync(opts.log, '');
  const load = spawn('stress-ng', ['--cpu', String(opts.cpu), '--quiet'], { stdio: 'ignore', detached: true });
  const stopLoad = () => {
    try {
      process.kill(-load.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  process.on('exit', stopLoad);

  // passes[suite][test] = rounds passed, over the rounds done so far.
  const passes = new Map(opts.suites.map((s) => [s.name, new Map()]));
  const started = Date.now();
  let done = 0;
  // Stopped early (Ctrl+C, a time limit): the table of the rounds that finished.
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => process.exit(report(opts, passes, done, started) === 0 ? 130 : 1));
  for (let round = 1; round <= opts.rounds; round++) {
    for (const suite of opts.suites) {
      const t0 = Date.now();
      const failed = [];
      const results = await runSuite(suite, scratch, failed, opts.run);
      for (const f of failed) appendFileSync(opts.log, `=== round ${round} ${suite.name} ${f.test}\n${f.output}\n`);
      const tally = passes.get(suite.name);
      let ok = 0;
      for (const [test, passed] of results) {
        if (!tally.has(test)) tally.set(test, 0);
        if (passed) {
          tally.set(test, tally.get(test) + 1);
          ok++;
        }
      }
      console.log(`round ${round}/${opts.rounds} ${suite.name}: ${ok}/${results.size} passed in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
    }
    done = round;
  }
  stopLoad();
  rmSync(scratch, { recursive: true, force: true });
  process.exit(report(opts, passes, done, started) === 0 ? 0 : 1);
}

/** Prints `N/rounds passed` per test; returns how many tests missed a round. */
function report(opts, passes, rounds, started) {
  console.log(`\nunder stress-ng --cpu ${opts.cpu}, ${rounds} rounds, ${((Date.now() - started) / 60000).toFixed(1)} min:`);
  let flaky = 0;
  for (const suite of opts.suites) {
    const tally = passes.get(suite.name);
    if (tally.size === 0) {
      console.log(`${suite.name}: no test ran`);
      flaky++;
    }
    for (const [test, n] of [...tally].sort((a, b) => a[0].localeCompare(b[0]))) {
      if (n < rounds) flaky++;
      console.log(`${String(n).padStart(3)}/${rounds} passed  ${suite.name}  ${test}`);
    }
  }
  console.log(flaky === 0 ? 'every test passed every round' : `${flaky} test(s) missed a round; what they printed: ${opts.log}`);
  return flaky;
}

main().catch((e) => {
  console.error(e.message);
  process.exit(2);
});
