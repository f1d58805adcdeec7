import type { ActionFunctionArgs, LoaderFunctionArgs, UploadHandler } from "@remix-run/node";
import { json, unstable_parseMultipartFormData } from "@remix-run/node";
import { Form, useActionData, useFetcher, useLoaderData, useNavigation } from "@remix-run/react";
import { useEffect } from "react";
import { Trans, useTranslation } from "react-i18next";
import { z } from "zod";
import { ErrorSummary, SubmitButton, useErrorText } from "~/components/forms";
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
import { titleMeta, useFormat } from "~/utils/translate";

export const meta = titleMeta("admin:postcodes.title");

const PROGRESS_POLL_MS = 1000;
const SEARCH_RESULTS = 50;
const searchSchema = z
  .string()
  .trim()
  .max(60, "admin:postcodes.tooLong")
  .regex(/^[A-Za-z0-9 '&.-]*$/, "admin:postcodes.characters");

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "admin");
  const url = new URL(request.url);
  const progress = currentPostcodeImport();
  if (url.searchParams.has("progress"))
    return json({ progress, count: 0, query: "", searchError: null, results: null });
  const query = url.searchParams.get("q") ?? "";
  const parsed = searchSchema.safeParse(query);
  const searchError = parsed.success ? null : (parsed.error.issues[0]?.message ?? "admin:postcodes.characters");
  const results = parsed.success && parsed.data !== "" ? searchPostcodes(parsed.data, SEARCH_RESULTS) : null;
  return json({ progress, count: countPostcodes(), query, searchError, results });
}

type ImportOutcome = { ok: true; summary: PostcodeImportSummary } | { ok: false; error: unknown };

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireRole(request, "admin");
  if (!(request.headers.get("Content-Type") ?? "").startsWith("multipart/form-data")) {
    return json(failure({ file: "admin:postcodes.chooseFile" }), { status: 400 });
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
        if (size === 0) outcome = { ok: false, error: new PostcodeFileError(1, "rounds:postcodes.empty") };
      } catch (error) {
        outcome = { ok: false, error };
      }
    }
    for (let next = await source.next(); !next.done; next = await source.next());
    return undefined;
  };
  await unstable_parseMultipartFormData(request, handler);
  const result = outcome as ImportOutcome | null;
  if (result === null) return json(failure({ file: "admin:postcodes.chooseFile" }), { status: 400 });
  if (result.ok) {
    const { summary } = result;
    return json({ ok: true as const, fileName, ...summary });
  }
  const { error } = result;
  if (error instanceof MissingColumnError)
    return json({ ...failure({ file: "admin:postcodes.missingColumn" }), column: error.column }, { status: 400 });
  if (error instanceof ImportRunningError)
    return json(failure({ file: "admin:postcodes.importRunning" }), { status: 409 });
  if (error instanceof PostcodeFileError) {
    // The line's problem is a message key (rounds:postcodes.*), shown in the reader's language.
    return json(
      {
        ...failure({ file: "admin:postcodes.fileProblem" }),
        problem: error.message,
        before: error.importedBefore ?? 0,
      },
      { status: 400 },
    );
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
  const { t } = useTranslation("admin");
  const format = useFormat();
  if (!importing) return null;
  const progress = fetcher.data?.progress;
  return (
    <div className="notice" role="status" aria-live="polite">
      {progress
        ? t("postcodes.progress", {
            file: progress.fileName,
            rows: format.number(progress.rowsRead),
            imported: format.number(progress.imported),
          })
        : t("postcodes.uploading")}
    </div>
  );
}

export default function Postcodes() {
  const { count, progress, query, searchError, results } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const state = result && "errors" in result ? result : undefined;
  const done = result && "imported" in result ? result : undefined;
  const { t } = useTranslation("admin");
  const format = useFormat();
  const errorText = useErrorText();
  const fileError = (() => {
    const message = state?.errors?.file;
    if (!message || !result) return message;
    if ("column" in result) return t("postcodes.missingColumn", { column: result.column });
    if ("problem" in result && "before" in result) {
      const before = result.before
        ? ` ${t("postcodes.importedBefore", { number: format.number(Number(result.before)) })}`
        : "";
      return `${t("postcodes.fileProblem", { problem: errorText(String(result.problem)) })}${before}`;
    }
    return errorText(message);
  })();
  const fileState = state && fileError ? { ...state, errors: { ...state.errors, file: fileError } } : state;
  return (
    <div className="max-w-3xl">
      <h1>{t("postcodes.title")}</h1>
      <p>
        <Trans
          t={t}
          i18nKey="postcodes.intro"
          values={{ count: format.number(count) }}
          components={{ strong: <strong /> }}
        />
      </p>
      <h2>{t("postcodes.find")}</h2>
      <Form method="get" role="search" noValidate>
        <div className={`field ${searchError ? "field-error" : ""}`}>
          <label htmlFor="field-q" className="block font-semibold">
            {t("postcodes.query")}
          </label>
          {searchError ? (
            <p id="field-q-error" className="error-message">
              <span className="sr-only">{t("forms:errorPrefix")} </span>
              {errorText(searchError)}
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
        <SubmitButton>{t("postcodes.search")}</SubmitButton>
      </Form>
      {results ? (
        results.length ? (
          <table>
            <caption className="sr-only">{t("postcodes.found")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("postcodes.postcode")}</th>
                <th scope="col">{t("postcodes.ward")}</th>
              </tr>
            </thead>
            <tbody>
              {results.map((r) => (
                <tr key={r.postcode}>
                  <td>{r.postcode}</td>
                  <td>
                    {r.wardName ? <span translate="no">{r.wardName}</span> : t("postcodes.unknownWard")} (
                    {r.wardGssCode})
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p role="status">{t("postcodes.none", { query: query.toUpperCase() })}</p>
        )
      ) : null}
      {results && results.length === SEARCH_RESULTS ? (
        <p>{t("postcodes.firstOnly", { count: SEARCH_RESULTS })}</p>
      ) : null}
      {progress && !done ? (
        <p className="notice" role="status">
          {t("postcodes.running", { file: progress.fileName, rows: format.number(progress.rowsRead) })}
        </p>
      ) : null}
      <ImportProgress />
      {done ? (
        <div className="notice" role="status">
          <h2 className="mt-0">{t("postcodes.imported", { file: done.fileName })}</h2>
          <p>
            {t("postcodes.importedCount", {
              imported: format.number(done.imported),
              replaced: format.number(done.replaced),
            })}{" "}
            {done.otherWards ? `${t("postcodes.otherWards", { count: done.otherWards })} ` : ""}
            {done.problemCount ? t("postcodes.problems", { count: done.problemCount }) : t("postcodes.allImported")}
          </p>
          {done.problemCount ? (
            <table>
              <caption className="sr-only">{t("postcodes.notImported")}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("postcodes.line")}</th>
                  <th scope="col">{t("postcodes.problem")}</th>
                </tr>
              </thead>
              <tbody>
                {done.problems.map((p) => (
                  <tr key={p.line}>
                    <td>{p.line}</td>
                    <td>{errorText(p.message)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
          {done.problemCount > done.problems.length ? (
            <p>{t("postcodes.firstProblems", { count: done.problems.length })}</p>
          ) : null}
        </div>
      ) : null}
      <ErrorSummary state={fileState} labels={{ file: t("postcodes.file") }} />
      <h2>{t("postcodes.importHeading")}</h2>
      <p>
        <Trans t={t} i18nKey="postcodes.importIntro" components={{ code: <code /> }} />
      </p>
      <Form method="post" encType="multipart/form-data" noValidate>
        <div className={`field ${state?.errors?.file ? "field-error" : ""}`}>
          <label htmlFor="field-file" className="block font-semibold">
            {t("postcodes.file")}
          </label>
          {fileError ? (
            <p id="field-file-error" className="error-message">
              <span className="sr-only">{t("forms:errorPrefix")} </span>
              {fileError}
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
        <SubmitButton>{t("postcodes.import")}</SubmitButton>
      </Form>
    </div>
  );
}
