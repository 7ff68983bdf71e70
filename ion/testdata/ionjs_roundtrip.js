// Reads a binary Ion stream with ion-js and writes every value back as binary Ion with ion-js.
// Used by interop_test.go: node ionjs_roundtrip.js in.10n out.10n (NODE_PATH must reach ion-js).
const ion = require('ion-js');
const fs = require('fs');
const [inp, out] = process.argv.slice(2);
const data = fs.readFileSync(inp);
const reader = ion.makeReader(data);
const writer = ion.makeBinaryWriter();
let n = 0;
for (let t = reader.next(); t !== null; t = reader.next()) {
  writer.writeValue(reader);
  n++;
}
writer.close();
fs.writeFileSync(out, writer.getBytes());
console.log("values", n);
