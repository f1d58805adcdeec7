import { describe, expect, it } from "vitest";
import { messageText } from "~/utils/message-text";
import {
  checkPhotoUpload,
  checkUpload,
  cleanFileName,
  contentDisposition,
  MAX_FILE_BYTES,
  sniffFileType,
} from "./files";

const bytes = (...values: (number | string)[]) =>
  new Uint8Array(values.flatMap((v) => (typeof v === "string" ? [...v].map((c) => c.charCodeAt(0)) : [v])));

const PNG = bytes(0x89, "PNG", 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13);
const JPEG = bytes(0xff, 0xd8, 0xff, 0xe0, 0, 16, "JFIF");
const WEBP = bytes("RIFF", 0x24, 0, 0, 0, "WEBPVP8 ");
const PDF = bytes("%PDF-1.7\n");

describe("sniffFileType", () => {
  it("knows PNG, JPEG, WebP and PDF by their first bytes", () => {
    expect(sniffFileType(PNG)).toBe("image/png");
    expect(sniffFileType(JPEG)).toBe("image/jpeg");
    expect(sniffFileType(WEBP)).toBe("image/webp");
    expect(sniffFileType(PDF)).toBe("application/pdf");
  });
  it("refuses anything else, whatever it is called", () => {
    expect(sniffFileType(bytes("<svg xmlns='http://www.w3.org/2000/svg'>"))).toBeNull();
    expect(sniffFileType(bytes("<html><script>alert(1)</script>"))).toBeNull();
    expect(sniffFileType(bytes("GIF89a"))).toBeNull();
    expect(sniffFileType(bytes("RIFF", 0, 0, 0, 0, "WAVE"))).toBeNull();
    expect(sniffFileType(bytes(0x89, "PN"))).toBeNull();
    expect(sniffFileType(new Uint8Array())).toBeNull();
  });
});

describe("checkUpload", () => {
  it("accepts a PDF and stores its sniffed type, not the declared one", () => {
    expect(checkUpload({ fileName: "quote.pdf", sizeBytes: PDF.length, bytes: PDF }, 0)).toEqual({
      ok: true,
      contentType: "application/pdf",
      fileName: "quote.pdf",
    });
  });
  it("refuses a sixth file, an empty file, a file over 10 MB and the wrong bytes", () => {
    expect(refused(checkUpload({ fileName: "a.png", sizeBytes: PNG.length, bytes: PNG }, 5))).toEqual(
      expect.stringContaining("at most 5 files"),
    );
    expect(refused(checkUpload({ fileName: "a.png", sizeBytes: 0, bytes: new Uint8Array() }, 0))).toEqual(
      "Choose a file to upload.",
    );
    expect(refused(checkUpload({ fileName: "a.png", sizeBytes: MAX_FILE_BYTES + 1, bytes: PNG }, 0))).toEqual(
      "The file must be smaller than 10 MB.",
    );
    expect(refused(checkUpload({ fileName: "a.png", sizeBytes: 10, bytes: bytes("not a png!") }, 0))).toEqual(
      expect.stringContaining("PNG, JPEG or WebP"),
    );
  });
  it("accepts exactly 10 MB", () => {
    expect(checkUpload({ fileName: "a.png", sizeBytes: MAX_FILE_BYTES, bytes: PNG }, 4).ok).toBe(true);
  });
});

describe("file names", () => {
  it("keeps the last path segment and drops characters that break headers", () => {
    expect(cleanFileName('C:\\Users\\me\\quote "final".pdf', "application/pdf")).toBe("quote final.pdf");
    expect(cleanFileName("../../etc/passwd", "image/png")).toBe("passwd");
    expect(cleanFileName("line\r\nbreak.png", "image/png")).toBe("linebreak.png");
    expect(cleanFileName("", "image/jpeg")).toBe("file.jpg");
    expect(cleanFileName(".htaccess", "image/png")).toBe("file.png");
  });
  it("writes an ASCII fallback and the exact UTF-8 name", () => {
    expect(contentDisposition("café plan.pdf", "attachment")).toBe(
      `attachment; filename="caf_ plan.pdf"; filename*=UTF-8''caf%C3%A9%20plan.pdf`,
    );
  });
});

describe("checkPhotoUpload", () => {
  const photo = (fileName: string, content: Uint8Array, sizeBytes = content.length) => ({
    fileName,
    sizeBytes,
    bytes: content,
  });
  it("takes PNG, JPEG and WebP images by their bytes", () => {
    expect(checkPhotoUpload(photo("a.png", PNG), 0)).toEqual({ ok: true, contentType: "image/png", fileName: "a.png" });
    expect(checkPhotoUpload(photo("b", JPEG), 4)).toEqual({ ok: true, contentType: "image/jpeg", fileName: "b" });
    expect(checkPhotoUpload(photo("c.webp", WEBP), 0)).toMatchObject({ ok: true, contentType: "image/webp" });
  });
  it("refuses a PDF, a disguised file, an empty or oversized one, and a sixth photo", () => {
    expect(refused(checkPhotoUpload(photo("report.pdf", PDF), 0))).toEqual(
      '"report.pdf" is not a photo: each photo must be a PNG, JPEG or WebP image.',
    );
    expect(checkPhotoUpload(photo("x.jpg", bytes("<html>")), 0)).toMatchObject({ ok: false });
    expect(refused(checkPhotoUpload(photo("e.png", new Uint8Array(), 0), 0))).toEqual("Choose a photo to upload.");
    expect(refused(checkPhotoUpload(photo("big.png", PNG, MAX_FILE_BYTES + 1), 0))).toEqual(
      '"big.png" is too big: each photo must be smaller than 10 MB.',
    );
    expect(refused(checkPhotoUpload(photo("a.png", PNG), 5))).toEqual("A monitoring report can have at most 5 photos.");
  });
});

/** The English text of a refused upload's message, or null when the upload was taken. */
function refused(check: { ok: true } | { ok: false; message: string }): string | null {
  return check.ok ? null : messageText(check.message, "en");
}
