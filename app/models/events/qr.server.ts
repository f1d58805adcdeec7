/** QR codes drawn on the server as SVG (the `qrcode` package), for enrolment links and receipts. */
import QRCode, { type QRCodeSegment } from "qrcode";

export async function qrSvg(text: string): Promise<string> {
  return QRCode.toString(text, {
    type: "svg",
    errorCorrectionLevel: "M",
    margin: 2,
    color: { dark: "#000000", light: "#ffffff" },
  });
}

/**
 * How a receipt's QR code is made. It is drawn on every kiosk cast, so the cheap way: the whole link as
 * one byte-mode segment, rather than searching for the shortest mix of modes (about 0.6 ms a code), and
 * one fixed mask pattern, which any reader decodes, rather than scoring all eight (about 2 ms a code).
 */
export function receiptQrSegments(text: string): QRCodeSegment[] {
  return [{ data: Buffer.from(text, "utf8"), mode: "byte" }];
}
export const RECEIPT_QR_OPTIONS = { errorCorrectionLevel: "M", maskPattern: 0 } as const;

export async function receiptQrSvg(text: string): Promise<string> {
  return QRCode.toString(receiptQrSegments(text), {
    type: "svg",
    ...RECEIPT_QR_OPTIONS,
    margin: 2,
    color: { dark: "#000000", light: "#ffffff" },
  });
}
