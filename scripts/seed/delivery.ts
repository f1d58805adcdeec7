/**
 * The demo's progress updates: the Brookside Community Larder's freezer grant has one update an
 * officer published (with a photo) and a newer one waiting in the officers' check queue. They go
 * through the same model functions as the app, so the photos are real files under ATTACHMENTS_DIR.
 */
import sharp from "sharp";
import type { Db } from "~/db/client.server";
import { checkDeliveryUpdate, postDeliveryUpdate } from "~/models/delivery-updates.server";
import { loadPrincipal } from "~/utils/auth.server";

const DAY = 86_400_000;

/** A plain picture standing in for a photo: a freezer-white block on a larder-green wall. */
async function demoPhoto(): Promise<Uint8Array> {
  const block = await sharp({ create: { width: 160, height: 220, channels: 3, background: "#f4f4f0" } })
    .png()
    .toBuffer();
  return new Uint8Array(
    await sharp({ create: { width: 480, height: 320, channels: 3, background: "#3d6b4f" } })
      .composite([{ input: block, left: 160, top: 60 }])
      .jpeg({ quality: 80 })
      .toBuffer(),
  );
}

export async function seedDemoDeliveryUpdates(database: Db, now = new Date()): Promise<void> {
  const row = database.$client
    .prepare(
      `select b.id as bidId, m.user_id as leadId from bids b
         join community_groups g on g.id = b.group_id
         join group_members m on m.group_id = g.id and m.member_role = 'lead'
        where g.name = 'Brookside Community Larder' and b.title = 'Chest freezer for the larder'
          and b.status in ('offer-accepted', 'paid', 'monitoring-due')`,
    )
    .get() as { bidId: number; leadId: string } | undefined;
  const officerId = database.$client
    .prepare("select id from users where email = 'admin@eastbrook.example'")
    .pluck()
    .get() as string | undefined;
  if (!row || !officerId) return;
  const lead = loadPrincipal(row.leadId, database)!;
  const officer = loadPrincipal(officerId, database)!;
  const bytes = await demoPhoto();
  const published = postDeliveryUpdate(
    lead,
    row.bidId,
    {
      body:
        "The freezer is in and running. In its first fortnight two local shops gave us frozen vegetables, bread " +
        "and fish fingers that we could not have taken before, and 41 households took some home.",
      photos: [
        {
          upload: { fileName: "freezer.jpg", sizeBytes: bytes.byteLength, bytes },
          altText: "The new white chest freezer against the green wall of the larder's back room",
        },
      ],
    },
    new Date(now.getTime() - 20 * DAY),
    database,
  );
  checkDeliveryUpdate(officer, published, { action: "publish" }, new Date(now.getTime() - 19 * DAY), database);
  postDeliveryUpdate(
    lead,
    row.bidId,
    {
      body:
        "We now open the freezer on Saturdays too. Volunteers have a rota for checking its temperature twice a " +
        "day, and the larder has had no food wasted since it arrived.",
      photos: [],
    },
    new Date(now.getTime() - 2 * DAY),
    database,
  );
}
