import { describe, expect, it } from "vitest";
import { createHash } from "node:crypto";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ledgerLogLines } from "./audit-pack";
import { GENESIS_PREV_HASH, verifyChain } from "./chain";
import { goldenVectorRows } from "./golden-vectors";
import { parsePayloadV1 } from "./payload";
import { sampleLedger } from "./test-support";

const VERIFY_MD = readFileSync(new URL("./VERIFY.md", import.meta.url), "utf8");

interface DocumentedVector {
  prevHash: string;
  payload: string;
  hash: string;
}

/** Reads the vectors out of VERIFY.md: each "### Vector n" section's three code blocks, in order. */
function vectorsInDocument(markdown: string): DocumentedVector[] {
  const sections = markdown.split(/^### Vector \d+$/m).slice(1);
  return sections.map((section) => {
    const blocks = [...section.matchAll(/^```[a-z]*\n([\s\S]*?)\n```$/gm)].map((m) => m[1]!);
    expect(blocks).toHaveLength(3);
    return { prevHash: blocks[0]!, payload: blocks[1]!, hash: blocks[2]! };
  });
}

describe("VERIFY.md", () => {
  const documented = vectorsInDocument(VERIFY_MD);

  it("holds two vectors, the first from genesis and the second chained to it", () => {
    expect(documented).toHaveLength(2);
    expect(documented[0]!.prevHash).toBe(GENESIS_PREV_HASH);
    expect(documented[1]!.prevHash).toBe(documented[0]!.hash);
  });

  it("the code reproduces each documented payload and hash exactly", () => {
    const rows = goldenVectorRows();
    rows.forEach((row, i) => {
      expect(row.prevHash).toBe(documented[i]!.prevHash);
      expect(row.payload).toBe(documented[i]!.payload);
      expect(row.hash).toBe(documented[i]!.hash);
    });
  });

  it("the documented hashes follow from the documented rule with plain SHA-256", () => {
    for (const v of documented) {
      const digest = createHash("sha256")
        .update(Buffer.from(`CGL-v1\n${v.prevHash}\n${v.payload}`, "utf8"))
        .digest("hex");
      expect(digest).toBe(v.hash);
    }
  });

  it("the documented payloads are valid canonical payloads and form a valid chain", () => {
    const rows = documented.map((v, i) => ({ seq: i + 1, prevHash: v.prevHash, hash: v.hash, payload: v.payload }));
    expect(verifyChain(rows)).toMatchObject({ ok: true, count: 2 });
    expect(parsePayloadV1(documented[1]!.payload).memo).toBe(
      'Riverside Allotment Society – "raised beds" for the Café garden',
    );
  });

  it("lists every payload key it describes", () => {
    const payload = parsePayloadV1(documented[0]!.payload);
    for (const key of Object.keys(payload)) expect(VERIFY_MD).toContain(`| \`${key}\` |`);
  });

  const python = spawnSync("python3", ["--version"]).status === 0;
  it.skipIf(!python)("the Python reference in §3 verifies a real log and rejects a tampered one", () => {
    const script = /^```python\n([\s\S]*?)\n```$/m.exec(VERIFY_MD)![1]!;
    const dir = mkdtempSync(join(tmpdir(), "verify-md-"));
    writeFileSync(join(dir, "verify_chain.py"), script);
    const sample = sampleLedger();
    const log = [...ledgerLogLines(sample.rows)].join("");
    writeFileSync(join(dir, "good.jsonl"), log);
    const output = execFileSync("python3", [join(dir, "verify_chain.py"), join(dir, "good.jsonl")], {
      encoding: "utf8",
    });
    expect(output.trim()).toBe(`chain OK: 12 entries, head ${sample.head.hash}`);

    writeFileSync(join(dir, "bad.jsonl"), log.replace("AP-2025-118834", "AP-2025-118835"));
    const bad = spawnSync("python3", [join(dir, "verify_chain.py"), join(dir, "bad.jsonl")], { encoding: "utf8" });
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toContain("seq 5: hash does not match");

    const vectors = documented
      .map(
        (v, i) =>
          `{"seq":${i + 1},"prev_hash":"${v.prevHash}","hash":"${v.hash}","payload":${JSON.stringify(v.payload)}}\n`,
      )
      .join("");
    writeFileSync(join(dir, "vectors.jsonl"), vectors);
    expect(
      execFileSync("python3", [join(dir, "verify_chain.py"), join(dir, "vectors.jsonl")], { encoding: "utf8" }),
    ).toContain(documented[1]!.hash);
  });
});
