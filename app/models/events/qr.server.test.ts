import jsQR from "jsqr";
import QRCode from "qrcode";
import { describe, expect, it } from "vitest";
import { RECEIPT_QR_OPTIONS, receiptQrSegments, receiptQrSvg } from "./qr.server";

/** Draws a QR code's modules as a black-on-white RGBA image (4 pixels a module, a 4-module margin) and reads it. */
function read(text: string): string | null {
  const { modules } = QRCode.create(receiptQrSegments(text), RECEIPT_QR_OPTIONS);
  const scale = 4;
  const margin = 4;
  const side = (modules.size + 2 * margin) * scale;
  const pixels = new Uint8ClampedArray(side * side * 4).fill(255);
  for (let row = 0; row < modules.size; row++)
    for (let col = 0; col < modules.size; col++) {
      if (!modules.get(row, col)) continue;
      for (let y = 0; y < scale; y++)
        for (let x = 0; x < scale; x++) {
          const at = (((row + margin) * scale + y) * side + (col + margin) * scale + x) * 4;
          pixels.fill(0, at, at + 3);
        }
    }
  return jsQR(pixels, side, side)?.data ?? null;
}

describe("receipt QR codes", () => {
  it("read back as the receipt check link, whatever the link's characters", () => {
    for (const link of [
      "https://vote.eastbrook.gov.uk/rounds/12/receipt?receipt=ABCD-EFGH-JKMN-PQRS",
      "http://127.0.0.1:3000/rounds/4/receipt?receipt=7K3M-9QRT-WX2B-HF4D",
      "https://pleidlais.example.cymru/rowndiau/3/derbynneb?derbynneb=ŵŷâ-1234",
    ])
      expect(read(link)).toBe(link);
  });

  it("are drawn as an SVG image", async () => {
    const svg = await receiptQrSvg("https://vote.eastbrook.gov.uk/rounds/12/receipt?receipt=ABCD-EFGH-JKMN-PQRS");
    expect(svg).toMatch(/^<svg [^>]*viewBox="0 0 \d+ \d+"/);
    expect(svg).toContain('stroke="#000000"');
  });
});
