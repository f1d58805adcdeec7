/**
 * One error page for every route: a 403, a 404 or anything else. It shows a plain message and
 * never a stack trace or an internal error message.
 */
import { isRouteErrorResponse, Link, useRouteError } from "@remix-run/react";

export function GeneralErrorBoundary() {
  const error = useRouteError();
  if (isRouteErrorResponse(error)) {
    if (error.status === 403) {
      return (
        <ErrorPage title="You do not have permission to see this page">
          <p>
            {typeof error.data === "string" && error.data.length < 200
              ? error.data
              : "Your account does not have the role this page needs."}
          </p>
          <p>
            If you think you should have access, ask your council's Wardfund administrator.{" "}
            <Link to="/">Go to the home page</Link>.
          </p>
        </ErrorPage>
      );
    }
    if (error.status === 404) {
      return (
        <ErrorPage title="Page not found">
          <p>
            If you typed the web address, check it is correct. If you pasted it, check you copied the whole address.
          </p>
          <p>
            <Link to="/">Go to the home page</Link>.
          </p>
        </ErrorPage>
      );
    }
    if (error.status === 503) {
      return (
        <ErrorPage title="Not recorded: try again shortly">
          <p>
            {typeof error.data === "string" && error.data.length < 300
              ? error.data
              : "The service cannot save anything just now. Try again shortly."}
          </p>
        </ErrorPage>
      );
    }
    return (
      <ErrorPage title={error.status === 400 ? "There is a problem with the request" : "Sorry, there is a problem"}>
        <p>{error.status === 400 && typeof error.data === "string" ? error.data : "Try again later."}</p>
      </ErrorPage>
    );
  }
  return (
    <ErrorPage title="Sorry, there is a problem with the service">
      <p>Try again later. Nothing you had already saved has been lost.</p>
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
