import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction, UploadHandler } from "@remix-run/node";
import { json, unstable_parseMultipartFormData } from "@remix-run/node";
import { Form, useActionData, useFetcher, useLoaderData, useNavigation } from "@remix-run/react";
import { useEffect } from "react";
import { z } from "zod";
import { ErrorSummary, SubmitButton } from "~/components/forms";
import { MissingColumnError } from "~/core/places/postcode-directory";
import { countPostcodes, listWards } from "~/models/council.server";
import {
  currentPostcodeImport,
  importPostcodeCsv,
  ImportRunningError,
  PostcodeFileError,
  searchPostcodes,
  type PostcodeImportSummary,
} from "~/models/postcode-csv.server";
import { requireRole } from "~/utils/auth.server";
import { failure } from "~/utils/form";

export const meta: MetaFunction = () => [{ title: "Postcodes – Wardfund" }];

const PROGRESS_POLL_MS = 1000;
const SEARCH_RESULTS = 50;
const searchSchema = z
  .string()
  .trim()
  .max(60, "Enter at most 60 characters")
  .regex(/^[A-Za-z0-9 '&.-]*$/, "Use letters, digits and spaces only");

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "admin");
  const url = new URL(request.url);
  const progress = currentPostcodeImport();
  if (url.searchParams.has("progress"))
    return json({ progress, count: 0, query: "", searchError: null, results: null });
  const query = url.searchParams.get("q") ?? "";
  const parsed = searchSchema.safeParse(query);
  const searchError = parsed.success ? null : (parsed.error.issues[0]?.message ?? "Enter a postcode");
  const results = parsed.success && parsed.data !== "" ? searchPostcodes(parsed.data, SEARCH_RESULTS) : null;
  return json({ progress, count: countPostcodes(), query, searchError, results });
}

type ImportOutcome = { ok: true; summary: PostcodeImportSummary } | { ok: false; error: unknown };

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireRole(request, "admin");
  if (!(request.headers.get("Content-Type") ?? "").startsWith("multipart/form-data")) {
    return json(failure({ file: "Choose a CSV file to import" }), { status: 400 });
  }
  const wardCodes = new Set(listWards().map((w) => w.gssCode));
  let outcome: ImportOutcome | null = null;
  let fileName = "";
  const handler: UploadHandler = async ({ name, filename, data }) => {
    const source = data[Symbol.asyncIterator]();
    // The import reads through this view; leaving it early does not close the upload, which is drained below.
    const input = { [Symbol.asyncIterator]: () => ({ next: () => source.next() }) };
    let size = 0;
    const counted = {
      async *[Symbol.asyncIterator]() {
        for await (const chunk of input) {
          size += chunk.byteLength;
          yield chunk;
        }
      },
    };
    if (name === "file" && filename !== undefined && outcome === null) {
      fileName = filename || "upload.csv";
      try {
        outcome = { ok: true, summary: await importPostcodeCsv(admin, fileName, counted, wardCodes) };
        if (size === 0) outcome = { ok: false, error: new PostcodeFileError(1, "the file is empty") };
      } catch (error) {
        outcome = { ok: false, error };
      }
    }
    for (let next = await source.next(); !next.done; next = await source.next());
    return undefined;
  };
  await unstable_parseMultipartFormData(request, handler);
  const result = outcome as ImportOutcome | null;
  if (result === null) return json(failure({ file: "Choose a CSV file to import" }), { status: 400 });
  if (result.ok) {
    const { summary } = result;
    return json({ ok: true as const, fileName, ...summary });
  }
  const { error } = result;
  if (error instanceof MissingColumnError) return json(failure({ file: error.message }), { status: 400 });
  if (error instanceof ImportRunningError) return json(failure({ file: error.message }), { status: 409 });
  if (error instanceof PostcodeFileError) {
    const before = error.importedBefore
      ? ` The ${error.importedBefore.toLocaleString("en-GB")} postcodes before it were imported.`
      : "";
    return json(failure({ file: `${error.message}. Nothing after this line was imported.${before}` }), { status: 400 });
  }
  throw error;
}

function ImportProgress() {
  const navigation = useNavigation();
  const fetcher = useFetcher<typeof loader>();
  const importing = navigation.state === "submitting" && navigation.formMethod?.toLowerCase() === "post";
  useEffect(() => {
    if (!importing) return;
    const timer = setInterval(() => fetcher.load("/admin/postcodes?progress"), PROGRESS_POLL_MS);
    return () => clearInterval(timer);
    // fetcher.load is stable enough for polling; re-running on each fetcher change would restart the timer.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [importing]);
  if (!importing) return null;
  const progress = fetcher.data?.progress;
  return (
    <div className="notice" role="status" aria-live="polite">
      {progress
        ? `Importing ${progress.fileName}: ${progress.rowsRead.toLocaleString("en-GB")} rows read, ${progress.imported.toLocaleString("en-GB")} postcodes imported…`
        : "Uploading and importing…"}
    </div>
  );
}

export default function Postcodes() {
  const { count, progress, query, searchError, results } = useLoaderData<typeof loader>();
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
      <h2>Find a postcode</h2>
      <Form method="get" role="search" noValidate>
        <div className={`field ${searchError ? "field-error" : ""}`}>
          <label htmlFor="field-q" className="block font-semibold">
            Postcode, its start, or a ward's name
          </label>
          {searchError ? (
            <p id="field-q-error" className="error-message">
              <span className="sr-only">Error: </span>
              {searchError}
            </p>
          ) : null}
          <input
            id="field-q"
            name="q"
            type="search"
            defaultValue={query}
            autoComplete="off"
            aria-describedby={searchError ? "field-q-error" : undefined}
            aria-invalid={searchError ? true : undefined}
            className="mt-1 block"
          />
        </div>
        <SubmitButton>Search</SubmitButton>
      </Form>
      {results ? (
        results.length ? (
          <table>
            <caption className="sr-only">Postcodes found</caption>
            <thead>
              <tr>
                <th scope="col">Postcode</th>
                <th scope="col">Ward</th>
              </tr>
            </thead>
            <tbody>
              {results.map((r) => (
                <tr key={r.postcode}>
                  <td>{r.postcode}</td>
                  <td>
                    {r.wardName ?? "Unknown ward"} ({r.wardGssCode})
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p role="status">No postcode starts with “{query.toUpperCase()}”.</p>
        )
      ) : null}
      {results && results.length === SEARCH_RESULTS ? (
        <p>Only the first {SEARCH_RESULTS} are shown; type more of the postcode.</p>
      ) : null}
      {progress && !done ? (
        <p className="notice" role="status">
          An import of {progress.fileName} is running: {progress.rowsRead.toLocaleString("en-GB")} rows read so far.
        </p>
      ) : null}
      <ImportProgress />
      {done ? (
        <div className="notice" role="status">
          <h2 className="mt-0">Imported {done.fileName}</h2>
          <p>
            {done.imported.toLocaleString("en-GB")} postcodes imported ({done.replaced.toLocaleString("en-GB")} moved to
            a different ward).{" "}
            {done.otherWards
              ? `${done.otherWards.toLocaleString("en-GB")} rows for other councils' wards were skipped. `
              : ""}
            {done.problemCount
              ? `${done.problemCount.toLocaleString("en-GB")} rows were not imported:`
              : "Every row for this council was imported."}
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
          {done.problemCount > done.problems.length ? (
            <p>Only the first {done.problems.length} problems are shown.</p>
          ) : null}
        </div>
      ) : null}
      <ErrorSummary state={state} labels={{ file: "CSV file" }} />
      <h2>Import from the ONS Postcode Directory</h2>
      <p>
        Upload a CSV in the ONS Postcode Directory layout; the national file can be uploaded whole. Only the{" "}
        <code>pcds</code> (postcode) and <code>osward</code> (ward GSS code) columns are used; rows for wards outside
        this council are counted and skipped. Existing postcodes are updated.
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
