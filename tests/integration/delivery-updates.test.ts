/**
 * Progress updates between award and final report, against a real SQLite file and real image files:
 * a group member posts (with photos whose EXIF and GPS position are stripped), only the group may
 * post and only while the grant is being delivered, an officer publishes or sends back (with a
 * reason, audited, the group mailed), two officers checking at once in two processes (one wins), a
 * failed write leaves neither a row nor a file, and nothing unpublished is ever public.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEvents, bids, deliveryUpdatePhotos, deliveryUpdates, outbox } from "~/db/schema";
import { decideBid } from "~/models/decisions.server";
import { checkDeliveryUpdate, postDeliveryUpdate, updatesAwaitingCheck } from "~/models/delivery-updates.server";
import { storedFilePath } from "~/models/attachment-files.server";
import { respondToOffer } from "~/models/offers.server";
import * as updatesRoute from "~/routes/bids.$bidId_.updates";
import * as checkRoute from "~/routes/admin.delivery.$updateId";
import * as queueRoute from "~/routes/admin.delivery._index";
import * as photoRoute from "~/routes/delivery-photos.$photoId";
import * as projectRoute from "~/routes/projects.$bidId";
import * as wardRoute from "~/routes/wards.$code";
import { imageMetadataKinds } from "~/utils/images.server";
import { loadPrincipal } from "~/utils/auth.server";
import { Refusal } from "~/utils/refusal";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { submittedBid, userId } from "../factories";
import { formRequest, getRequest, ORIGIN, responseOf, sessionCookieFor } from "../support/requests";
import { exited, forkTsx } from "../support/ledger-tools";

let t: TestDatabase;
let filesDir: string;
const LEAD = "resident@eastbrook.example"; // Alice Green, lead of Abbey Fields Allotment Society
const OFFICER = "admin@eastbrook.example";
const SECOND_OFFICER = "admin2@eastbrook.example";
const NO_GROUP = "yusuf.osman@residents.example";
const cookies: Record<string, string> = {};
let otherGroupEmail: string;
const principal = (email: string) => loadPrincipal(userId(t.db, email))!;
const key = () => `test-${Math.random().toString(36).slice(2)}`;

const PNG = new Uint8Array(
  await sharp({ create: { width: 8, height: 8, channels: 3, background: "#3a5" } })
    .png()
    .toBuffer(),
);
// A JPEG as a phone writes it: the camera owner and the GPS position in its EXIF.
const JPEG_WITH_GPS = new Uint8Array(
  await sharp({ create: { width: 8, height: 8, channels: 3, background: "#a53" } })
    .jpeg()
    .withExif({
      IFD0: { Artist: "A. Resident", Make: "PhoneCo" },
      IFD3: { GPSLatitudeRef: "N", GPSLatitude: "51/1 30/1 0/1", GPSLongitudeRef: "W", GPSLongitude: "0/1 7/1 0/1" },
    })
    .toBuffer(),
);
const WEBP = new Uint8Array(
  await sharp({ create: { width: 8, height: 8, channels: 3, background: "#35a" } })
    .webp()
    .toBuffer(),
);
const BODY = "The new freezer arrived on Tuesday and is already full of donated food from two local shops.";

beforeAll(async () => {
  t = await createTestDatabase({ seed: true });
  filesDir = fs.mkdtempSync(path.join(os.tmpdir(), "wardfund-delivery-"));
  process.env.ATTACHMENTS_DIR = filesDir;
  otherGroupEmail = (
    t.db.$client
      .prepare(
        `select u.email as email from group_members m join users u on u.id = m.user_id
          where m.group_id = 2 and m.member_role = 'lead'`,
      )
      .get() as { email: string }
  ).email;
  for (const email of [LEAD, OFFICER, SECOND_OFFICER, NO_GROUP, otherGroupEmail, "finance@eastbrook.example"])
    cookies[email] = await sessionCookieFor(email);
});
afterAll(() => {
  t.close();
  fs.rmSync(filesDir, { recursive: true, force: true });
});

/** An Abbey Fields bid whose offer the group has accepted: the grant is being delivered. */
function awardedBid(title: string): number {
  const bidId = submittedBid(t.db, {
    group: "Abbey Fields Allotment Society",
    wards: ["Abbey Fields"],
    pence: 20_000,
    title,
  });
  decideBid(principal("councillor@eastbrook.example"), {
    bidId,
    hasInterest: false,
    outcome: "approve",
    idempotencyKey: key(),
  });
  respondToOffer(principal(LEAD), { bidId, accept: true });
  expect(statusOf(bidId)).toBe("offer-accepted");
  return bidId;
}

const statusOf = (bidId: number) => t.db.select({ s: bids.status }).from(bids).where(eq(bids.id, bidId)).get()!.s;
const updatesOf = (bidId: number) => t.db.select().from(deliveryUpdates).where(eq(deliveryUpdates.bidId, bidId)).all();
const photosOfUpdate = (updateId: number) =>
  t.db.select().from(deliveryUpdatePhotos).where(eq(deliveryUpdatePhotos.updateId, updateId)).all();
const filesOnDisk = () => (fs.existsSync(filesDir) ? fs.readdirSync(filesDir) : []);

type PhotoPart = { field: string; name: string; type: string; bytes: Uint8Array };
function postRequest(bidId: number, cookie: string, fields: Record<string, string>, photos: PhotoPart[] = []) {
  const body = new FormData();
  for (const [name, value] of Object.entries(fields)) body.append(name, value);
  for (const p of photos)
    body.append(p.field, new File([p.bytes as Uint8Array<ArrayBuffer>], p.name, { type: p.type }));
  return new Request(`${ORIGIN}/bids/${bidId}/updates`, {
    method: "POST",
    headers: { Origin: ORIGIN, Cookie: cookie },
    body,
  });
}
const post = (bidId: number, email: string, fields: Record<string, string>, photos: PhotoPart[] = []) =>
  responseOf(() =>
    updatesRoute.action({
      request: postRequest(bidId, cookies[email]!, fields, photos),
      params: { bidId: String(bidId) },
      context: {},
    }),
  );
const check = (updateId: number, email: string, fields: Record<string, string>) =>
  responseOf(() =>
    checkRoute.action({
      request: formRequest(`/admin/delivery/${updateId}`, fields, { cookie: cookies[email] }),
      params: { updateId: String(updateId) },
      context: {},
    }),
  );
async function projectUpdates(bidId: number) {
  const res = (await responseOf(() =>
    projectRoute.loader({ request: getRequest(`/projects/${bidId}`), params: { bidId: String(bidId) }, context: {} }),
  )) as Response;
  expect(res.status).toBe(200);
  type Shown = { body: string; photos: { url: string; altText: string }[] };
  return ((await res.json()) as { deliveryUpdates: Shown[] }).deliveryUpdates;
}
const fetchPhoto = (url: string, email?: string) =>
  responseOf(() =>
    photoRoute.loader({
      request: getRequest(url, email ? cookies[email] : undefined),
      params: { photoId: url.split("/").pop()! },
      context: {},
    }),
  ) as Promise<Response>;
const errorsOf = async (res: Response | { value: unknown }) =>
  (await (res as Response).json()) as { errors: Record<string, string>; formError?: string };

describe("posting a progress update", () => {
  it("stores the text and photos, stripped of EXIF and GPS, awaiting an officer's check", async () => {
    const bidId = awardedBid("Freezer for the larder");
    expect((await imageMetadataKinds(JPEG_WITH_GPS)).includes("exif")).toBe(true);
    const res = (await post(bidId, LEAD, { body: BODY, alt1: "The new freezer, full of food", alt2: "Shelves" }, [
      { field: "photo1", name: "IMG_0001.jpg", type: "image/jpeg", bytes: JPEG_WITH_GPS },
      { field: "photo2", name: "shelves.png", type: "image/png", bytes: PNG },
    ])) as Response;
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe(`/bids/${bidId}/updates?posted=1`);
    const [update] = updatesOf(bidId);
    expect(update).toMatchObject({ body: BODY, status: "awaiting-check", checkedBy: null });
    const photos = photosOfUpdate(update!.id);
    expect(photos.map((p) => [p.position, p.contentType, p.altText])).toEqual([
      [1, "image/jpeg", "The new freezer, full of food"],
      [2, "image/png", "Shelves"],
    ]);
    for (const photo of photos) {
      const stored = new Uint8Array(fs.readFileSync(storedFilePath(photo.storageKey)!));
      expect(await imageMetadataKinds(stored)).toEqual([]);
      expect(Buffer.from(stored).includes(Buffer.from("A. Resident"))).toBe(false);
    }
    const audit = t.db.select().from(auditEvents).where(eq(auditEvents.action, "delivery-update.posted")).all();
    expect(audit.some((a) => a.entityId === String(bidId) && a.actorUserId === userId(t.db, LEAD))).toBe(true);
    expect(updatesAwaitingCheck().map((u) => u.id)).toContain(update!.id);
  });

  it("answers bad input beside each field and stores nothing", async () => {
    const bidId = awardedBid("Bad input bid");
    const before = filesOnDisk().length;
    const short = await errorsOf(await post(bidId, LEAD, { body: "Too short" }));
    expect(short.errors.body).toBe("delivery:errors.bodyShort");
    const long = await errorsOf(await post(bidId, LEAD, { body: "x".repeat(3001) }));
    expect(long.errors.body).toBe("delivery:errors.bodyLong");
    const photoErrors = await errorsOf(
      await post(bidId, LEAD, { body: BODY, alt2: "A photo that was not chosen", alt3: "Blue square" }, [
        { field: "photo1", name: "a.png", type: "image/png", bytes: PNG },
        { field: "photo3", name: "b.webp", type: "image/webp", bytes: WEBP },
      ]),
    );
    expect(photoErrors.errors).toEqual({
      alt1: "delivery:errors.altRequired",
      photo2: "delivery:errors.altWithoutPhoto",
      photo3: "delivery:errors.photoType",
    });
    const notImage = await errorsOf(
      await post(bidId, LEAD, { body: BODY, alt1: "Text" }, [
        { field: "photo1", name: "a.jpg", type: "image/jpeg", bytes: new TextEncoder().encode("<html></html>") },
      ]),
    );
    expect(notImage.errors.photo1).toBe("delivery:errors.photoType");
    expect(updatesOf(bidId)).toEqual([]);
    expect(filesOnDisk().length).toBe(before);
  });
});

describe("who may post, and when", () => {
  it("refuses a resident in no group and a member of another group", async () => {
    const bidId = awardedBid("Members only bid");
    for (const email of [NO_GROUP, otherGroupEmail]) {
      const res = (await post(bidId, email, { body: BODY })) as Response;
      expect(res.status).toBe(403);
      const page = (await responseOf(() =>
        updatesRoute.loader({
          request: getRequest(`/bids/${bidId}/updates`, cookies[email]),
          params: { bidId: String(bidId) },
          context: {},
        }),
      )) as Response;
      expect(page.status).toBe(403);
      expect(() => postDeliveryUpdate(principal(email), bidId, { body: BODY, photos: [] })).toThrow(Refusal);
    }
    expect(updatesOf(bidId)).toEqual([]);
  });

  it("refuses updates before the award and after the bid closes", async () => {
    const submitted = submittedBid(t.db, {
      group: "Abbey Fields Allotment Society",
      wards: ["Abbey Fields"],
      pence: 5_000,
    });
    const early = await errorsOf(await post(submitted, LEAD, { body: BODY }));
    expect(early.formError).toBe("delivery:errors.notInDelivery");
    const closed = awardedBid("Closed bid");
    t.db.update(bids).set({ status: "closed" }).where(eq(bids.id, closed)).run();
    const late = (await post(closed, LEAD, { body: BODY })) as Response;
    expect(late.status).toBe(409);
    expect(updatesOf(submitted)).toEqual([]);
    expect(updatesOf(closed)).toEqual([]);
  });

  it("leaves neither an update nor a file when the write fails after the files were written", () => {
    const bidId = awardedBid("Crash bid");
    const before = filesOnDisk().length;
    // The second photo's row cannot be written: the transaction rolls back after both files are on disk.
    t.db.$client.exec(
      `create trigger crash_second_photo before insert on delivery_update_photos when new.position = 2
       begin select raise(abort, 'disk gave way'); end`,
    );
    try {
      expect(() =>
        postDeliveryUpdate(principal(LEAD), bidId, {
          body: BODY,
          photos: [
            { upload: { fileName: "a.png", sizeBytes: PNG.byteLength, bytes: PNG }, altText: "One" },
            { upload: { fileName: "b.png", sizeBytes: PNG.byteLength, bytes: PNG }, altText: "Two" },
          ],
        }),
      ).toThrow(/disk gave way/);
    } finally {
      t.db.$client.exec("drop trigger crash_second_photo");
    }
    expect(updatesOf(bidId)).toEqual([]);
    expect(filesOnDisk().length).toBe(before);
  });
});

describe("an officer's check", () => {
  it("keeps an unpublished update and its photos off every public page, then publishes it", async () => {
    const bidId = awardedBid("Publish bid");
    await post(bidId, LEAD, { body: BODY, alt1: "Volunteers at the freezer" }, [
      { field: "photo1", name: "v.png", type: "image/png", bytes: PNG },
    ]);
    const [update] = updatesOf(bidId);
    const [photo] = photosOfUpdate(update!.id);
    const url = `/delivery-photos/${photo!.id}`;
    expect(await projectUpdates(bidId)).toEqual([]);
    expect((await fetchPhoto(url)).status).toBe(404);
    expect((await fetchPhoto(url, otherGroupEmail)).status).toBe(404);
    expect((await fetchPhoto(url, NO_GROUP)).status).toBe(404);
    expect((await fetchPhoto(url, LEAD)).status).toBe(200);
    const forOfficer = await fetchPhoto(url, OFFICER);
    expect(forOfficer.status).toBe(200);
    expect(forOfficer.headers.get("Cache-Control")).toBe("private, no-store");

    const queue = (await responseOf(() =>
      queueRoute.loader({ request: getRequest("/admin/delivery", cookies[OFFICER]), params: {}, context: {} }),
    )) as Response;
    expect(((await queue.json()) as { updates: { id: number }[] }).updates.map((u) => u.id)).toContain(update!.id);
    const financeQueue = (await responseOf(() =>
      queueRoute.loader({
        request: getRequest("/admin/delivery", cookies["finance@eastbrook.example"]),
        params: {},
        context: {},
      }),
    )) as Response;
    expect(financeQueue.status).toBe(403);
    expect(((await check(update!.id, "finance@eastbrook.example", { intent: "publish" })) as Response).status).toBe(
      403,
    );

    const mailBefore = t.db.select().from(outbox).all().length;
    const res = (await check(update!.id, OFFICER, { intent: "publish" })) as Response;
    expect(res.status).toBe(302);
    expect(updatesOf(bidId)[0]).toMatchObject({ status: "published", checkedBy: userId(t.db, OFFICER) });
    const shown = await projectUpdates(bidId);
    expect(shown).toHaveLength(1);
    expect(shown[0]).toMatchObject({ body: BODY, photos: [{ url, altText: "Volunteers at the freezer" }] });
    const publicPhoto = await fetchPhoto(url);
    expect(publicPhoto.status).toBe(200);
    expect(publicPhoto.headers.get("Content-Type")).toBe("image/png");
    const mails = t.db.select().from(outbox).all().slice(mailBefore);
    expect(mails.some((m) => m.toAddress === LEAD && m.subject.includes("is published"))).toBe(true);
    const audit = t.db.select().from(auditEvents).where(eq(auditEvents.action, "delivery-update.published")).all();
    expect(audit.some((a) => a.entityId === String(bidId) && a.actorUserId === userId(t.db, OFFICER))).toBe(true);

    const code = t.db.$client
      .prepare(
        `select w.gss_code as code from bid_wards bw join wards w on w.id = bw.ward_id where bw.bid_id = ? limit 1`,
      )
      .get(bidId) as { code: string };
    const ward = (await responseOf(() =>
      wardRoute.loader({ request: getRequest(`/wards/${code.code}`), params: { code: code.code }, context: {} }),
    )) as Response;
    const wardData = (await ward.json()) as { progress: Record<string, { count: number }> };
    expect(wardData.progress[String(bidId)]?.count).toBe(1);
  });

  it("sends an update back only with a reason, audits the reason and mails it to the group", async () => {
    const bidId = awardedBid("Send back bid");
    await post(bidId, LEAD, { body: BODY });
    const [update] = updatesOf(bidId);
    const noReason = (await check(update!.id, OFFICER, { intent: "send-back", reason: "  " })) as Response;
    expect(noReason.status).toBe(400);
    expect((await errorsOf(noReason)).errors.reason).toBe("delivery:errors.reasonRequired");
    expect(updatesOf(bidId)[0]!.status).toBe("awaiting-check");

    const reason = "Please say how many families used the larder.";
    const res = (await check(update!.id, OFFICER, { intent: "send-back", reason })) as Response;
    expect(res.status).toBe(302);
    expect(updatesOf(bidId)[0]).toMatchObject({ status: "sent-back", sendBackReason: reason });
    expect(await projectUpdates(bidId)).toEqual([]);
    const audit = t.db.select().from(auditEvents).where(eq(auditEvents.action, "delivery-update.sent-back")).all();
    expect(audit.find((a) => a.entityId === String(bidId))).toMatchObject({
      actorUserId: userId(t.db, OFFICER),
      reason,
    });
    const mail = t.db
      .select()
      .from(outbox)
      .all()
      .find((m) => m.toAddress === LEAD && m.subject.includes("was sent back"));
    expect(mail?.body).toContain(reason);
    // A checked update does not change again, even written directly.
    expect(() =>
      t.db.update(deliveryUpdates).set({ status: "published" }).where(eq(deliveryUpdates.id, update!.id)).run(),
    ).toThrow(/does not change/);
  });

  it("tells the second of two officers checking one update that it is already checked", async () => {
    const bidId = awardedBid("Two officers bid");
    await post(bidId, LEAD, { body: BODY });
    const [update] = updatesOf(bidId);
    // Both officers opened the page; the first publishes, the second's send-back arrives after.
    expect(((await check(update!.id, OFFICER, { intent: "publish" })) as Response).status).toBe(302);
    const second = (await check(update!.id, SECOND_OFFICER, { intent: "send-back", reason: "Too late" })) as Response;
    expect(second.status).toBe(409);
    expect((await errorsOf(second)).formError).toBe("delivery:errors.alreadyChecked");
    expect(updatesOf(bidId)[0]).toMatchObject({ status: "published", checkedBy: userId(t.db, OFFICER) });
  });

  it("lets exactly one of two officers in two processes check the same update at the same moment", async () => {
    const bidId = awardedBid("Race bid");
    await post(bidId, LEAD, { body: BODY });
    const [update] = updatesOf(bidId);
    const officers = [
      [userId(t.db, OFFICER), "publish"],
      [userId(t.db, SECOND_OFFICER), "send-back"],
    ] as const;
    const workers = officers.map(([id, action]) =>
      forkTsx("tests/support/delivery-check-worker.ts", [t.file, id, String(update!.id), action]),
    );
    const stderr: string[] = [];
    const inbox = workers.map((child) => {
      child.stderr!.on("data", (chunk) => stderr.push(String(chunk)));
      const messages: { type: string; result?: Record<string, unknown> }[] = [];
      child.on("message", (m: { type: string; result?: Record<string, unknown> }) => messages.push(m));
      const next = async (type: string) => {
        for (;;) {
          const found = messages.find((m) => m.type === type);
          if (found) return found;
          if (child.exitCode !== null) throw new Error(`worker exited before "${type}": ${stderr.join("")}`);
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      };
      return { child, next };
    });
    await Promise.all(inbox.map((w) => w.next("ready")));
    for (const w of inbox) w.child.send({ type: "go" });
    const results = (await Promise.all(inbox.map((w) => w.next("result")))).map((m) => m.result!);
    await Promise.all(workers.map(exited));
    expect(results.filter((r) => r.outcome === "failed")).toEqual([]);
    const won = results.filter((r) => r.outcome === "checked");
    const lost = results.filter((r) => r.outcome === "refused");
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(lost[0]).toMatchObject({ message: "delivery:errors.alreadyChecked", code: "already-checked", status: 409 });
    const row = updatesOf(bidId)[0]!;
    expect(row.checkedBy).toBe(won[0]!.officerId);
    expect(row.status).toBe(won[0]!.status);
    const checks = t.db
      .select()
      .from(auditEvents)
      .all()
      .filter((a) => a.entityId === String(bidId) && /^delivery-update\.(published|sent-back)$/.test(a.action));
    expect(checks).toHaveLength(1);
  }, 60_000);

  it("refuses an officer checking an update they posted themselves", () => {
    const bidId = awardedBid("Own update bid");
    const officer = principal(OFFICER);
    // The officer is also a member of the group (as a volunteer might be) and posts an update.
    const asMember = { ...officer, groupIds: [...officer.groupIds, ...principal(LEAD).groupIds] };
    const updateId = postDeliveryUpdate(asMember, bidId, { body: BODY, photos: [] });
    expect(() => checkDeliveryUpdate(officer, updateId, { action: "publish" })).toThrow(
      expect.objectContaining({ code: "own-update" }),
    );
    expect(checkDeliveryUpdate(principal(SECOND_OFFICER), updateId, { action: "publish" })).toBe("published");
  });
});

describe("the demo", () => {
  it("has a grant with a published update (with a described photo) and one waiting for a check", () => {
    const rows = t.db.$client
      .prepare(
        `select u.status as status, (select count(*) from delivery_update_photos p where p.update_id = u.id) as photos
           from delivery_updates u join bids b on b.id = u.bid_id
          where b.title = 'Chest freezer for the larder' order by u.posted_at`,
      )
      .all();
    expect(rows).toEqual([
      { status: "published", photos: 1 },
      { status: "awaiting-check", photos: 0 },
    ]);
  });
});
