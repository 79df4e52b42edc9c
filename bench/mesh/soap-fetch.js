// customFetch of the Mesh SOAP source. @graphql-mesh/soap 0.17 sends SOAP 1.2
// to the WSDL's soap:address with the namespace as a default on Body, which
// qualifies every child; AboWeb (JAX-WS, SOAP 1.1) drops qualified children
// and wants a WS-Security UsernameToken. This rewrites each call into what it
// accepts: SOAP 1.1, text/xml with SOAPAction "", a prefixed operation
// wrapper, the token in the header, and the endpoint from ABOWEB_URL.
const crypto = require("crypto");

const endpoint = process.env.ABOWEB_URL;
const user = process.env.ABOWEB_USERNAME || "";
// AboWeb compares the Password text with base64(SHA-1(password)).
const digest = crypto.createHash("sha1").update(process.env.ABOWEB_PASSWORD || "").digest("base64");
const esc = (s) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const security =
  '<wsse:Security xmlns:wsse="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd">' +
  "<wsse:UsernameToken><wsse:Username>" + esc(user) + "</wsse:Username><wsse:Password>" + esc(digest) +
  "</wsse:Password></wsse:UsernameToken></wsse:Security>";

function rewrite(body) {
  const m = /<soap:Body xmlns="([^"]+)">([\s\S]*)<\/soap:Body>/.exec(body);
  if (!m) return body;
  const ns = m[1];
  // The operation wrapper is the first element of Body: give it a prefix so
  // its children stay unqualified.
  const inner = m[2].replace(/^<([A-Za-z_][\w.-]*)/, '<tns:$1 xmlns:tns="' + ns + '"').replace(/<\/([A-Za-z_][\w.-]*)>$/, "</tns:$1>");
  return '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Header>' + security +
    "</soapenv:Header><soapenv:Body>" + inner + "</soapenv:Body></soapenv:Envelope>";
}

// The ticketing operations declare their GraphQL arguments through
// X-Mesh-Arg-* headers (see .meshrc.yaml); the values travel in the form
// body, so the headers are not sent.
function dropArgHeaders(init) {
  const h = init && init.headers;
  if (!h || typeof h !== "object") return init;
  const headers = {};
  const keep = (v, k) => {
    if (!/^x-mesh-arg-/i.test(k)) headers[k] = v;
  };
  if (typeof h.forEach === "function" && !Array.isArray(h)) h.forEach(keep);
  else for (const [k, v] of Array.isArray(h) ? h : Object.entries(h)) keep(v, k);
  return { ...init, headers };
}

module.exports = async function soapFetch(url, init) {
  if (!init || typeof init.body !== "string" || !init.body.includes("<soap:Envelope")) {
    return fetch(url, dropArgHeaders(init));
  }
  const headers = { "Content-Type": "text/xml; charset=utf-8", SOAPAction: '""' };
  return fetch(endpoint || url, { ...init, headers, body: rewrite(init.body) });
};
