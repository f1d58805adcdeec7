import fs from "node:fs";
import { messageText } from "~/utils/message-text";
import os from "node:os";
import path from "node:path";
import { and, eq } from "drizzle-orm";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { londonDateOf } from "~/core/ledger";
import { attachments, bids, funds, grantOffers, wards } from "~/db/schema";
import { decideBid } from "~/models/decisions.server";
import { confirmPayment, requestPayment } from "~/models/finance.server";
import { addMonitoringPhoto, openDueMonitoring } from "~/models/monitoring.server";
import { respondToOffer } from "~/models/offers.server";
import { loadPrincipal } from "~/utils/auth.server";
import * as monitoringRoute from "~/routes/bids.$bidId_.monitoring";
import * as fileRoute from "~/routes/bids.$bidId.files.$fileId";
import * as wardRoute from "~/routes/wards.$code";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { submittedBid, userId } from "../factories";
import { getRequest, ORIGIN, responseOf, sessionCookieFor } from "../support/requests";
import { Refusal } from "~/utils/refusal";
import { imageMetadataKinds } from "~/utils/images.server";

let t: TestDatabase;
let filesDir: string;
let leadCookie: string;
let otherGroupCookie: string;
let otherGroupLeadId: string;
const LEAD = "resident@eastbrook.example";
const principal = (email: string) => loadPrincipal(userId(t.db, email))!;
const key = () => `test-${Math.random().toString(36).slice(2)}`;

// Real images (uploads are decoded and encoded again to drop their metadata), the JPEG with EXIF in it.
const PNG = new Uint8Array(
  await sharp({ create: { width: 4, height: 4, channels: 3, background: "#3a5" } })
    .png()
    .toBuffer(),
);
const JPEG = new Uint8Array(
  await sharp({ create: { width: 4, height: 4, channels: 3, background: "#a53" } })
    .jpeg()
    .withExif({ IFD0: { Artist: "A. Resident" }, IFD3: { GPSLatitudeRef: "N", GPSLatitude: "51/1 30/1 0/1" } })
    .toBuffer(),
);
const PDF = new TextEncoder().encode("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n");
const HTML = new TextEncoder().encode("<html><script>alert(1)</script></html>");

beforeAll(async () => {
  t = await createTestDatabase({ seed: true });
  // The bids here have already ended when they are decided: the fund allows retrospective funding.
  for (const fund of t.db.select().from(funds).all()) {
    const rules = { ...(JSON.parse(fund.grantRules ?? "{}") as Record<string, unknown>), noRetrospectiveCosts: false };
    t.db
      .update(funds)
      .set({ grantRules: JSON.stringify(rules) })
      .where(eq(funds.id, fund.id))
      .run();
  }
  filesDir = fs.mkdtempSync(path.join(os.tmpdir(), "wardfund-monitoring-photos-"));
  process.env.ATTACHMENTS_DIR = filesDir;
  leadCookie = await sessionCookieFor(LEAD);
  otherGroupLeadId = (
    t.db.$client
      .prepare("select user_id as id from group_members where group_id = 2 and member_role = 'lead'")
      .get() as { id: string }
  ).id;
  const email = (
    t.db.$client.prepare("select email from users where id = ?").get(otherGroupLeadId) as { email: string }
  ).email;
  otherGroupCookie = await sessionCookieFor(email);
});
afterAll(() => {
  t.close();
  fs.rmSync(filesDir, { recursive: true, force: true });
});

/** A paid Abbey Fields bid whose project has ended: its monitoring report is due. */
function monitoringDueBid(title: string): number {
  const endOn = londonDateOf(new Date(Date.now() - 86_400_000));
  const bidId = submittedBid(t.db, {
    group: "Abbey Fields Allotment Society",
    wards: ["Abbey Fields"],
    pence: 20_000,
    endOn,
    title,
  });
  decideBid(principal("councillor@eastbrook.example"), {
    bidId,
    hasInterest: false,
    outcome: "approve",
    retrospectiveOverride: true,
    retrospectiveReason: "The project was delivered before the fund's panel met",
    idempotencyKey: key(),
  });
  respondToOffer(principal(LEAD), { bidId, accept: true });
  const grantId = t.db.select().from(grantOffers).where(eq(grantOffers.bidId, bidId)).get()!.grantId;
  const requested = requestPayment(principal("finance@eastbrook.example"), {
    grantId,
    pence: 20_000,
    idempotencyKey: key(),
  });
  confirmPayment(principal("finance2@eastbrook.example"), {
    payRequestEntryId: requested.entryId,
    paymentRef: `AP-${key()}`,
    idempotencyKey: key(),
  });
  expect(openDueMonitoring(new Date())).toContain(bidId);
  return bidId;
}

function reportRequest(
  bidId: number,
  cookie: string,
  fields: Record<string, string>,
  photos: { name: string; type: string; bytes: Uint8Array }[],
): Request {
  const body = new FormData();
  for (const [name, value] of Object.entries(fields)) body.append(name, value);
  for (const p of photos)
    body.append("photos", new File([p.bytes as Uint8Array<ArrayBuffer>], p.name, { type: p.type }));
  return new Request(`${ORIGIN}/bids/${bidId}/monitoring`, {
    method: "POST",
    headers: { Origin: ORIGIN, Cookie: cookie },
    body,
  });
}

const REPORT = { whatWasDone: "Built the raised beds with ten volunteers", peopleReached: "35", "spend-1": "200.00" };
const post = (
  bidId: number,
  cookie: string,
  fields: Record<string, string>,
  photos: { name: string; type: string; bytes: Uint8Array }[],
) =>
  responseOf(() =>
    monitoringRoute.action({
      request: reportRequest(bidId, cookie, fields, photos),
      params: { bidId: String(bidId) },
      context: {},
    }),
  );
const abbeyCode = () => t.db.select().from(wards).where(eq(wards.name, "Abbey Fields")).get()!.gssCode;
async function wardProjects() {
  const loaded = await responseOf(() =>
    wardRoute.loader({ request: getRequest(`/wards/${abbeyCode()}`), params: { code: abbeyCode() }, context: {} }),
  );
  const body = (await (loaded as Response).json()) as { projects: { title: string; photos: { url: string }[] }[] };
  return body.projects;
}
const photosOf = (bidId: number) =>
  t.db
    .select()
    .from(attachments)
    .where(and(eq(attachments.bidId, bidId), eq(attachments.purpose, "monitoring")))
    .all();
const statusOf = (bidId: number) => t.db.select({ s: bids.status }).from(bids).where(eq(bids.id, bidId)).get()!.s;
const fetchFile = (url: string, cookie?: string) => {
  const [, bidId, fileId] = /^\/bids\/(\d+)\/files\/(.+)$/.exec(url)!;
  return responseOf(() =>
    fileRoute.loader({ request: getRequest(url, cookie), params: { bidId: bidId!, fileId: fileId! }, context: {} }),
  );
};

describe("monitoring photos", () => {
  it("publishes a photo the group agreed to show: listed on the ward page and served to anyone", async () => {
    const bidId = monitoringDueBid("Community orchard");
    const sent = await post(bidId, leadCookie, { ...REPORT, photosPublic: "yes" }, [
      { name: "orchard.png", type: "image/png", bytes: PNG },
    ]);
    expect(sent instanceof Response && sent.status).toBe(302);
    expect((sent as Response).headers.get("Location")).toBe(`/bids/${bidId}/monitoring?done=1`);
    expect(statusOf(bidId)).toBe("closed");
    const [row] = photosOf(bidId);
    expect(row).toMatchObject({
      purpose: "monitoring",
      isPublic: true,
      contentType: "image/png",
      fileName: "orchard.png",
    });

    const project = (await wardProjects()).find((p) => p.title === "Community orchard")!;
    expect(project.photos).toEqual([{ url: `/bids/${bidId}/files/${row!.id}` }]);
    // Nothing personal on the public page: no file name, nobody's id.
    expect(JSON.stringify(project)).not.toMatch(/orchard\.png|resident/);

    const served = await fetchFile(project.photos[0]!.url);
    expect(served instanceof Response && served.status).toBe(200);
    expect((served as Response).headers.get("Content-Type")).toBe("image/png");
    const servedBytes = new Uint8Array(await (served as Response).arrayBuffer());
    expect((await sharp(servedBytes).metadata()).format).toBe("png");
    expect(await imageMetadataKinds(servedBytes)).toEqual([]);
  });

  it(
    "keeps a photo the group did not agree to publish off the ward page and away from anonymous " + "visitors",
    async () => {
      const bidId = monitoringDueBid("Bulb planting");
      const sent = await post(bidId, leadCookie, REPORT, [{ name: "bulbs.jpg", type: "image/jpeg", bytes: JPEG }]);
      expect(sent instanceof Response && sent.status).toBe(302);
      const [row] = photosOf(bidId);
      expect(row).toMatchObject({ isPublic: false, contentType: "image/jpeg" });
      const project = (await wardProjects()).find((p) => p.title === "Bulb planting")!;
      expect(project.photos).toEqual([]);
      const anonymous = await fetchFile(`/bids/${bidId}/files/${row!.id}`);
      expect(anonymous instanceof Response && anonymous.status).toBe(302);
      expect((anonymous as Response).headers.get("Location")).toMatch(/^\/login/);
      const member = await fetchFile(`/bids/${bidId}/files/${row!.id}`, leadCookie);
      expect(member instanceof Response && member.status).toBe(200);
      // The photo was sent with its author and GPS position in its EXIF; what is stored has neither.
      expect(await imageMetadataKinds(JPEG)).toContain("exif");
      const stored = new Uint8Array(await (member as Response).arrayBuffer());
      expect(await imageMetadataKinds(stored)).toEqual([]);
      expect(Buffer.from(stored).includes(Buffer.from("A. Resident"))).toBe(false);
    },
  );

  it("refuses a PDF or a file that only claims to be an image, keeping what was typed and saving nothing", async () => {
    const bidId = monitoringDueBid("Hedge laying");
    for (const photo of [
      { name: "report.pdf", type: "application/pdf", bytes: PDF },
      { name: "photo.jpg", type: "image/jpeg", bytes: HTML },
    ]) {
      const refused = await post(bidId, leadCookie, { ...REPORT, photosPublic: "yes" }, [photo]);
      expect(refused instanceof Response && refused.status).toBe(400);
      const body = (await (refused as Response).json()) as {
        errors: Record<string, string>;
        values: Record<string, string>;
      };
      expect(messageText(body.errors.photos!, "en")).toBe(
        `"${photo.name}" is not a photo: each photo must be a PNG, JPEG or WebP image.`,
      );
      expect(body.values).toMatchObject({ whatWasDone: REPORT.whatWasDone, peopleReached: "35", photosPublic: "yes" });
    }
    expect(photosOf(bidId)).toHaveLength(0);
    expect(statusOf(bidId)).toBe("monitoring-due");

    const tooMany = await post(
      bidId,
      leadCookie,
      REPORT,
      Array.from({ length: 6 }, (_, i) => ({ name: `p${i}.png`, type: "image/png", bytes: PNG })),
    );
    expect(tooMany instanceof Response && tooMany.status).toBe(400);
    const tooManyErrors = ((await (tooMany as Response).json()) as { errors: Record<string, string> }).errors;
    expect(messageText(tooManyErrors.photos!, "en")).toMatch(/at most 5 photos/);
    expect(statusOf(bidId)).toBe("monitoring-due");
  });

  it("refuses a member of another group, and photos once the week after sending has passed", async () => {
    const bidId = monitoringDueBid("Pond clearing");
    const refused = await post(bidId, otherGroupCookie, REPORT, [{ name: "pond.png", type: "image/png", bytes: PNG }]);
    expect(refused instanceof Response && refused.status).toBe(403);
    expect(() =>
      addMonitoringPhoto(
        loadPrincipal(otherGroupLeadId)!,
        bidId,
        { fileName: "pond.png", sizeBytes: PNG.length, bytes: PNG },
        true,
      ),
    ).toThrow(Refusal);
    expect(photosOf(bidId)).toHaveLength(0);

    const sent = await post(bidId, leadCookie, REPORT, []);
    expect(sent instanceof Response && sent.status).toBe(302);
    // A photo added afterwards, within the week.
    const added = await post(bidId, leadCookie, { intent: "add-photos", photosPublic: "yes" }, [
      { name: "pond.png", type: "image/png", bytes: PNG },
    ]);
    expect((added as Response).headers.get("Location")).toBe(`/bids/${bidId}/monitoring?photos=1`);
    expect((await wardProjects()).find((p) => p.title === "Pond clearing")!.photos).toHaveLength(1);
    const later = new Date(Date.now() + 8 * 86_400_000);
    expect(() =>
      addMonitoringPhoto(
        principal(LEAD),
        bidId,
        { fileName: "late.png", sizeBytes: PNG.length, bytes: PNG },
        true,
        later,
      ),
    ).toThrow(/up to 7 days after/);
    expect(photosOf(bidId)).toHaveLength(1);
  });
});
