/** Types of ledger-chain-scan.server.mjs (plain JavaScript, so that a worker thread can run it as it stands). */
import type Database from "better-sqlite3";

export declare const SCAN_PROTOCOL: number;
export declare const NEXT_RANGE: number;
export declare const REPLIES_POSTED: number;

export declare function scanLogRange(
  client: Database.Database,
  rule: string,
  fromSeq: number,
  toSeq: number,
  startHash: string,
  payloadSeqOf: (payload: string, seq: number) => number,
  checkpoints: ReadonlyMap<number, string> | null,
): string | null;

/** What the worker thread is started with. */
export interface ScanWorkerData {
  ledgerChainScan: number;
  file: string;
  rule: string;
  froms: number[];
  tos: number[];
  starts: string[];
  checkpoints: Map<number, string>;
  plainLayout: RegExp;
  control: Int32Array;
  port: import("node:worker_threads").MessagePort;
}

/** One reply per range (see the module). */
export interface ScanReply {
  range: number;
  end: string | null;
  dates: string[];
  deferred: (number | string)[];
}
