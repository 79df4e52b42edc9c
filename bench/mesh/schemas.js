// Derives the JSON schemas of the ticketing answers from the sandbox answers
// captured in samples/ (node schemas.js). Mesh's responseSample types each
// field from the first array item it sees, so amounts (8 then 24.5) became
// Int and download links URL, and real answers then failed to serialize.
// Here array items are merged, every number is a GraphQL Float and strings
// carry no format.
const fs = require("fs");
const path = require("path");

function merge(a, b) {
  if (!a) return b;
  if (!b) return a;
  if (a.type === "object" && b.type === "object") {
    const properties = { ...a.properties };
    for (const [k, v] of Object.entries(b.properties)) properties[k] = merge(properties[k], v);
    return { type: "object", properties };
  }
  if (a.type === "array" && b.type === "array") return { type: "array", items: merge(a.items, b.items) };
  return a.type === b.type ? a : {}; // mixed kinds: left to the JSON scalar
}

function schemaOf(v) {
  if (v === null) return {};
  if (Array.isArray(v)) return { type: "array", items: v.map(schemaOf).reduce(merge, undefined) || {} };
  switch (typeof v) {
    case "object": {
      const properties = {};
      for (const [k, x] of Object.entries(v)) properties[k] = schemaOf(x);
      return { type: "object", properties };
    }
    case "number":
      return { type: "number" };
    case "boolean":
      return { type: "boolean" };
    default:
      return { type: "string" };
  }
}

for (const f of fs.readdirSync(path.join(__dirname, "samples"))) {
  if (!f.endsWith(".json")) continue;
  const sample = JSON.parse(fs.readFileSync(path.join(__dirname, "samples", f), "utf8"));
  fs.writeFileSync(path.join(__dirname, "schemas", f), JSON.stringify(schemaOf(sample), null, 1) + "\n");
}
