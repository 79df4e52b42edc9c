// Opens Guichet's GraphiQL (GUICHET_URL) in Debian's Chromium, types a query
// (QUERY), runs it with Ctrl-Enter and waits for EXPECT in the result pane.
// Fails on any console error, page error, CSP violation, failed or non-2xx/3xx
// request, or request to another origin (the page must work offline); keeps
// a screenshot (SCREENSHOT). Never downloads a browser: CHROMIUM names it.
import { chromium } from 'playwright-core';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

const url = process.env.GUICHET_URL;
const expect = process.env.EXPECT;
const shot = resolve(process.env.SCREENSHOT || 'artifacts/graphiql.png');
const query = process.env.QUERY || '{ shows(first: 3) { edges { node { id title } } } }';
const timeout = Number(process.env.TIMEOUT_MS || 20000);
if (!url || !expect) {
  console.error('GUICHET_URL and EXPECT are required');
  process.exit(2);
}
const origin = new URL(url).origin;
// INTROSPECTION=0: the server refuses introspection (GraphiQL then runs
// without schema, docs or completion); its refusal is not a failure.
const introspection = process.env.INTROSPECTION !== '0';
const isIntrospection = (r) => r.method() === 'POST' && (r.postData() || '').includes('__schema');

const profile = mkdtempSync(join(tmpdir(), 'guichet-chromium-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  viewport: { width: 1280, height: 800 },
});
const problems = [];
const posted = [];
const introspected = []; // decoded answers to GraphiQL's introspection query
let failed = false;
let page;
const t0 = Date.now();
try {
  page = context.pages()[0] || (await context.newPage());
  // Report CSP violations with their directive, not only Chromium's console
  // text. Init scripts run outside the page's CSP.
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP violation: ${e.effectiveDirective} blocked ${e.blockedURI || 'inline'}` +
        ` at ${e.sourceFile || '?'}:${e.lineNumber} sample=${JSON.stringify(e.sample || '')}`);
    });
  });
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    // Chromium logs every 4xx load; the response handler judges those.
    if (!introspection && m.text().startsWith('Failed to load resource: the server responded with a status of 4')) return;
    problems.push('console: ' + m.text());
  });
  page.on('pageerror', (e) => problems.push('page error: ' + e.message));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText || ''}`));
  page.on('request', (r) => {
    const u = new URL(r.url());
    if (u.protocol !== 'data:' && u.origin !== origin) problems.push('request to another origin: ' + r.url());
    if (r.method() === 'POST') posted.push(r.postData() || '');
  });
  page.on('response', (r) => {
    if (introspection && isIntrospection(r.request())) {
      r.json().then((j) => introspected.push(j), () => introspected.push(null));
    }
    if (r.status() < 400 || (!introspection && isIntrospection(r.request()))) return;
    problems.push(`HTTP ${r.status()}: ${r.url()}`);
  });

  await page.goto(url, { waitUntil: 'load' });
  const editor = '.graphiql-query-editor .CodeMirror';
  await page.waitForSelector(editor, { timeout });
  const rendered = Date.now() - t0;
  // Type the query like a user: focus the editor, select all, insert text
  // (insertText skips CodeMirror's bracket auto-closing), run with Ctrl-Enter.
  await page.click(editor);
  await page.keyboard.press('Control+A');
  await page.keyboard.insertText(query);
  const typed = await page.evaluate((sel) => document.querySelector(sel).CodeMirror.getValue(), editor);
  if (typed !== query) throw new Error(`editor holds ${JSON.stringify(typed)}, not the query`);
  const t1 = Date.now();
  await page.keyboard.press('Control+Enter');
  await page.waitForFunction((want) => {
    const r = document.querySelector('.graphiql-response .CodeMirror');
    return r && r.CodeMirror.getValue().includes(want);
  }, expect, { timeout });
  const ran = Date.now() - t1;
  if (!posted.some((b) => { try { return JSON.parse(b).query === query; } catch { return false; } })) {
    throw new Error('no POST to the endpoint carried the typed query');
  }
  // Open the UI that injects styles at run time (dialogs, side panes), so
  // the CSP is checked against more than the first paint.
  if (process.env.EXERCISE !== '0') {
    for (const label of ['Open settings dialog', 'Open short keys dialog']) {
      await page.click(`button[aria-label="${label}"]`);
      await page.waitForSelector('[role="dialog"]', { timeout });
      await page.keyboard.press('Escape');
      await page.waitForSelector('[role="dialog"]', { state: 'detached', timeout });
    }
    await page.click('.graphiql-sidebar button[aria-label*="History"]');
    await page.waitForSelector('.graphiql-history', { timeout });
    await page.click('.graphiql-sidebar button[aria-label*="History"]');
    await page.click('button:has-text("Headers")');
  }
  if (introspection) {
    // The documentation explorer lists the Query type's fields.
    await page.click('.graphiql-sidebar button[aria-label*="Documentation"]');
    await page.click('.graphiql-doc-explorer a.graphiql-doc-explorer-type-name:text-is("Query")', { timeout });
    await page.waitForSelector('.graphiql-doc-explorer-field-name:text-is("shows")', { timeout });
    const fields = await page.$$eval('.graphiql-doc-explorer-field-name', (els) => els.map((e) => e.textContent));
    for (const want of ['shows', 'show', 'venues', 'performance']) {
      if (!fields.includes(want)) throw new Error(`docs explorer lists ${JSON.stringify(fields)}, not ${want}`);
    }
    // The docs explorer renders the schema's Markdown descriptions as HTML.
    await page.click('.graphiql-doc-explorer-field-name:text-is("shows")', { timeout });
    await page.waitForSelector('.graphiql-doc-explorer .graphiql-markdown-description', { timeout });
    // Autocompletion offers the schema's fields while typing.
    await page.click(editor);
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Delete');
    await page.keyboard.type('{ ven', { delay: 30 });
    await page.waitForSelector('.CodeMirror-hints .CodeMirror-hint', { timeout });
    const hints = await page.$$eval('.CodeMirror-hints .CodeMirror-hint', (els) => els.map((e) => e.textContent.trim()));
    if (!hints.some((h) => h.startsWith('venues'))) throw new Error(`autocompletion offers ${JSON.stringify(hints)}, not venues`);
    await page.keyboard.press('Escape');
    // The schema came from the introspection query GraphiQL sent, answered
    // with data and no error (the depth limit once refused it).
    const answer = introspected.find((a) => a && a.data && a.data.__schema);
    if (!answer) throw new Error('no introspection answer with data: ' + JSON.stringify(introspected).slice(0, 300));
    if (introspected.some((a) => a && a.errors)) throw new Error('introspection answered with errors: ' + JSON.stringify(introspected).slice(0, 300));
    console.log(`docs explorer lists ${fields.length} Query fields; autocompletion offers ${JSON.stringify(hints.slice(0, 5))}`);
  }
  // Let late violations or requests (fonts, icons) surface before judging.
  await page.waitForTimeout(500);
  mkdirSync(dirname(shot), { recursive: true });
  await page.screenshot({ path: shot, fullPage: true });
  if (problems.length) throw new Error('problems seen');
  console.log(`graphiql ok: rendered in ${rendered} ms, query answered in ${ran} ms, ` +
    `result contains ${JSON.stringify(expect)}; screenshot ${shot}`);
} catch (e) {
  console.error('graphiql test failed:', e.message);
  for (const p of problems) console.error('  ' + p);
  failed = true;
  if (page) {
    const bad = shot.replace(/(\.png)?$/, '-failed.png');
    mkdirSync(dirname(bad), { recursive: true });
    await page.screenshot({ path: bad, fullPage: true }).then(() => console.error('screenshot ' + bad), () => {});
  }
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
