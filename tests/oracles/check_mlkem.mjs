// Recomputes every field printed by nextip_mlkem768_cases with independent ML-KEM-768
// implementations and fails on the first difference, naming the case, the oracle and
// the field.
//
//   node check_mlkem.mjs PATH/TO/nextip_mlkem768_cases N SEED
//
// Oracles (tests/oracles/package.json, installed by scripts/install-oracles):
//   noble   @noble/post-quantum, pure JavaScript; keygen(d ‖ z) and encapsulate(ek, m)
//           take the FIPS 203 seeds directly.
//   liboqs  @oqs/liboqs-js, liboqs compiled to WebAssembly. Its API draws d ‖ z and m
//           from node:crypto.randomFillSync, so the check substitutes that function for
//           the duration of one call and checks that exactly 64 (keygen) or 32
//           (encaps) bytes were drawn.
//   J       the implicit-rejection key recomputed as SHAKE256(z ‖ ct_bad, 32) with
//           @noble/hashes (FIPS 203 Algorithm 18, line 8).
// NEXTIP_ORACLES=noble (comma list) restricts the oracles; by default all must run.
import { spawn } from 'node:child_process';
import nodeCrypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const [tool, countArg, seed] = process.argv.slice(2);
if (!tool || !countArg || !seed) {
  console.error('usage: node check_mlkem.mjs TOOL N SEED');
  process.exit(2);
}
const count = Number(countArg);
const wanted = (process.env.NEXTIP_ORACLES || 'noble,liboqs,J').split(',');

function version(pkg) {
  const p = path.join(here, 'node_modules', ...pkg.split('/'), 'package.json');
  return JSON.parse(fs.readFileSync(p, 'utf8')).version;
}

let noble;
let shake256;
let oqs;
try {
  if (wanted.includes('noble')) ({ ml_kem768: noble } = await import('@noble/post-quantum/ml-kem.js'));
  if (wanted.includes('J')) ({ shake256 } = await import('@noble/hashes/sha3.js'));
  if (wanted.includes('liboqs')) {
    const { createMLKEM768 } = await import('@oqs/liboqs-js');
    oqs = await createMLKEM768();
  }
} catch (e) {
  console.error(`check_mlkem: cannot load an oracle (${e.message}); run scripts/install-oracles`);
  process.exit(1);
}

// liboqs with injected randomness: `bytes` is what the next randomFillSync calls return.
function withRandomness(bytes, fn) {
  const original = nodeCrypto.randomFillSync;
  let used = 0;
  nodeCrypto.randomFillSync = (buf) => {
    if (used + buf.length > bytes.length) throw new Error(`liboqs drew more than ${bytes.length} random bytes`);
    buf.set(bytes.subarray(used, used + buf.length));
    used += buf.length;
    return buf;
  };
  try {
    const out = fn();
    if (used !== bytes.length) throw new Error(`liboqs drew ${used} random bytes, expected ${bytes.length}`);
    return out;
  } finally {
    nodeCrypto.randomFillSync = original;
  }
}

const hex = (u8) => Buffer.from(u8).toString('hex');
const unhex = (s) => new Uint8Array(Buffer.from(s, 'hex'));
const short = (s) => (s.length > 24 ? `${s.slice(0, 24)}…(${s.length / 2} bytes)` : s);

let failed = false;
function mismatch(c, oracle, fieldName, got) {
  console.error(`MISMATCH case ${c.i}, oracle ${oracle}, field ${fieldName}:`);
  console.error(`  nextip: ${short(c[fieldName] ?? '(none)')}`);
  console.error(`  ${oracle}: ${short(got)}`);
  failed = true;
}
function expectEqual(c, oracle, fieldName, got) {
  const g = hex(got);
  if (g !== c[fieldName]) mismatch(c, oracle, fieldName, g);
  return !failed;
}
function expectThrows(c, oracle, fieldName, fn) {
  try {
    fn();
  } catch {
    return true;
  }
  mismatch(c, oracle, fieldName, 'accepted (expected the FIPS 203 input check to refuse it)');
  return false;
}

const checks = { noble: 0, liboqs: 0, J: 0, rejected_keys: 0 };

function check(c) {
  const d = unhex(c.d), z = unhex(c.z), m = unhex(c.m), ek = unhex(c.ek), dk = unhex(c.dk);
  const ct = unhex(c.ct), ctBad = unhex(c.ct_bad);
  const seed64 = new Uint8Array(64);
  seed64.set(d);
  seed64.set(z, 32);
  const hasBad = c.ek_bad !== undefined;
  if (hasBad && (c.ek_bad_error !== 'mlkem_ek_modulus' || c.dk_bad_error !== 'mlkem_dk_hash')) {
    mismatch(c, 'FIPS 203 input checks', 'ek_bad_error/dk_bad_error', `${c.ek_bad_error}/${c.dk_bad_error}`);
    return false;
  }

  if (noble) {
    const k = noble.keygen(seed64);
    if (!expectEqual(c, 'noble', 'ek', k.publicKey) || !expectEqual(c, 'noble', 'dk', k.secretKey)) return false;
    const e = noble.encapsulate(ek, m);
    if (!expectEqual(c, 'noble', 'ct', e.cipherText) || !expectEqual(c, 'noble', 'ss', e.sharedSecret)) return false;
    if (!expectEqual(c, 'noble', 'ss', noble.decapsulate(ct, dk))) return false;
    if (!expectEqual(c, 'noble', 'ss_bad', noble.decapsulate(ctBad, dk))) return false;
    if (hasBad) {
      if (!expectThrows(c, 'noble', 'ek_bad', () => noble.encapsulate(unhex(c.ek_bad), m))) return false;
      if (!expectThrows(c, 'noble', 'dk_bad', () => noble.decapsulate(ct, unhex(c.dk_bad)))) return false;
      checks.rejected_keys += 2;
    }
    checks.noble += 1;
  }
  if (oqs) {
    const k = withRandomness(seed64, () => oqs.generateKeyPair());
    if (!expectEqual(c, 'liboqs', 'ek', k.publicKey) || !expectEqual(c, 'liboqs', 'dk', k.secretKey)) return false;
    const e = withRandomness(m, () => oqs.encapsulate(ek));
    if (!expectEqual(c, 'liboqs', 'ct', e.ciphertext) || !expectEqual(c, 'liboqs', 'ss', e.sharedSecret)) return false;
    if (!expectEqual(c, 'liboqs', 'ss', oqs.decapsulate(ct, dk))) return false;
    if (!expectEqual(c, 'liboqs', 'ss_bad', oqs.decapsulate(ctBad, dk))) return false;
    if (hasBad) {
      if (!expectThrows(c, 'liboqs', 'ek_bad', () => withRandomness(m, () => oqs.encapsulate(unhex(c.ek_bad)))))
        return false;
      if (!expectThrows(c, 'liboqs', 'dk_bad', () => oqs.decapsulate(ct, unhex(c.dk_bad)))) return false;
      checks.rejected_keys += 2;
    }
    checks.liboqs += 1;
  }
  if (shake256) {
    const j = shake256(new Uint8Array([...z, ...ctBad]), { dkLen: 32 });
    if (!expectEqual(c, 'J = SHAKE256(z ‖ ct_bad)', 'ss_bad', j)) return false;
    checks.J += 1;
  }
  return true;
}

const child = spawn(tool, [String(count), seed], { stdio: ['ignore', 'pipe', 'inherit'] });
const lines = readline.createInterface({ input: child.stdout });
let cases = 0;
for await (const line of lines) {
  if (failed) continue;  // drain
  let c;
  try {
    c = JSON.parse(line);
  } catch {
    console.error(`check_mlkem: not JSON: ${short(line)}`);
    failed = true;
    continue;
  }
  if (c.i !== cases) {
    console.error(`check_mlkem: case ${c.i} arrived where ${cases} was expected`);
    failed = true;
    continue;
  }
  if (!check(c)) {
    child.kill();
    continue;
  }
  cases += 1;
}
const code = await new Promise((resolve) => {
  if (child.exitCode !== null) resolve(child.exitCode);
  else child.on('close', (c) => resolve(c));
});
oqs?.destroy();
if (failed) process.exit(1);
if (code !== 0) {
  console.error(`check_mlkem: ${tool} exited with ${code}`);
  process.exit(1);
}
if (cases !== count) {
  console.error(`check_mlkem: ${cases} cases received, ${count} expected`);
  process.exit(1);
}
const ran = [];
if (noble) ran.push(`@noble/post-quantum ${version('@noble/post-quantum')}: ${checks.noble}`);
if (oqs) ran.push(`@oqs/liboqs-js ${version('@oqs/liboqs-js')}: ${checks.liboqs}`);
if (shake256) ran.push(`J via @noble/hashes ${version('@noble/hashes')}: ${checks.J}`);
console.log(`ML-KEM-768: ${cases} cases (seed '${seed}'), every field equal`);
for (const r of ran) console.log(`  ${r} cases`);
console.log(`  invalid keys refused by every oracle: ${checks.rejected_keys}`);
