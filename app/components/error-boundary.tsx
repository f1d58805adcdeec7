/**
 * One error page for every route: a 403, a 404 or anything else. It shows a plain message and
 * never a stack trace or an internal error message. A route's own explanation (a short string in
 * the response) is shown in the reader's language: a catalogue key ("voting:noRound") is translated,
 * other text is shown as given.
 */
import { isRouteErrorResponse, Link, useRouteError } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { useErrorText } from "~/components/forms";

export function GeneralErrorBoundary() {
  const error = useRouteError();
  const { t } = useTranslation();
  const errorText = useErrorText();
  const home = <Link to="/">{t("errors.home")}</Link>;
  if (isRouteErrorResponse(error)) {
    if (error.status === 403) {
      return (
        <ErrorPage title={t("errors.forbiddenTitle")}>
          <p>
            {typeof error.data === "string" && error.data.length < 200
              ? errorText(error.data)
              : t("errors.forbiddenBody")}
          </p>
          <p>
            {t("errors.forbiddenAsk")} {home}.
          </p>
        </ErrorPage>
      );
    }
    if (error.status === 404) {
      return (
        <ErrorPage title={t("errors.notFoundTitle")}>
          <p>{t("errors.notFoundBody")}</p>
          <p>{home}.</p>
        </ErrorPage>
      );
    }
    if (error.status === 503) {
      return (
        <ErrorPage title={t("errors.unavailableTitle")}>
          <p>
            {typeof error.data === "string" && error.data.length < 300
              ? errorText(error.data)
              : t("errors.unavailableBody")}
          </p>
        </ErrorPage>
      );
    }
    return (
      <ErrorPage title={error.status === 400 ? t("errors.badRequestTitle") : t("errors.problemTitle")}>
        <p>{error.status === 400 && typeof error.data === "string" ? errorText(error.data) : t("errors.tryLater")}</p>
      </ErrorPage>
    );
  }
  return (
    <ErrorPage title={t("errors.serviceTitle")}>
      <p>{t("errors.serviceBody")}</p>
    </ErrorPage>
  );
}

function ErrorPage({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <div>
      <h1>{title}</h1>
      {children}
    </div>
  );
}
