import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { ErrorSummary, SelectField, SubmitButton, TextField } from "~/components/forms";
import { LocalisedText } from "~/components/localised-text";
import { normaliseAccountNumber, normaliseSortCode } from "~/core/groups/identifiers";
import { listBidsOfGroup } from "~/models/bids.server";
import { getGroup, handOverLead, leaveGroup, setBankDetails } from "~/models/groups.server";
import { cancelInvitation, inviteToGroup, listPendingInvitations } from "~/models/invitations.server";
import { emailField } from "~/utils/account-fields";
import { requireMemberOf } from "~/utils/auth.server";
import { parseForm } from "~/utils/form";
import { idParam, notFound } from "~/utils/http.server";
import { deliverMail, secretLink } from "~/utils/mail.server";
import { answeringRefusals } from "~/utils/refusal.server";
import { languageOfMatches, translatorFor, useFormat } from "~/utils/translate";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  const t = translatorFor(languageOfMatches(matches));
  return [{ title: t("common:title", { page: data?.group.name ?? t("bids:page.group") }) }];
};

const memberSchema = z.object({
  intent: z.literal("invite-member"),
  email: emailField("bids:group.errors.inviteEmail"),
});
const handOverSchema = z.object({
  intent: z.literal("hand-over"),
  memberId: z.string().min(1, "bids:group.errors.chooseLead"),
});
const cancelSchema = z.object({
  intent: z.literal("cancel-invitation"),
  invitationId: z.coerce.number().int().positive(),
});
const bankSchema = z.object({
  intent: z.literal("bank-details"),
  accountName: z.string().trim().min(2, "bids:group.errors.accountName").max(120),
  sortCode: z
    .string()
    .transform(
      (v, ctx) => normaliseSortCode(v) ?? (ctx.addIssue({ code: "custom", message: "bids:group.errors.sortCode" }), ""),
    ),
  accountNumber: z
    .string()
    .transform(
      (v, ctx) =>
        normaliseAccountNumber(v) ?? (ctx.addIssue({ code: "custom", message: "bids:group.errors.accountNumber" }), ""),
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
  invited: "group.invited",
  "handed-over": "group.handedOver",
  "invitation-cancelled": "group.invitationCancelled",
  bank: "group.bank",
  "bank-reverify": "group.bankReverify",
};

export default function GroupPage() {
  const { group, members, bank, verification, isLead, bids, invitations, userId } = useLoaderData<typeof loader>();
  const state = useActionData<typeof action>();
  const [params] = useSearchParams();
  const { t } = useTranslation("bids");
  const { date, money } = useFormat();
  const noticeKey = params.has("registered") ? "group.registered" : NOTICES[params.get("saved") ?? ""];
  const notice = noticeKey ? t(noticeKey) : undefined;
  const memberState = state?.intent === "invite-member" ? state : undefined;
  const handOverState = state?.intent === "hand-over" ? state : undefined;
  const others = members.filter((m) => m.userId !== userId);
  const bankState = state?.intent === "bank-details" ? state : undefined;
  return (
    <div className="max-w-3xl">
      <h1 translate="no">{group.name}</h1>
      {notice && !state ? (
        <p className="notice" role="status">
          {notice}
        </p>
      ) : null}
      <ErrorSummary
        state={state}
        labels={{
          email: t("group.inviteLabel"),
          memberId: t("group.newLead"),
          accountName: t("group.accountName"),
          sortCode: t("group.sortCode"),
          accountNumber: t("group.accountNumber"),
        }}
      />
      <dl className="grid grid-cols-[12rem_1fr] gap-2">
        <dt className="font-semibold">{t("group.kind")}</dt>
        <dd>{t(`forms:organisationTypes.${group.organisationType}`)}</dd>
        {group.charityNumber ? (
          <>
            <dt className="font-semibold">{t("group.charityNumber")}</dt>
            <dd>{group.charityNumber}</dd>
          </>
        ) : null}
        {group.companyNumber ? (
          <>
            <dt className="font-semibold">{t("group.companyNumber")}</dt>
            <dd>{group.companyNumber}</dd>
          </>
        ) : null}
        <dt className="font-semibold">{t("group.address")}</dt>
        <dd translate="no">
          {group.address}, {group.postcode}
        </dd>
        <dt className="font-semibold">{t("group.verified")}</dt>
        <dd data-testid="verification">
          {verification
            ? t(verification.verifiedByName ? "group.verifiedOnBy" : "group.verifiedOn", {
                date: date(verification.verifiedAt),
                name: verification.verifiedByName ?? "",
                version: verification.version,
              })
            : bank
              ? t("group.bankWaiting", { version: bank.version })
              : t("group.notYet")}
        </dd>
      </dl>
      <h2>{t("group.bids")}</h2>
      {bids.length ? (
        <table className="mb-4">
          <caption className="sr-only">{t("group.bidsCaption")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("group.bid")}</th>
              <th scope="col">{t("group.fund")}</th>
              <th scope="col">{t("group.amount")}</th>
              <th scope="col">{t("group.status")}</th>
            </tr>
          </thead>
          <tbody>
            {bids.map((b) => (
              <tr key={b.id}>
                <td>
                  <Link to={`/bids/${b.id}`} translate={b.title ? "no" : undefined}>
                    {b.title || t("page.untitled")}
                  </Link>{" "}
                  <span className="muted">{b.reference}</span>
                </td>
                <td>
                  <LocalisedText value={{ en: b.fundName, cy: b.fundNameCy }} />
                </td>
                <td>{b.amountPence == null ? "" : money(b.amountPence)}</td>
                <td>{t(`status.${b.status}`)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p>{t("group.noBids")}</p>
      )}
      <p>
        <Link to={`/groups/${group.id}/bids/new`} className="button">
          {t("group.startBid")}
        </Link>
      </p>
      <h2>{t("group.members")}</h2>
      <ul className="list-disc pl-6">
        {members.map((m) => (
          <li key={m.userId}>
            <span translate="no">{m.name}</span> {m.memberRole === "lead" ? t("group.leadContact") : ""}
          </li>
        ))}
      </ul>
      {isLead ? (
        <>
          <Form method="post" noValidate className="mt-4">
            <input type="hidden" name="intent" value="invite-member" />
            <TextField
              name="email"
              label={t("group.inviteByEmail")}
              hint={t("group.inviteHint")}
              type="email"
              spellCheck={false}
              state={memberState}
            />
            <SubmitButton>{t("group.sendInvitation")}</SubmitButton>
          </Form>
          {invitations.length ? (
            <>
              <h3>{t("group.invitationsWaiting")}</h3>
              <ul className="pl-6">
                {invitations.map((i) => (
                  <li key={i.id}>
                    <Form method="post" className="inline">
                      {t("group.sentOn", { email: i.email, date: date(i.sentAt) })}{" "}
                      <input type="hidden" name="intent" value="cancel-invitation" />
                      <input type="hidden" name="invitationId" value={i.id} />
                      <button type="submit" className="button button-secondary">
                        {t("group.cancelInvitation", { email: i.email })}
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
                label={t("group.handOverLabel")}
                hint={t("group.handOverHint")}
                options={others.map((m) => ({ value: m.userId, label: m.name }))}
                state={handOverState}
              />
              <SubmitButton>{t("group.handOver")}</SubmitButton>
            </Form>
          ) : null}
        </>
      ) : null}
      <Form method="post" className="mt-4">
        <input type="hidden" name="intent" value="leave" />
        <SubmitButton>{t("group.leave")}</SubmitButton>
      </Form>
      <h2>{t("group.bankHeading")}</h2>
      <p>{t("group.bankIntro")}</p>
      {bank ? (
        <p>
          {t(bank.enteredByName ? "group.bankCurrentBy" : "group.bankCurrent", {
            version: bank.version,
            name: bank.accountName,
            sortCode: bank.sortCode,
            account: bank.accountNumber,
            date: date(bank.enteredAt),
            by: bank.enteredByName ?? "",
          })}{" "}
          {verification ? t("group.bankVerified") : <strong>{t("group.bankNotVerified")}</strong>}
        </p>
      ) : (
        <p>{t("group.noBank")}</p>
      )}
      <Form method="post" noValidate>
        <input type="hidden" name="intent" value="bank-details" />
        <TextField
          name="accountName"
          label={t("group.accountName")}
          hint={t("group.accountNameHint")}
          state={bankState}
        />
        <TextField
          name="sortCode"
          label={t("group.sortCode")}
          inputMode="numeric"
          className="max-w-40"
          state={bankState}
        />
        <TextField
          name="accountNumber"
          label={t("group.accountNumber")}
          inputMode="numeric"
          autoComplete="off"
          className="max-w-48"
          state={bankState}
        />
        <SubmitButton>{t(bank ? "group.changeBank" : "group.saveBank")}</SubmitButton>
      </Form>
    </div>
  );
}
