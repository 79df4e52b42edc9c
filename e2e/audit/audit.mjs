// Runs graphql-http's GraphQL-over-HTTP audit against GUICHET_URL and fails
// on any error or warning (notices are printed: they are optional parts of
// the spec). Started by TestE2EGraphQLOverHTTPAudit.
import { auditServer } from 'graphql-http';

const url = process.env.GUICHET_URL;
if (!url) {
  console.error('GUICHET_URL is not set');
  process.exit(2);
}
const results = await auditServer({ url });
const count = { ok: 0, warn: 0, notice: 0, error: 0 };
let bad = 0;
for (const r of results) {
  count[r.status] = (count[r.status] || 0) + 1;
  if (r.status === 'ok') continue;
  let detail = '';
  if (r.status !== 'notice' && r.reason) {
    detail = ' — ' + r.reason;
    if (r.response) {
      try {
        const body = await r.response.text();
        detail += ` [HTTP ${r.response.status} ${r.response.headers.get('content-type')}: ${body.slice(0, 200)}]`;
      } catch {}
    }
  }
  console.log(`${r.status.toUpperCase()} ${r.id} ${r.name}${detail}`);
  if (r.status === 'warn' || r.status === 'error') bad++;
}
console.log(`audit: ${count.ok} ok, ${count.warn} warnings, ${count.error} errors, ${count.notice} notices`);
process.exit(bad ? 1 : 0);
