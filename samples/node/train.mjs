// Trains a Kiln training file (train_step.onnx) with stock onnxruntime-node, then scores model.onnx.
//
// Usage: node train.mjs DIR [--data /usr/share/datasets/fashion-mnist] [--epochs 1] [--batch-size 128] [--min-accuracy 0.85]
//
// DIR holds train_step.onnx and model.onnx as `./kiln export-training mlp --output DIR` writes them. One run of
// train_step.onnx is one optimizer step; its metadata (kiln.training.*, see docs/onnx-training.md) says which output
// is the next value of which state input. Exits 1 when the test accuracy is below --min-accuracy.
//
// NOTE: onnxruntime-node exposes neither a model's metadata_props nor feeding an input that has an initializer (it
// feeds only the inputs without one, and silently drops other feeds). So this reads the few ModelProto fields it
// needs straight from the protobuf bytes (onnx.proto field numbers: ModelProto.graph 7, metadata_props 14;
// GraphProto.initializer 5, input 11; TensorProto dims 1, data_type 2, name 8, raw_data 9), takes the state
// initializers out of the model as the initial state, and feeds them like any input (model.onnx's parameters too,
// declared as inputs). Python's onnxruntime needs none of this.
import * as ort from 'onnxruntime-node';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';

function args() {
  const a = { dir: null, data: '/usr/share/datasets/fashion-mnist', epochs: 1, batchSize: 128, minAccuracy: 0.85, seed: 0 };
  const v = process.argv.slice(2);
  for (let i = 0; i < v.length; i++) {
    if (v[i] === '--data') a.data = v[++i];
    else if (v[i] === '--epochs') a.epochs = Number(v[++i]);
    else if (v[i] === '--batch-size') a.batchSize = Number(v[++i]);
    else if (v[i] === '--min-accuracy') a.minAccuracy = Number(v[++i]);
    else if (v[i] === '--seed') a.seed = Number(v[++i]);
    else a.dir = v[i];
  }
  if (!a.dir) { console.error('usage: node train.mjs DIR [--data DIR] [--epochs N] [--batch-size N] [--min-accuracy A]'); process.exit(2); }
  return a;
}

// --- a protobuf field walker: enough to split a message into its top-level fields ---
function varint(buf, pos) {
  let v = 0n, shift = 0n;
  for (;;) {
    const b = buf[pos++];
    v |= BigInt(b & 0x7f) << shift;
    if (b < 0x80) return [v, pos];
    shift += 7n;
  }
}
/** Each field of a message: {no, wire, start, end (the whole field's bytes), value (payload or number)}. */
function fields(buf) {
  const out = [];
  for (let pos = 0; pos < buf.length;) {
    const start = pos;
    let key; [key, pos] = varint(buf, pos);
    const no = Number(key >> 3n), wire = Number(key & 7n);
    let value;
    if (wire === 0) [value, pos] = varint(buf, pos);
    else if (wire === 1) { value = buf.subarray(pos, pos + 8); pos += 8; }
    else if (wire === 5) { value = buf.subarray(pos, pos + 4); pos += 4; }
    else if (wire === 2) { let n; [n, pos] = varint(buf, pos); value = buf.subarray(pos, pos + Number(n)); pos += Number(n); }
    else throw new Error(`unsupported protobuf wire type ${wire}`);
    out.push({ no, wire, start, end: pos, value });
  }
  return out;
}
function lengthDelimited(no, payload) {
  const head = [];
  let k = BigInt(no << 3 | 2);
  const push = (v) => { while (v >= 0x80n) { head.push(Number(v & 0x7fn) | 0x80); v >>= 7n; } head.push(Number(v)); };
  push(k); push(BigInt(payload.length));
  return Buffer.concat([Buffer.from(head), payload]);
}
function varintField(no, v) {
  const out = [];
  let x = BigInt(no << 3);
  const push = (w) => { while (w >= 0x80n) { out.push(Number(w & 0x7fn) | 0x80); w >>= 7n; } out.push(Number(w)); };
  push(x); push(BigInt(v));
  return Buffer.from(out);
}
const text = (b) => Buffer.from(b).toString('utf8');

/** A graph input (ValueInfoProto: name 1, type 2 = TypeProto.tensor_type 1 = {elem_type 1, shape 2 = {dim 1 = {dim_value 1}}}). */
function graphInput(name, elemType, dims) {
  const shape = Buffer.concat(dims.map((d) => lengthDelimited(1, varintField(1, d))));
  const tensor = Buffer.concat([varintField(1, elemType), lengthDelimited(2, shape)]);
  const info = Buffer.concat([lengthDelimited(1, Buffer.from(name, 'utf8')), lengthDelimited(2, lengthDelimited(1, tensor))]);
  return lengthDelimited(11, info);
}

/** The metadata, the model without the named initializers, and those initializers as ort.Tensors. */
function split(modelBytes, stateNames) {
  const model = fields(modelBytes);
  const meta = {};
  for (const f of model.filter((f) => f.no === 14)) {
    const kv = fields(f.value);
    meta[text(kv.find((x) => x.no === 1).value)] = text(kv.find((x) => x.no === 2)?.value ?? []);
  }
  const names = stateNames ?? new Set(Object.keys(JSON.parse(meta['kiln.training.state'])));
  const graph = model.find((f) => f.no === 7);
  const kept = [], state = {}, inputs = [];
  const declared = new Set(fields(graph.value).filter((g) => g.no === 11)
    .map((g) => text(fields(g.value).find((x) => x.no === 1).value)));
  for (const g of fields(graph.value)) {
    if (g.no === 5) {
      const t = fields(g.value);
      const name = text(t.find((x) => x.no === 8).value);
      if (names.has(name)) {
        const dims = [];
        for (const d of t.filter((x) => x.no === 1)) {
          if (d.wire === 0) dims.push(Number(d.value));
          else for (let p = 0; p < d.value.length;) { let v; [v, p] = varint(d.value, p); dims.push(Number(v)); }
        }
        const type = Number(t.find((x) => x.no === 2).value);
        const raw = Buffer.from(t.find((x) => x.no === 9)?.value ?? []);
        const bytes = raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.length);
        if (type === 1) state[name] = new ort.Tensor('float32', new Float32Array(bytes), dims);
        else if (type === 7) state[name] = new ort.Tensor('int64', new BigInt64Array(bytes), dims);
        else throw new Error(`state ${name}: ONNX data type ${type} is not handled here`);
        // The training file declares its state as inputs already; model.onnx's parameters become inputs here.
        if (!declared.has(name)) inputs.push(graphInput(name, type, dims));
        continue;
      }
    }
    kept.push(graph.value.subarray(g.start, g.end));
  }
  const rest = model.filter((f) => f.no !== 7).map((f) => modelBytes.subarray(f.start, f.end));
  return { meta, model: Buffer.concat([...rest, lengthDelimited(7, Buffer.concat([...kept, ...inputs]))]), state };
}

function idx(path) {
  const b = gunzipSync(readFileSync(path));
  const dims = b[3];
  const shape = Array.from({ length: dims }, (_, i) => b.readUInt32BE(4 + 4 * i));
  return { shape, data: b.subarray(4 + 4 * dims) };
}

/** Fashion-MNIST as standardised f32 [n, 784] pixels (the training set's mean and std) and int64 labels. */
function load(dir, part, stats) {
  const img = idx(join(dir, `${part}-images-idx3-ubyte.gz`));
  const lab = idx(join(dir, `${part}-labels-idx1-ubyte.gz`));
  const x = new Float32Array(img.data.length);
  for (let i = 0; i < x.length; i++) x[i] = img.data[i] / 255;
  if (!stats) {
    let s = 0, s2 = 0;
    for (const v of x) { s += v; s2 += v * v; }
    const mean = s / x.length;
    stats = { mean, std: Math.sqrt(s2 / x.length - mean * mean) };
  }
  for (let i = 0; i < x.length; i++) x[i] = (x[i] - stats.mean) / stats.std;
  return { x, y: BigInt64Array.from(lab.data, (v) => BigInt(v)), n: img.shape[0], stats };
}

function shuffled(n, seed) {
  let s = (seed * 2654435761 + 1) >>> 0;
  const rand = () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s / 4294967296; };
  const p = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) { const j = Math.floor(rand() * (i + 1)); [p[i], p[j]] = [p[j], p[i]]; }
  return p;
}

const a = args();
const train = load(a.data, 'train');
const test = load(a.data, 't10k', train.stats);
const file = split(readFileSync(join(a.dir, 'train_step.onnx')));
const stateOf = JSON.parse(file.meta['kiln.training.state']);   // state input -> output holding its next value
const [image, labels] = JSON.parse(file.meta['kiln.training.inputs']);
const lossName = file.meta['kiln.training.loss'];
const step = await ort.InferenceSession.create(file.model, { logSeverityLevel: 3 });

// --- the training loop: feed data and state, keep the next state ---
const t0 = Date.now();
let state = file.state;
for (let epoch = 0; epoch < a.epochs; epoch++) {
  const order = shuffled(train.n, a.seed + epoch);
  let sum = 0, steps = 0;
  for (let i = 0; i < train.n; i += a.batchSize) {
    const rows = order.subarray(i, Math.min(i + a.batchSize, train.n));
    const x = new Float32Array(rows.length * 784), y = new BigInt64Array(rows.length);
    rows.forEach((r, k) => { x.set(train.x.subarray(r * 784, r * 784 + 784), k * 784); y[k] = train.y[r]; });
    const out = await step.run({ [image]: new ort.Tensor('float32', x, [rows.length, 784]),
      [labels]: new ort.Tensor('int64', y, [rows.length]), ...state });
    sum += Number(out[lossName].data[0]);
    steps++;
    state = Object.fromEntries(Object.entries(stateOf).map(([s, next]) => [s, out[next]]));
  }
  console.log(`epoch ${epoch + 1}: mean loss ${(sum / steps).toFixed(4)} over ${steps} steps (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
}

// --- the trained parameters into model.onnx (same initializer names), then test accuracy ---
const modelBytes = readFileSync(join(a.dir, 'model.onnx'));
const inference = split(modelBytes, new Set(Object.keys(stateOf)));
const model = await ort.InferenceSession.create(inference.model, { logSeverityLevel: 3 });
const params = Object.fromEntries(Object.keys(inference.state).map((n) => [n, state[n]]));
let correct = 0;
for (let i = 0; i < test.n; i += 1000) {
  const m = Math.min(1000, test.n - i);
  const out = await model.run({ [model.inputNames[0]]: new ort.Tensor('float32', test.x.subarray(i * 784, (i + m) * 784), [m, 784]), ...params });
  const logits = out[model.outputNames[0]].data;
  for (let k = 0; k < m; k++) {
    let best = 0;
    for (let c = 1; c < 10; c++) if (logits[k * 10 + c] > logits[k * 10 + best]) best = c;
    if (BigInt(best) === test.y[i + k]) correct++;
  }
}
const acc = correct / test.n;
console.log(`test accuracy of model.onnx with the trained state (onnxruntime-node ${ort.env.versions?.common ?? ''}): ${acc.toFixed(4)}`);
if (acc < a.minAccuracy) { console.error(`below the required ${a.minAccuracy}`); process.exit(1); }
