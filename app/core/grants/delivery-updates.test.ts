import { describe, expect, it } from "vitest";
import { acceptsDeliveryUpdates, checkUpdatePhoto, decideUpdate, MAX_PHOTO_BYTES } from "./delivery-updates";

const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]);
const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0]);
const webp = new Uint8Array([...Buffer.from("RIFF"), 0, 0, 0, 0, ...Buffer.from("WEBP")]);

describe("delivery updates", () => {
  it("are accepted from the accepted offer until the bid closes", () => {
    expect(acceptsDeliveryUpdates("offer-accepted")).toBe(true);
    expect(acceptsDeliveryUpdates("paid")).toBe(true);
    expect(acceptsDeliveryUpdates("monitoring-due")).toBe(true);
    expect(acceptsDeliveryUpdates("approved")).toBe(false);
    expect(acceptsDeliveryUpdates("closed")).toBe(false);
    expect(acceptsDeliveryUpdates("withdrawn")).toBe(false);
  });

  it("take JPEG and PNG photos by their bytes, up to the size limit", () => {
    expect(checkUpdatePhoto({ fileName: "a.png", sizeBytes: png.length, bytes: png })).toEqual({
      ok: true,
      contentType: "image/png",
      fileName: "a.png",
    });
    expect(checkUpdatePhoto({ fileName: "a.jpg", sizeBytes: jpeg.length, bytes: jpeg }).ok).toBe(true);
    expect(checkUpdatePhoto({ fileName: "a.webp", sizeBytes: webp.length, bytes: webp })).toEqual({
      ok: false,
      message: "delivery:errors.photoType",
    });
    expect(checkUpdatePhoto({ fileName: "a.jpg", sizeBytes: MAX_PHOTO_BYTES + 1, bytes: jpeg })).toEqual({
      ok: false,
      message: "delivery:errors.photoTooBig",
    });
    expect(checkUpdatePhoto({ fileName: "a.jpg", sizeBytes: 0, bytes: new Uint8Array() }).ok).toBe(false);
  });

  it("move once from awaiting check, and a send-back needs a reason", () => {
    expect(decideUpdate("awaiting-check", { action: "publish" })).toEqual({ ok: true, to: "published" });
    expect(decideUpdate("awaiting-check", { action: "send-back", reason: "Blur the faces" })).toEqual({
      ok: true,
      to: "sent-back",
    });
    expect(decideUpdate("awaiting-check", { action: "send-back", reason: "  " }).ok).toBe(false);
    expect(decideUpdate("published", { action: "publish" })).toEqual({
      ok: false,
      message: "delivery:errors.alreadyChecked",
    });
  });
});
