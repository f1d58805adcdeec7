import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { checkPasswordToken, confirmEmail } from "~/models/accounts.server";
import { SubmitButton } from "~/components/forms";
import { assertSameOrigin } from "~/utils/origin.server";

export const meta: MetaFunction = () => [{ title: "Confirm your email address – Wardfund" }];

/**
 * Public: the link itself is the proof. Opening it only shows a button, so a mail scanner that
 * fetches links does not use the token up; the button confirms.
 */
export async function loader({ params }: LoaderFunctionArgs) {
  const check = checkPasswordToken(params.token ?? "");
  const usable = check.ok && check.purpose === "verify";
  return json(usable ? { valid: true as const } : { valid: false as const, message: linkProblem(check) });
}

function linkProblem(check: ReturnType<typeof checkPasswordToken>): string {
  return check.ok ? "This link is not valid. Ask for a new one." : check.message;
}

export async function action({ request, params }: ActionFunctionArgs) {
  assertSameOrigin(request);
  const result = confirmEmail(params.token ?? "");
  if (!result.ok) return json({ confirmed: false as const, message: result.message }, { status: 400 });
  return json({ confirmed: true as const });
}

export default function ConfirmEmailLink() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  if (result?.confirmed) {
    return (
      <div className="max-w-xl">
        <h1>Your email address is confirmed</h1>
        <p role="status">You can now vote in your area's rounds and bid for your community group.</p>
        <p>
          <Link to="/account">Go to your account</Link> (you may need to <Link to="/login">sign in</Link> first).
        </p>
      </div>
    );
  }
  const problem = result && !result.confirmed ? result.message : !data.valid ? data.message : null;
  if (problem) {
    return (
      <div className="max-w-xl">
        <h1>This link cannot be used</h1>
        <p>{problem}</p>
        <p>
          <Link to="/confirm-email">Ask for a new link</Link>
        </p>
      </div>
    );
  }
  return (
    <div className="max-w-xl">
      <h1>Confirm your email address</h1>
      <p>Confirm that this address is yours to start using your Wardfund account.</p>
      <Form method="post">
        <SubmitButton>Confirm my email address</SubmitButton>
      </Form>
    </div>
  );
}
