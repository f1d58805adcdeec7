import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { ErrorSummary, SubmitButton, TextField } from "~/components/forms";
import { STATUS_LABELS } from "~/core/bids";
import { normaliseAccountNumber, normaliseSortCode } from "~/core/groups/identifiers";
import { formatPence } from "~/core/money";
import { listBidsOfGroup } from "~/models/bids.server";
import { addMember, getGroup, setBankDetails } from "~/models/groups.server";
import { emailField } from "~/utils/account-fields";
import { ORGANISATION_TYPE_LABELS } from "~/forms/group-form";
import { requireMemberOf } from "~/utils/auth.server";
import { parseForm } from "~/utils/form";
import { idParam, notFound } from "~/utils/http.server";
import { answeringRefusals } from "~/utils/refusal.server";
import { formatDate } from "~/core/time";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.group.name ?? "Group"} – Wardfund` }];

const memberSchema = z.object({
  intent: z.literal("add-member"),
  email: emailField("Enter the email address of the person to add"),
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
    isLead,
    typeLabel: ORGANISATION_TYPE_LABELS[data.group.organisationType],
    bids: listBidsOfGroup(groupId),
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const groupId = idParam(params.groupId);
  const user = await requireMemberOf(request, groupId);
  const formData = await request.formData();
  const intent = formData.get("intent");
  const answer = () => {
    if (intent === "add-member") {
      const form = parseForm(memberSchema, formData);
      if (!form.ok) return json({ ...form, intent }, { status: 400 });
      addMember(user, groupId, form.data.email);
      return redirect(`/groups/${groupId}?saved=member`);
    }
    const form = parseForm(bankSchema, formData);
    if (!form.ok) return json({ ...form, intent: "bank-details" }, { status: 400 });
    const { reverificationNeeded } = setBankDetails(user, groupId, form.data);
    return redirect(`/groups/${groupId}?saved=${reverificationNeeded ? "bank-reverify" : "bank"}`);
  };
  return answeringRefusals({}, answer, { field: "email", status: 422, extra: { intent } });
}

const NOTICES: Record<string, string> = {
  member: "Member added.",
  bank: "Bank details saved.",
  "bank-reverify":
    "Bank details saved. Because they changed, the council must verify the group again before any payment.",
};

export default function GroupPage() {
  const { group, members, bank, verification, isLead, typeLabel, bids } = useLoaderData<typeof loader>();
  const state = useActionData<typeof action>();
  const [params] = useSearchParams();
  const notice = params.has("registered")
    ? "Your group is registered. Add its bank details, then the council will verify it."
    : NOTICES[params.get("saved") ?? ""];
  const memberState = state?.intent === "add-member" ? state : undefined;
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
          email: "Add a member",
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
        <Form method="post" noValidate className="mt-4">
          <input type="hidden" name="intent" value="add-member" />
          <TextField
            name="email"
            label="Add a member by email"
            hint="They need a Wardfund account already."
            type="email"
            spellCheck={false}
            state={memberState}
          />
          <SubmitButton>Add member</SubmitButton>
        </Form>
      ) : null}
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
