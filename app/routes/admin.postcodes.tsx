import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { ErrorSummary, SubmitButton } from "~/components/forms";
import { MissingColumnError } from "~/core/places/postcode-directory";
import { countPostcodes, importPostcodes, listWards } from "~/models/council.server";
import { readPostcodeCsv } from "~/models/postcode-csv.server";
import { requireRole } from "~/utils/auth.server";
import { failure } from "~/utils/form";

export const meta: MetaFunction = () => [{ title: "Postcodes – Wardfund" }];

const MAX_UPLOAD_BYTES = 50 * 1024 * 1024;
const PROBLEMS_SHOWN = 200;

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "admin");
  return json({ count: countPostcodes() });
}

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireRole(request, "admin");
  const declared = Number(request.headers.get("Content-Length") ?? 0);
  if (declared > MAX_UPLOAD_BYTES) return json(failure({ file: "The file is larger than 50 MB. Split it, or import only this council's rows." }), { status: 413 });
  const formData = await request.formData();
  const file = formData.get("file");
  if (!file || typeof file === "string" || file.size === 0) return json(failure({ file: "Choose a CSV file to import" }), { status: 400 });
  if (file.size > MAX_UPLOAD_BYTES) return json(failure({ file: "The file is larger than 50 MB." }), { status: 413 });
  const wardCodes = new Set(listWards().map((w) => w.gssCode));
  try {
    const read = readPostcodeCsv(await file.text(), wardCodes);
    const summary = importPostcodes(admin, file.name || "upload.csv", read.rows, read.problems);
    return json({
      ok: true as const,
      fileName: file.name,
      imported: summary.imported,
      replaced: summary.replaced,
      problemCount: summary.problems.length,
      problems: summary.problems.slice(0, PROBLEMS_SHOWN),
    });
  } catch (error) {
    if (error instanceof MissingColumnError) return json(failure({ file: error.message }), { status: 400 });
    if (error instanceof Error && "code" in error && String(error.code).startsWith("CSV_")) {
      return json(failure({ file: `The file is not valid CSV: ${error.message}` }), { status: 400 });
    }
    throw error;
  }
}

export default function Postcodes() {
  const { count } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const state = result && "errors" in result ? result : undefined;
  const done = result && "imported" in result ? result : undefined;
  return (
    <div className="max-w-3xl">
      <h1>Postcodes</h1>
      <p>
        The postcode table says which ward each postcode is in; it decides who may vote in a round. It holds{" "}
        <strong>{count.toLocaleString("en-GB")}</strong> postcodes.
      </p>
      {done ? (
        <div className="notice" role="status">
          <h2 className="mt-0">Imported {done.fileName}</h2>
          <p>
            {done.imported.toLocaleString("en-GB")} postcodes imported ({done.replaced.toLocaleString("en-GB")} moved to a different ward).{" "}
            {done.problemCount ? `${done.problemCount.toLocaleString("en-GB")} rows were not imported:` : "Every row was imported."}
          </p>
          {done.problemCount ? (
            <table>
              <caption className="sr-only">Rows not imported</caption>
              <thead>
                <tr>
                  <th scope="col">Line</th>
                  <th scope="col">Problem</th>
                </tr>
              </thead>
              <tbody>
                {done.problems.map((p) => (
                  <tr key={p.line}>
                    <td>{p.line}</td>
                    <td>{p.message}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
          {done.problemCount > done.problems.length ? <p>Only the first {done.problems.length} problems are shown.</p> : null}
        </div>
      ) : null}
      <ErrorSummary state={state} labels={{ file: "CSV file" }} />
      <h2>Import from the ONS Postcode Directory</h2>
      <p>
        Upload a CSV in the ONS Postcode Directory layout. Only the <code>pcds</code> (postcode) and <code>osward</code> (ward GSS code)
        columns are used; rows for wards outside this council are reported and skipped. Existing postcodes are updated.
      </p>
      <Form method="post" encType="multipart/form-data" noValidate>
        <div className={`field ${state?.errors?.file ? "field-error" : ""}`}>
          <label htmlFor="field-file" className="block font-semibold">
            CSV file
          </label>
          {state?.errors?.file ? (
            <p id="field-file-error" className="error-message">
              <span className="sr-only">Error: </span>
              {state.errors.file}
            </p>
          ) : null}
          <input
            id="field-file"
            name="file"
            type="file"
            accept=".csv,text/csv"
            aria-describedby={state?.errors?.file ? "field-file-error" : undefined}
            aria-invalid={state?.errors?.file ? true : undefined}
            className="mt-1 block"
          />
        </div>
        <SubmitButton>Import postcodes</SubmitButton>
      </Form>
    </div>
  );
}
