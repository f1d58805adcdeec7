import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { imageMetadataKinds, UnreadableImage, withoutImageMetadata } from "~/utils/images.server";
import { readUploadForm } from "~/utils/uploads.server";

/** A JPEG as a phone writes it: camera, author and a GPS position in its EXIF, and an orientation tag. */
async function photoWithGps(): Promise<Uint8Array> {
  const buffer = await sharp({ create: { width: 40, height: 20, channels: 3, background: "#2a7" } })
    .jpeg()
    .withExif({
      IFD0: { Make: "PhoneCo", Model: "Pocket 9", Artist: "A. Resident" },
      IFD3: {
        GPSLatitudeRef: "N",
        GPSLatitude: "51/1 30/1 1234/100",
        GPSLongitudeRef: "W",
        GPSLongitude: "0/1 7/1 0/1",
      },
    })
    .withMetadata({ orientation: 6 })
    .toBuffer();
  return new Uint8Array(buffer);
}

function multipart(field: string, name: string, bytes: Uint8Array, type: string): Request {
  const body = new FormData();
  body.append("intent", "add-photos");
  body.append(field, new Blob([Buffer.from(bytes)], { type }), name);
  return new Request("http://localhost/upload", { method: "POST", body });
}

describe("image metadata", () => {
  it("is gone from a JPEG after an upload is read, and the photo is turned upright", async () => {
    const original = await photoWithGps();
    expect(await imageMetadataKinds(original)).toContain("exif");
    expect((await sharp(original).metadata()).orientation).toBe(6);
    expect(Buffer.from(original).includes(Buffer.from("PhoneCo"))).toBe(true);

    const read = await readUploadForm(multipart("photos", "park.jpg", original, "image/jpeg"), {
      field: "photos",
      maxFiles: 3,
    });
    if (read === "too-large") throw new Error("unexpected");
    expect(read.formData.get("intent")).toBe("add-photos");
    const [photo] = read.files;
    expect(photo!.fileName).toBe("park.jpg");
    expect(photo!.sizeBytes).toBe(photo!.bytes.byteLength);
    expect(await imageMetadataKinds(photo!.bytes)).toEqual([]);
    for (const text of ["PhoneCo", "Pocket 9", "A. Resident", "Exif"])
      expect(Buffer.from(photo!.bytes).includes(Buffer.from(text)), text).toBe(false);
    // Orientation 6 means "turn 90° clockwise": the stored image is upright, so its sides swap.
    const meta = await sharp(photo!.bytes).metadata();
    expect([meta.format, meta.width, meta.height, meta.orientation]).toEqual(["jpeg", 20, 40, undefined]);
  });

  it("is gone from PNG and WebP images, which keep their format", async () => {
    for (const format of ["png", "webp"] as const) {
      const bytes = new Uint8Array(
        await sharp({ create: { width: 8, height: 8, channels: 3, background: "#123" } })
          [format]()
          .withExif({ IFD0: { Artist: "Someone" } })
          .toBuffer(),
      );
      expect(await imageMetadataKinds(bytes)).toContain("exif");
      const stripped = await withoutImageMetadata({ fileName: `a.${format}`, sizeBytes: bytes.length, bytes });
      expect(await imageMetadataKinds(stripped.bytes)).toEqual([]);
      expect((await sharp(stripped.bytes).metadata()).format).toBe(format);
    }
  });

  it("leaves a PDF as it is and refuses an image it cannot decode", async () => {
    const pdf = new TextEncoder().encode("%PDF-1.4\n% a quote\n");
    expect(await withoutImageMetadata({ fileName: "quote.pdf", sizeBytes: pdf.length, bytes: pdf })).toEqual({
      fileName: "quote.pdf",
      sizeBytes: pdf.length,
      bytes: pdf,
    });
    const broken = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4]);
    await expect(withoutImageMetadata({ fileName: "broken.jpg", sizeBytes: 8, bytes: broken })).rejects.toBeInstanceOf(
      UnreadableImage,
    );
    const read = await readUploadForm(multipart("file", "broken.jpg", broken, "image/jpeg"), {
      field: "file",
      maxFiles: 1,
    });
    if (read === "too-large") throw new Error("unexpected");
    expect(read.files).toEqual([]);
    expect(read.unreadable).toEqual(["broken.jpg"]);
  });
});
