/** QR codes drawn on the server as SVG (the `qrcode` package), for enrolment links and receipts. */
import QRCode from "qrcode";

export async function qrSvg(text: string): Promise<string> {
  return QRCode.toString(text, {
    type: "svg",
    errorCorrectionLevel: "M",
    margin: 2,
    color: { dark: "#000000", light: "#ffffff" },
  });
}

/**
 * The receipt's QR code on a kiosk, drawn on every cast: with one fixed mask pattern, which any reader
 * decodes, instead of scoring all eight (which is most of the drawing's time, about 2 ms a code).
 */
export async function receiptQrSvg(text: string): Promise<string> {
  return QRCode.toString(text, {
    type: "svg",
    errorCorrectionLevel: "M",
    maskPattern: 0,
    margin: 2,
    color: { dark: "#000000", light: "#ffffff" },
  });
}
