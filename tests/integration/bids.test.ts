/**
 * A group's bid from draft to submission, resubmission and withdrawal, through the model and the
 * route actions, against the demo council (whose ward-budget scheme is open, with a £100–£5,000
 * range and quotes needed above £1,000).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_FILE_BYTES, type BidSnapshot } from "~/core/bids";
import { findUserByEmail } from "~/models/accounts.server";
import { listWards } from "~/models/council.server";
import {
  addBidAttachment,
  BidIncomplete,
  createDraftBid,
  listBidVersions,
  requireBidViewer,
  saveBidStep,
  submitBid,
  withdrawBid,
} from "~/models/bids.server";
import * as editRoute from "~/routes/bids.$bidId.edit/route";
import * as fileRoute from "~/routes/bids.$bidId.files.$fileId";
import * as bidRoute from "~/routes/bids.$bidId._index";
import * as historyRoute from "~/routes/bids.$bidId.history";
import * as newBidRoute from "~/routes/groups.$groupId.bids.new";
import { loadPrincipal, type Principal } from "~/utils/auth.server";
import { messageText } from "~/utils/message-text";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { formRequest, getRequest, ORIGIN, responseOf, sessionCookieFor } from "../support/requests";
import { Refusal } from "~/utils/refusal";

let t: TestDatabase;
let attachmentsDir: string;
let lead: Principal;
let otherGroupLead: Principal;
let fundId: string;
let abbeyFields: number;
let brookside: number;
const cookies: Record<string, string> = {};

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
const PDF = new TextEncoder().encode("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n");
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

beforeAll(async () => {
  t = await createTestDatabase({ seed: true });
  attachmentsDir = fs.mkdtempSync(path.join(os.tmpdir(), "wardfund-bid-files-"));
  process.env.ATTACHMENTS_DIR = attachmentsDir;
  lead = loadPrincipal(findUserByEmail("resident@eastbrook.example")!.id)!;
  // The lead of demo group 2 (Brookside Community Larder).
  const other = t.db.$client
    .prepare("select user_id as id from group_members where group_id = 2 and member_role = 'lead'")
    .get() as { id: string };
  otherGroupLead = loadPrincipal(other.id)!;
  fundId = (t.db.$client.prepare("select id from funds where kind = 'ward-budget'").get() as { id: string }).id;
  const wards = listWards();
  abbeyFields = wards.find((w) => w.name === "Abbey Fields")!.id;
  brookside = wards.find((w) => w.name === "Brookside")!.id;
  for (const email of ["resident@eastbrook.example", "councillor@eastbrook.example", "finance@eastbrook.example"])
    cookies[email] = await sessionCookieFor(email);
  const otherEmail = (t.db.$client.prepare("select email from users where id = ?").get(other.id) as { email: string })
    .email;
  cookies.other = await sessionCookieFor(otherEmail);
});
afterAll(() => {
  t.close();
  fs.rmSync(attachmentsDir, { recursive: true, force: true });
});

function fillCompleteBid(bidId: number, amountPence = 80_000) {
  saveBidStep(lead, bidId, {
    step: "about",
    title: "Raised beds",
    summary: "Accessible raised beds for the allotment.",
    description: "We will build four raised beds that wheelchair users can reach.",
  });
  saveBidStep(lead, bidId, {
    step: "money",
    amountPence,
    lines: [
      { description: "Timber", amountPence: amountPence - 30_000 },
      { description: "Soil", amountPence: 30_000 },
    ],
  });
  saveBidStep(lead, bidId, {
    step: "where",
    wardIds: [abbeyFields],
    beneficiaries: "Older and disabled plot holders",
    beneficiaryCount: 40,
    startOn: day(10),
    endOn: day(60),
  });
}

async function run(
  route: { action?: (a: ActionFunctionArgs) => Promise<unknown>; loader?: (a: LoaderFunctionArgs) => Promise<unknown> },
  kind: "action" | "loader",
  request: Request,
  params: Record<string, string>,
) {
  return responseOf(() => (kind === "action" ? route.action! : route.loader!)({ request, params, context: {} }));
}

function multipart(pathname: string, cookie: string, file: { name: string; type: string; bytes: Uint8Array }): Request {
  const body = new FormData();
  body.append("intent", "upload");
  body.append("file", new File([file.bytes as Uint8Array<ArrayBuffer>], file.name, { type: file.type }));
  return new Request(`${ORIGIN}${pathname}`, { method: "POST", headers: { Origin: ORIGIN, Cookie: cookie }, body });
}

const statusOf = (r: Response | { value: unknown }) => (r instanceof Response ? r.status : 200);
const bodyOf = async (r: Response | { value: unknown }) =>
  r instanceof Response ? ((await r.json()) as Record<string, unknown>) : (r.value as Record<string, unknown>);

describe("drafting and submitting a bid", () => {
  it("creates a draft with a reference, saves each step and submits version 1", async () => {
    const created = await run(
      newBidRoute,
      "action",
      formRequest("/groups/1/bids/new", { fundId }, { cookie: cookies["resident@eastbrook.example"]! }),
      { groupId: "1" },
    );
    expect(statusOf(created)).toBe(302);
    const location = (created as Response).headers.get("Location")!;
    const bidId = Number(/\/bids\/(\d+)\/edit/.exec(location)![1]);
    const bid = t.db.$client.prepare("select * from bids where id = ?").get(bidId) as {
      reference: string;
      status: string;
    };
    expect(bid.reference).toMatch(/^WB-\d{4}-\d{4}$/);
    expect(bid.status).toBe("draft");

    const cookie = cookies["resident@eastbrook.example"]!;
    const params = { bidId: String(bidId) };
    const about = await run(
      editRoute,
      "action",
      formRequest(
        `/bids/${bidId}/edit`,
        {
          step: "about",
          intent: "save",
          title: "Seed library",
          summary: "A seed library in the allotment shed.",
          description: "Shelves, seed envelopes and a catalogue so plot holders can share seeds.",
        },
        { cookie },
      ),
      params,
    );
    expect((about as Response).headers.get("Location")).toBe(`/bids/${bidId}/edit?step=about&saved=draft`);
    const money = await run(
      editRoute,
      "action",
      formRequest(
        `/bids/${bidId}/edit`,
        {
          step: "money",
          intent: "continue",
          rows: "3",
          amount: "450.00",
          "line-0-description": "Shelving",
          "line-0-amount": "300",
          "line-1-description": "Envelopes and labels",
          "line-1-amount": "150.00",
          "line-2-description": "",
          "line-2-amount": "",
        },
        { cookie },
      ),
      params,
    );
    expect((money as Response).headers.get("Location")).toBe(`/bids/${bidId}/edit?step=where`);
    const where = await run(
      editRoute,
      "action",
      formRequest(
        `/bids/${bidId}/edit`,
        {
          step: "where",
          intent: "continue",
          wardIds: [String(abbeyFields)],
          beneficiaries: "Plot holders and their families",
          beneficiaryCount: "120",
          startOn: day(5),
          endOn: day(90),
        },
        { cookie },
      ),
      params,
    );
    expect((where as Response).headers.get("Location")).toBe(`/bids/${bidId}/edit?step=files`);

    const outboxBefore = (t.db.$client.prepare("select count(*) as n from outbox").get() as { n: number }).n;
    // The councillor reads mail in Welsh; the group's lead in English.
    t.db.$client.prepare("update users set language = 'cy' where email = 'councillor@eastbrook.example'").run();
    const submitted = await run(
      editRoute,
      "action",
      formRequest(`/bids/${bidId}/edit`, { intent: "submit" }, { cookie }),
      params,
    );
    expect((submitted as Response).headers.get("Location")).toBe(`/bids/${bidId}?submitted=1`);

    const after = t.db.$client.prepare("select status, version, submitted_at from bids where id = ?").get(bidId) as {
      status: string;
      version: number;
      submitted_at: string;
    };
    expect(after).toMatchObject({ status: "submitted", version: 1 });
    const versions = listBidVersions(bidId);
    expect(versions).toHaveLength(1);
    expect(versions[0]!.snapshot).toMatchObject({
      title: "Seed library",
      amountPence: 45_000,
      budgetLines: [
        { lineNo: 1, description: "Shelving", amountPence: 30_000 },
        { lineNo: 2, description: "Envelopes and labels", amountPence: 15_000 },
      ],
      wards: [{ id: abbeyFields, name: "Abbey Fields" }],
      beneficiaryCount: 120,
      files: [],
    });
    // The group's members and the ward's councillors are told.
    const mail = t.db.$client
      .prepare("select to_address as toAddress, subject, body from outbox where id > ? order by id")
      .all(outboxBefore) as { toAddress: string; subject: string; body: string }[];
    t.db.$client.prepare("update users set language = 'en' where email = 'councillor@eastbrook.example'").run();
    const toLead = mail.find((m) => m.toAddress === "resident@eastbrook.example");
    expect(toLead?.subject).toBe(`We received your bid ${bid.reference}`);
    expect(toLead?.body).toContain(`We received Abbey Fields Allotment Society's bid "Seed library"`);
    const toCouncillor = mail.find((m) => m.toAddress === "councillor@eastbrook.example");
    expect(toCouncillor?.subject).toBe(`Cais yn aros am eich penderfyniad: ${bid.reference}`);
    expect(toCouncillor?.body).toContain(`Mae o fudd i'ch ward ac yn aros am benderfyniad.`);
    expect(toCouncillor?.body).toMatch(new RegExp(`Gweld y cais: \\S+/bids/${bidId}\\?lng=cy$`));
    const audit = t.db.$client
      .prepare("select action from audit_events where entity_type = 'bid' and entity_id = ? order by id")
      .all(String(bidId)) as { action: string }[];
    expect(audit.map((a) => a.action)).toEqual(["bid.draft-created", "bid.submitted"]);

    // Submitted: the councillor of the ward can now read it; editing is over.
    expect(
      statusOf(
        await run(bidRoute, "loader", getRequest(`/bids/${bidId}`, cookies["councillor@eastbrook.example"]), params),
      ),
    ).toBe(200);
    const edit = await run(editRoute, "loader", getRequest(`/bids/${bidId}/edit`, cookie), params);
    expect((edit as Response).headers.get("Location")).toBe(`/bids/${bidId}`);
  });

  it("refuses to submit with every problem listed, each tied to its step and field", () => {
    const bidId = createDraftBid(lead, 1, fundId);
    try {
      submitBid(lead, bidId);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(BidIncomplete);
      expect((error as BidIncomplete).issues.map((i) => `${i.step}/${i.field}`)).toEqual([
        "about/title",
        "about/summary",
        "about/description",
        "money/amount",
        "money/lines",
        "where/wardIds",
        "where/beneficiaries",
        "where/beneficiaryCount",
        "where/startOn",
        "where/endOn",
      ]);
    }
  });

  it("refuses budget lines that do not add up to the amount, with the message", async () => {
    const bidId = createDraftBid(lead, 1, fundId);
    fillCompleteBid(bidId);
    saveBidStep(lead, bidId, {
      step: "money",
      amountPence: 80_000,
      lines: [{ description: "Timber", amountPence: 50_000 }],
    });
    const result = await run(
      editRoute,
      "action",
      formRequest(`/bids/${bidId}/edit`, { intent: "submit" }, { cookie: cookies["resident@eastbrook.example"]! }),
      { bidId: String(bidId) },
    );
    expect(statusOf(result)).toBe(422);
    expect(inEnglish((await bodyOf(result)).issues as { message: string }[])).toEqual([
      {
        step: "money",
        field: "lines",
        message: "The budget lines add up to £500.00, £300.00 less than the £800.00 you are asking for.",
      },
    ]);
    // The money step says so as soon as the group tries to continue, and keeps what was typed.
    const step = await run(
      editRoute,
      "action",
      formRequest(
        `/bids/${bidId}/edit`,
        {
          step: "money",
          intent: "continue",
          rows: "3",
          amount: "800",
          "line-0-description": "Timber",
          "line-0-amount": "500",
        },
        { cookie: cookies["resident@eastbrook.example"]! },
      ),
      { bidId: String(bidId) },
    );
    const body = await bodyOf(step);
    expect(messageText((body.errors as Record<string, string>).lines!, "en")).toBe(
      "The budget lines add up to £500.00, £300.00 less than the £800.00 you are asking for.",
    );
    expect(body.values).toMatchObject({ amount: "800", "line-0-description": "Timber" });
  });

  it("refuses an amount outside the fund's limits", () => {
    const bidId = createDraftBid(lead, 1, fundId);
    fillCompleteBid(bidId, 600_000);
    addBidAttachment(lead, bidId, { fileName: "quote.pdf", sizeBytes: PDF.byteLength, bytes: PDF });
    expect(() => submitBid(lead, bidId)).toThrow(BidIncomplete);
    try {
      submitBid(lead, bidId);
    } catch (error) {
      expect(inEnglish((error as BidIncomplete).issues)).toEqual([
        { step: "money", field: "amount", message: expect.stringContaining("no more than £5,000.00") },
      ]);
    }
  });

  it("needs a quote for a bid above the fund's quotes threshold", () => {
    const bidId = createDraftBid(lead, 1, fundId);
    fillCompleteBid(bidId, 150_000);
    expect(() => submitBid(lead, bidId)).toThrow(BidIncomplete);
    addBidAttachment(lead, bidId, { fileName: "quote.pdf", sizeBytes: PDF.byteLength, bytes: PDF });
    expect(submitBid(lead, bidId).version).toBe(1);
  });

  it("refuses a closed fund and a group of the wrong kind", () => {
    const closedOn = day(-1);
    t.db.$client
      .prepare(
        "insert into funds (id, kind, name, fy, min_grant_pence, max_grant_pence, eligible_types, opens_on, " +
          "closes_on) values ('CLOSED', 'ward-budget', 'Old scheme', '2025/26', 100, 100000, " +
          "'[\"constituted-group\"]', '2025-04-01', ?)",
      )
      .run(closedOn);
    expect(refusalText(() => createDraftBid(lead, 1, "CLOSED"))).toContain(
      `Old scheme closed for bids on ${closedOn}.`,
    );
    t.db.$client
      .prepare(
        "insert into funds (id, kind, name, fy, min_grant_pence, max_grant_pence, eligible_types, opens_on, " +
          "closes_on) values ('CHARITIES', 'ward-budget', 'Charities only', '2026/27', 100, 100000, " +
          "'[\"registered-charity\"]', '2020-01-01', '2099-12-31')",
      )
      .run();
    expect(refusalText(() => createDraftBid(lead, 1, "CHARITIES"))).toContain(
      "Charities only does not take bids from this kind of organisation.",
    );
  });

  it("refuses to submit once the fund has closed", () => {
    const bidId = createDraftBid(lead, 1, fundId);
    fillCompleteBid(bidId);
    try {
      submitBid(lead, bidId, { today: "2099-01-01" });
      expect.unreachable();
    } catch (error) {
      expect(inEnglish((error as BidIncomplete).issues)[0]).toMatchObject({
        step: "review",
        field: "fund",
        message: expect.stringContaining("closed for bids"),
      });
    }
  });
});

describe("another group", () => {
  it("cannot read, edit or fetch the files of another group's draft", async () => {
    const bidId = createDraftBid(lead, 1, fundId);
    fillCompleteBid(bidId);
    const fileId = addBidAttachment(lead, bidId, { fileName: "plan.png", sizeBytes: PNG.byteLength, bytes: PNG });
    const params = { bidId: String(bidId), fileId };
    const cookie = cookies.other;
    for (const [route, url] of [
      [bidRoute, `/bids/${bidId}`],
      [editRoute, `/bids/${bidId}/edit`],
      [historyRoute, `/bids/${bidId}/history`],
      [fileRoute, `/bids/${bidId}/files/${fileId}`],
    ] as const) {
      const result = await run(route, "loader", getRequest(url, cookie), params);
      expect(statusOf(result), url).toBe(403);
      expect(await (result as Response).text()).not.toContain("Raised beds");
    }
    expect(
      statusOf(
        await run(editRoute, "action", formRequest(`/bids/${bidId}/edit`, { intent: "submit" }, { cookie }), params),
      ),
    ).toBe(403);
    expect(() => submitBid(otherGroupLead, bidId)).toThrow(Refusal);
    expect(() => requireBidViewer(otherGroupLead, bidId)).toThrow(Refusal);
    // Councillors and finance do not see a draft either.
    expect(
      statusOf(
        await run(bidRoute, "loader", getRequest(`/bids/${bidId}`, cookies["councillor@eastbrook.example"]), params),
      ),
    ).toBe(403);
    expect(
      statusOf(
        await run(
          fileRoute,
          "loader",
          getRequest(`/bids/${bidId}/files/${fileId}`, cookies["finance@eastbrook.example"]),
          params,
        ),
      ),
    ).toBe(403);
    // Anonymous: asked to sign in.
    const anonymous = await run(fileRoute, "loader", getRequest(`/bids/${bidId}/files/${fileId}`), params);
    expect((anonymous as Response).headers.get("Location")).toMatch(/^\/login/);
    // The group's own member gets the file, with safe headers.
    const own = (await run(
      fileRoute,
      "loader",
      getRequest(`/bids/${bidId}/files/${fileId}`, cookies["resident@eastbrook.example"]!),
      params,
    )) as Response;
    expect(own.status).toBe(200);
    expect(own.headers.get("Content-Type")).toBe("image/png");
    expect(own.headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(own.headers.get("Content-Disposition")).toContain('filename="plan.png"');
    expect(new Uint8Array(await own.arrayBuffer())).toEqual(PNG);
  });
});

describe("files", () => {
  it("stores an upload outside public/ under a random name with its SHA-256", async () => {
    const bidId = createDraftBid(lead, 1, fundId);
    const result = await run(
      editRoute,
      "action",
      multipart(`/bids/${bidId}/edit`, cookies["resident@eastbrook.example"]!, {
        name: "quote.pdf",
        type: "application/pdf",
        bytes: PDF,
      }),
      { bidId: String(bidId) },
    );
    expect((result as Response).headers.get("Location")).toBe(`/bids/${bidId}/edit?step=files&saved=file`);
    const row = t.db.$client.prepare("select * from attachments where bid_id = ?").get(bidId) as {
      storage_key: string;
      sha256: string;
      content_type: string;
      file_name: string;
    };
    expect(row.content_type).toBe("application/pdf");
    expect(row.file_name).toBe("quote.pdf");
    expect(row.storage_key).not.toContain("quote");
    const stored = fs.readFileSync(path.join(attachmentsDir, row.storage_key));
    expect(new Uint8Array(stored)).toEqual(PDF);
    const { createHash } = await import("node:crypto");
    expect(row.sha256).toBe(createHash("sha256").update(PDF).digest("hex"));
  });

  it("refuses a file over 10 MB and one whose bytes are not an image or PDF, whatever it claims", async () => {
    const bidId = createDraftBid(lead, 1, fundId);
    const cookie = cookies["resident@eastbrook.example"]!;
    const big = new Uint8Array(MAX_FILE_BYTES + 1);
    big.set(PNG);
    const tooBig = await run(
      editRoute,
      "action",
      multipart(`/bids/${bidId}/edit`, cookie, { name: "huge.png", type: "image/png", bytes: big }),
      { bidId: String(bidId) },
    );
    expect(statusOf(tooBig)).toBe(413);
    expect(messageText(((await bodyOf(tooBig)).errors as Record<string, string>).file!, "en")).toBe(
      "The file must be smaller than 10 MB.",
    );
    const html = new TextEncoder().encode("<html><script>alert(1)</script></html>");
    const disguised = await run(
      editRoute,
      "action",
      multipart(`/bids/${bidId}/edit`, cookie, { name: "photo.png", type: "image/png", bytes: html }),
      { bidId: String(bidId) },
    );
    expect(statusOf(disguised)).toBe(422);
    expect(messageText(((await bodyOf(disguised)).errors as Record<string, string>).file!, "en")).toBe(
      "The file must be a PNG, JPEG or WebP image, or a PDF.",
    );
    expect(t.db.$client.prepare("select count(*) as n from attachments where bid_id = ?").get(bidId)).toEqual({ n: 0 });
  });

  it("refuses a sixth live file but takes one after a removal", async () => {
    const bidId = createDraftBid(lead, 1, fundId);
    const ids = Array.from({ length: 5 }, (_, i) =>
      addBidAttachment(lead, bidId, { fileName: `photo-${i}.png`, sizeBytes: PNG.byteLength, bytes: PNG }),
    );
    expect(
      refusalText(() => addBidAttachment(lead, bidId, { fileName: "six.png", sizeBytes: PNG.byteLength, bytes: PNG })),
    ).toContain("A bid can have at most 5 files.");
    const cookie = cookies["resident@eastbrook.example"]!;
    const removed = await run(
      editRoute,
      "action",
      formRequest(`/bids/${bidId}/edit`, { intent: "remove-file", fileId: ids[0]! }, { cookie }),
      { bidId: String(bidId) },
    );
    expect(statusOf(removed)).toBe(302);
    expect(
      t.db.$client.prepare("select removed_at is not null as removed from attachments where id = ?").get(ids[0]),
    ).toEqual({ removed: 1 });
    expect(addBidAttachment(lead, bidId, { fileName: "six.png", sizeBytes: PNG.byteLength, bytes: PNG })).toMatch(
      /^[0-9a-f-]{36}$/,
    );
  });
});

describe("after changes are requested", () => {
  it("the group edits and resubmits as version 2, and the history shows what changed", async () => {
    const bidId = createDraftBid(lead, 1, fundId);
    fillCompleteBid(bidId);
    submitBid(lead, bidId);
    // What the decisions side does: a request-changes decision and the status it leads to.
    const councillor = findUserByEmail("councillor@eastbrook.example")!;
    t.db.$client
      .prepare(
        "insert into bid_decisions (bid_id, version, decider_id, ward_id, outcome, reason, decided_at) values (?, " +
          "1, ?, ?, 'request-changes', 'Please add a quote for the timber and include Brookside.', ?)",
      )
      .run(bidId, councillor.id, abbeyFields, new Date().toISOString());
    t.db.$client.prepare("update bids set status = 'changes-requested' where id = ?").run(bidId);

    const cookie = cookies["resident@eastbrook.example"]!;
    const page = await run(editRoute, "loader", getRequest(`/bids/${bidId}/edit?step=about`, cookie), {
      bidId: String(bidId),
    });
    expect((await bodyOf(page)).changeRequest).toMatchObject({
      version: 1,
      reason: "Please add a quote for the timber and include Brookside.",
    });

    saveBidStep(lead, bidId, {
      step: "about",
      title: "Raised beds for two wards",
      summary: "Accessible raised beds for the allotment.",
      description: "We will build four raised beds that wheelchair users can reach.",
    });
    saveBidStep(lead, bidId, {
      step: "money",
      amountPence: 90_000,
      lines: [
        { description: "Timber", amountPence: 60_000 },
        { description: "Soil", amountPence: 30_000 },
      ],
    });
    saveBidStep(lead, bidId, {
      step: "where",
      wardIds: [abbeyFields, brookside],
      beneficiaries: "Older and disabled plot holders",
      beneficiaryCount: 40,
      startOn: day(10),
      endOn: day(60),
    });
    addBidAttachment(lead, bidId, { fileName: "timber-quote.pdf", sizeBytes: PDF.byteLength, bytes: PDF });
    expect(submitBid(lead, bidId).version).toBe(2);

    const history = await bodyOf(
      await run(historyRoute, "loader", getRequest(`/bids/${bidId}/history`, cookie), { bidId: String(bidId) }),
    );
    const versions = history.versions as { version: number; changes: string[]; snapshot: BidSnapshot }[];
    expect(versions.map((v) => v.version)).toEqual([2, 1]);
    expect(versions[0]!.changes).toEqual([
      "Title changed from “Raised beds” to “Raised beds for two wards”",
      "Amount requested changed from £800.00 to £900.00",
      "Budget line “Timber” changed from £500.00 to £600.00",
      "Ward added: Brookside",
      "File added: timber-quote.pdf",
    ]);
    expect(versions[1]!.snapshot.amountPence).toBe(80_000);
    const status = t.db.$client.prepare("select status, version from bids where id = ?").get(bidId);
    expect(status).toEqual({ status: "submitted", version: 2 });
  });
});

describe("withdrawing", () => {
  it("needs a reason, records it and is audited; a withdrawn bid stays withdrawn", () => {
    const bidId = createDraftBid(lead, 1, fundId);
    fillCompleteBid(bidId);
    submitBid(lead, bidId);
    expect(refusalText(() => withdrawBid(lead, bidId, ""))).toContain("Say why the group is withdrawing the bid.");
    expect(() => withdrawBid(otherGroupLead, bidId, "Not ours")).toThrow(Refusal);
    withdrawBid(lead, bidId, "The allotment society found another funder.");
    expect(t.db.$client.prepare("select status, withdrawn_reason as reason from bids where id = ?").get(bidId)).toEqual(
      { status: "withdrawn", reason: "The allotment society found another funder." },
    );
    const audit = t.db.$client
      .prepare("select reason from audit_events where action = 'bid.withdrawn' and entity_id = ?")
      .get(String(bidId));
    expect(audit).toEqual({ reason: "The allotment society found another funder." });
    expect(refusalText(() => withdrawBid(lead, bidId, "Again"))).toContain(
      "A bid that is withdrawn cannot be withdrawn.",
    );
    expect(refusalText(() => submitBid(lead, bidId))).toContain("A bid that is withdrawn cannot be submitted.");
  });

  it("cannot be withdrawn once paid", () => {
    const bidId = createDraftBid(lead, 1, fundId);
    t.db.$client.prepare("update bids set status = 'paid' where id = ?").run(bidId);
    expect(refusalText(() => withdrawBid(lead, bidId, "Too late"))).toContain(
      "A bid that is paid cannot be withdrawn.",
    );
  });
});

describe("PB rounds", () => {
  it(
    "takes bids only while accepting them, within the round's wards and limits, and enters the project on " +
      "submission",
    () => {
      const admin = findUserByEmail("admin@eastbrook.example")!;
      t.db.$client
        .prepare(
          "insert into funds (id, kind, name, fy) values ('PB-TEST', 'pb-round', 'Abbey Fields Decides', '2026/27')",
        )
        .run();
      const round = t.db.$client
        .prepare(
          "insert into pb_rounds (fund_id, name, pot_pence, min_bid_pence, max_bid_pence, phase, bids_open_at, " +
            "bids_close_at, voting_opens_at, voting_closes_at, created_by) values ('PB-TEST', 'Abbey Fields Decides', " +
            "2000000, 50000, 500000, 'draft', '2026-01-01T00:00:00Z', '2099-01-01T00:00:00Z', '2099-02-01T00:00:00Z', " +
            "'2099-03-01T00:00:00Z', ?) returning id",
        )
        .get(admin.id) as { id: number };
      t.db.$client.prepare("insert into pb_round_wards (round_id, ward_id) values (?, ?)").run(round.id, abbeyFields);
      expect(refusalText(() => createDraftBid(lead, 1, "PB-TEST"))).toContain(
        "Abbey Fields Decides is not accepting bids.",
      );
      t.db.$client.prepare("update pb_rounds set phase = 'accepting-bids' where id = ?").run(round.id);
      const bidId = createDraftBid(lead, 1, "PB-TEST");
      expect(
        (t.db.$client.prepare("select reference from bids where id = ?").get(bidId) as { reference: string }).reference,
      ).toMatch(/^PB-\d{4}-\d{4}$/);
      // The round covers one ward, so it is already chosen; another ward is refused.
      expect(
        refusalText(() =>
          saveBidStep(lead, bidId, {
            step: "where",
            wardIds: [brookside],
            beneficiaries: "",
            beneficiaryCount: null,
            startOn: null,
            endOn: null,
          }),
        ),
      ).toContain("Choose only wards that Abbey Fields Decides covers.");
      fillCompleteBid(bidId, 40_000);
      expect(() => submitBid(lead, bidId)).toThrow(BidIncomplete);
      fillCompleteBid(bidId, 80_000);
      submitBid(lead, bidId);
      expect(
        t.db.$client.prepare("select round_id as roundId, eligibility from pb_projects where bid_id = ?").get(bidId),
      ).toEqual({ roundId: round.id, eligibility: "pending" });
    },
  );
});

/** The English text of the refusal `work` throws, as the page shows it. */
function refusalText(work: () => unknown): string {
  try {
    work();
  } catch (error) {
    if (error instanceof Refusal) return messageText(error.message, "en");
    throw error;
  }
  throw new Error("expected a refusal");
}

/** Bid issues with their messages in English, as the page shows them. */
function inEnglish<T extends { message: string }>(issues: T[]): T[] {
  return issues.map((issue) => ({ ...issue, message: messageText(issue.message, "en") }));
}
