import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { ErrorSummary, SelectField, SubmitButton, TextField } from "~/components/forms";
import { STATUS_LABELS } from "~/core/bids";
import { normaliseAccountNumber, normaliseSortCode } from "~/core/groups/identifiers";
import { formatPence } from "~/core/money";
import { listBidsOfGroup } from "~/models/bids.server";
import { getGroup, handOverLead, leaveGroup, setBankDetails } from "~/models/groups.server";
import { cancelInvitation, inviteToGroup, listPendingInvitations } from "~/models/invitations.server";
import { emailField } from "~/utils/account-fields";
import { ORGANISATION_TYPE_LABELS } from "~/forms/group-form";
import { requireMemberOf } from "~/utils/auth.server";
import { parseForm } from "~/utils/form";
import { idParam, notFound } from "~/utils/http.server";
import { deliverMail, secretLink } from "~/utils/mail.server";
import { answeringRefusals } from "~/utils/refusal.server";
import { formatDate } from "~/core/time";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.group.name ?? "Group"} – Wardfund` }];

const memberSchema = z.object({
  intent: z.literal("invite-member"),
  email: emailField("Enter the email address of the person to invite"),
});
const handOverSchema = z.object({
  intent: z.literal("hand-over"),
  memberId: z.string().min(1, "Choose the member who will be lead contact"),
});
const cancelSchema = z.object({
  intent: z.literal("cancel-invitation"),
  invitationId: z.coerce.number().int().positive(),
});
const bankSchema = z.object({
  intent: z.literal("bank-details"),
  accountName: z.string().trim().min(2, "Enter the name on the account").max(120),
  sortCode: z
    .string()
    .transform(
      (v, ctx) =>
        normaliseSortCode(v) ??
        (ctx.addIssue({ code: "custom", message: "Enter a 6-digit sort code, like 20-00-00" }), ""),
    ),
  accountNumber: z
    .string()
    .transform(
      (v, ctx) =>
        normaliseAccountNumber(v) ?? (ctx.addIssue({ code: "custom", message: "Enter an 8-digit account number" }), ""),
    ),
});

export async function loader({ request, params }: LoaderFunctionArgs) {
  const groupId = idParam(params.groupId);
  const user = await requireMemberOf(request, groupId);
  const data = getGroup(groupId);
  if (!data) throw notFound("Group not found");
  const isLead = data.members.some((m) => m.userId === user.id && m.memberRole === "lead");
  return json({
    ...data,
    userId: user.id,
    isLead,
    invitations: isLead
      ? listPendingInvitations({ kind: "group", groupId }).map((i) => ({
          id: i.id,
          email: i.email,
          sentAt: i.createdAt,
        }))
      : [],
    typeLabel: ORGANISATION_TYPE_LABELS[data.group.organisationType],
    bids: listBidsOfGroup(groupId),
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const groupId = idParam(params.groupId);
  const user = await requireMemberOf(request, groupId);
  const formData = await request.formData();
  const intent = formData.get("intent");
  const answer = async () => {
    if (intent === "invite-member") {
      const form = parseForm(memberSchema, formData);
      if (!form.ok) return json({ ...form, intent }, { status: 400 });
      const { mailId } = inviteToGroup(user, groupId, form.data.email, (token) => secretLink(`/invitations/${token}`));
      await deliverMail([mailId]);
      return redirect(`/groups/${groupId}?saved=invited`);
    }
    if (intent === "leave") {
      leaveGroup(user, groupId);
      return redirect("/account?saved=left-group");
    }
    if (intent === "hand-over") {
      const form = parseForm(handOverSchema, formData);
      if (!form.ok) return json({ ...form, intent }, { status: 400 });
      handOverLead(user, groupId, form.data.memberId);
      return redirect(`/groups/${groupId}?saved=handed-over`);
    }
    if (intent === "cancel-invitation") {
      const form = parseForm(cancelSchema, formData);
      if (!form.ok) return json({ ...form, intent }, { status: 400 });
      cancelInvitation(user, form.data.invitationId);
      return redirect(`/groups/${groupId}?saved=invitation-cancelled`);
    }
    const form = parseForm(bankSchema, formData);
    if (!form.ok) return json({ ...form, intent: "bank-details" }, { status: 400 });
    const { reverificationNeeded } = setBankDetails(user, groupId, form.data);
    return redirect(`/groups/${groupId}?saved=${reverificationNeeded ? "bank-reverify" : "bank"}`);
  };
  const field = intent === "invite-member" ? "email" : intent === "hand-over" ? "memberId" : "form";
  return answeringRefusals({}, answer, { field, status: 422, extra: { intent } });
}

const NOTICES: Record<string, string> = {
  invited: "Invitation sent. They become a member when they accept it.",
  "handed-over": "You have handed over the lead contact role.",
  "invitation-cancelled": "Invitation cancelled.",
  bank: "Bank details saved.",
  "bank-reverify":
    "Bank details saved. Because they changed, the council must verify the group again before any payment.",
};

export default function GroupPage() {
  const { group, members, bank, verification, isLead, typeLabel, bids, invitations, userId } =
    useLoaderData<typeof loader>();
  const state = useActionData<typeof action>();
  const [params] = useSearchParams();
  const notice = params.has("registered")
    ? "Your group is registered. Add its bank details, then the council will verify it."
    : NOTICES[params.get("saved") ?? ""];
  const memberState = state?.intent === "invite-member" ? state : undefined;
  const handOverState = state?.intent === "hand-over" ? state : undefined;
  const others = members.filter((m) => m.userId !== userId);
  const bankState = state?.intent === "bank-details" ? state : undefined;
  return (
    <div className="max-w-3xl">
      <h1>{group.name}</h1>
      {notice && !state ? (
        <p className="notice" role="status">
          {notice}
        </p>
      ) : null}
      <ErrorSummary
        state={state}
        labels={{
          email: "Invite a member",
          memberId: "New lead contact",
          accountName: "Name on the account",
          sortCode: "Sort code",
          accountNumber: "Account number",
        }}
      />
      <dl className="grid grid-cols-[12rem_1fr] gap-2">
        <dt className="font-semibold">Kind</dt>
        <dd>{typeLabel}</dd>
        {group.charityNumber ? (
          <>
            <dt className="font-semibold">Charity number</dt>
            <dd>{group.charityNumber}</dd>
          </>
        ) : null}
        {group.companyNumber ? (
          <>
            <dt className="font-semibold">Company number</dt>
            <dd>{group.companyNumber}</dd>
          </>
        ) : null}
        <dt className="font-semibold">Address</dt>
        <dd>
          {group.address}, {group.postcode}
        </dd>
        <dt className="font-semibold">Verified by the council</dt>
        <dd data-testid="verification">
          {verification
            ? `Yes, on ${formatDate(verification.verifiedAt)}${verification.verifiedByName ? ` by ${verification.verifiedByName}` : ""}, ` +
              `with version ${verification.version} of the bank details`
            : bank
              ? `Not yet: version ${bank.version} of the bank details is waiting for the council to check it`
              : "Not yet"}
        </dd>
      </dl>
      <h2>Bids</h2>
      {bids.length ? (
        <table className="mb-4">
          <caption className="sr-only">The group's bids</caption>
          <thead>
            <tr>
              <th scope="col">Bid</th>
              <th scope="col">Fund</th>
              <th scope="col">Amount</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {bids.map((b) => (
              <tr key={b.id}>
                <td>
                  <Link to={`/bids/${b.id}`}>{b.title || "Untitled bid"}</Link>{" "}
                  <span className="muted">{b.reference}</span>
                </td>
                <td>{b.fundName}</td>
                <td>{b.amountPence == null ? "" : formatPence(b.amountPence)}</td>
                <td>{STATUS_LABELS[b.status]}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p>The group has no bids yet.</p>
      )}
      <p>
        <Link to={`/groups/${group.id}/bids/new`} className="button">
          Start a bid
        </Link>
      </p>
      <h2>Members</h2>
      <ul className="list-disc pl-6">
        {members.map((m) => (
          <li key={m.userId}>
            {m.name} {m.memberRole === "lead" ? "(lead contact)" : ""}
          </li>
        ))}
      </ul>
      {isLead ? (
        <>
          <Form method="post" noValidate className="mt-4">
            <input type="hidden" name="intent" value="invite-member" />
            <TextField
              name="email"
              label="Invite a member by email"
              hint="We email them a link; they join the group when they accept it."
              type="email"
              spellCheck={false}
              state={memberState}
            />
            <SubmitButton>Send invitation</SubmitButton>
          </Form>
          {invitations.length ? (
            <>
              <h3>Invitations waiting for an answer</h3>
              <ul className="pl-6">
                {invitations.map((i) => (
                  <li key={i.id}>
                    <Form method="post" className="inline">
                      {i.email}, sent {i.sentAt.slice(0, 10)}{" "}
                      <input type="hidden" name="intent" value="cancel-invitation" />
                      <input type="hidden" name="invitationId" value={i.id} />
                      <button type="submit" className="button button-secondary">
                        Cancel invitation to {i.email}
                      </button>
                    </Form>
                  </li>
                ))}
              </ul>
            </>
          ) : null}
          {others.length ? (
            <Form method="post" noValidate className="mt-4">
              <input type="hidden" name="intent" value="hand-over" />
              <SelectField
                name="memberId"
                label="Hand the lead contact role to"
                hint="You stay a member; then you can leave the group if you wish."
                options={others.map((m) => ({ value: m.userId, label: m.name }))}
                state={handOverState}
              />
              <SubmitButton>Hand over</SubmitButton>
            </Form>
          ) : null}
        </>
      ) : null}
      <Form method="post" className="mt-4">
        <input type="hidden" name="intent" value="leave" />
        <SubmitButton>Leave this group</SubmitButton>
      </Form>
      <h2>Bank details</h2>
      <p>
        Only the council's finance officers see the full account number. Changing the details means the council must
        verify the group again.
      </p>
      {bank ? (
        <p>
          Current (version {bank.version}): {bank.accountName}, sort code {bank.sortCode}, account {bank.accountNumber}{" "}
          (entered {formatDate(bank.enteredAt)}
          {bank.enteredByName ? ` by ${bank.enteredByName}` : ""}).{" "}
          {verification ? "Verified by the council." : <strong>Not verified by the council yet.</strong>}
        </p>
      ) : (
        <p>No bank details yet.</p>
      )}
      <Form method="post" noValidate>
        <input type="hidden" name="intent" value="bank-details" />
        <TextField
          name="accountName"
          label="Name on the account"
          hint="The account must be in the organisation's name."
          state={bankState}
        />
        <TextField name="sortCode" label="Sort code" inputMode="numeric" className="max-w-40" state={bankState} />
        <TextField
          name="accountNumber"
          label="Account number"
          inputMode="numeric"
          autoComplete="off"
          className="max-w-48"
          state={bankState}
        />
        <SubmitButton>{bank ? "Change bank details" : "Save bank details"}</SubmitButton>
      </Form>
    </div>
  );
}
