import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { ErrorSummary, SubmitButton, TextAreaField, TextField } from "~/components/forms";
import { STATUS_LABELS } from "~/core/bids/status";
import { formatPence, formatPenceAsDecimal, tryParsePounds } from "~/core/money";
import { MonitoringRefusal, monitoringForMember, submitMonitoringReport } from "~/models/monitoring.server";
import { requireBidMember } from "~/models/offers.server";
import { requireUser } from "~/utils/auth.server";
import { failure, formValues, parseForm } from "~/utils/form";

export const meta: MetaFunction = () => [{ title: "Monitoring report – Wardfund" }];

const schema = z.object({
  whatWasDone: z.string().trim().min(1, "Say what the project did").max(4000, "What was done must be 4000 characters or fewer"),
  peopleReached: z.coerce.number({ invalid_type_error: "Enter the number of people reached, like 40" }).int("Enter a whole number").min(0, "Enter 0 or more").max(1_000_000, "Enter a smaller number"),
});

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const bidId = Number(params.bidId);
  requireBidMember(user, bidId);
  return json(monitoringForMember(user, bidId));
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const bidId = Number(params.bidId);
  requireBidMember(user, bidId);
  const formData = await request.formData();
  const values = formValues(formData);
  const form = parseForm(schema, formData);
  const errors: Record<string, string> = form.ok ? {} : { ...form.errors };
  const page = monitoringForMember(user, bidId);
  const spend = page.lines.map((line) => {
    const raw = String(formData.get(`spend-${line.lineNo}`) ?? "").trim();
    const parsed = tryParsePounds(raw || "0", { allowZero: true });
    if (!parsed.ok) errors[`spend-${line.lineNo}`] = parsed.error.userMessage;
    return { lineNo: line.lineNo, actualPence: parsed.ok ? parsed.pence : 0 };
  });
  if (!form.ok || Object.keys(errors).length) return json(failure(errors, values), { status: 400 });
  try {
    submitMonitoringReport(user, bidId, { whatWasDone: form.data.whatWasDone, peopleReached: form.data.peopleReached, spend });
  } catch (error) {
    if (error instanceof MonitoringRefusal) return json(failure({}, values, error.message), { status: error.status });
    throw error;
  }
  return redirect(`/bids/${bidId}/monitoring?done=1`);
}

export default function MonitoringReport() {
  const { bid, report, lines } = useLoaderData<typeof loader>();
  const state = useActionData<typeof action>();
  const [params] = useSearchParams();
  const labels: Record<string, string> = { whatWasDone: "What was done", peopleReached: "People reached" };
  for (const l of lines) labels[`spend-${l.lineNo}`] = `Spent on ${l.description}`;
  return (
    <div className="max-w-3xl">
      <h1>Monitoring report: {bid.title}</h1>
      <p className="muted">
        {bid.reference} · {STATUS_LABELS[bid.status]}
        {bid.endOn ? ` · project ended ${bid.endOn}` : ""}
      </p>
      {params.has("done") ? (
        <p className="notice" role="status">
          Thank you: the council has your monitoring report.
        </p>
      ) : null}
      <ErrorSummary state={state} labels={labels} />
      {!report ? (
        <p>No report is due yet. The council asks for one after the project's end date, once the grant has been paid.</p>
      ) : report.submittedAt ? (
        <section className="panel" aria-labelledby="sent">
          <h2 id="sent" className="mt-0">
            Sent on {report.submittedAt.slice(0, 10)}
          </h2>
          <p className="whitespace-pre-line">{report.whatWasDone}</p>
          <p>People reached: {report.peopleReached}</p>
          <ul className="list-disc pl-6">
            {report.spend.map((s) => (
              <li key={s.lineNo}>
                {lines.find((l) => l.lineNo === s.lineNo)?.description ?? `Line ${s.lineNo}`}: {formatPence(s.actualPence)}
              </li>
            ))}
          </ul>
        </section>
      ) : (
        <Form method="post" noValidate>
          <p>Due on {report.dueOn}. What you write under "what was done" is published on the ward's page.</p>
          <TextAreaField name="whatWasDone" label="What was done" hint="What the project did and what difference it made." state={state} rows={5} />
          <TextField name="peopleReached" label="How many people took part or benefited" inputMode="numeric" className="input w-32" state={state} />
          <fieldset className="field">
            <legend className="font-semibold">What was spent on each budget line (£)</legend>
            {lines.map((line) => (
              <TextField key={line.lineNo} name={`spend-${line.lineNo}`} label={`${line.description} (budget ${formatPence(line.amountPence)})`} inputMode="decimal" defaultValue={formatPenceAsDecimal(line.amountPence)} state={state} />
            ))}
          </fieldset>
          <SubmitButton>Send report</SubmitButton>
        </Form>
      )}
    </div>
  );
}
