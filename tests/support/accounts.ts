/**
 * Accounts made the way people make them: registered, then confirmed with the mailed link; and
 * group places given the way leads give them: an invitation the invitee accepts.
 */
import { confirmEmail, findUserByEmail, registerResident } from "~/models/accounts.server";
import { acceptInvitation, inviteToGroup } from "~/models/invitations.server";
import { loadPrincipal, type Principal } from "~/utils/auth.server";

let clients = 0;

/** Registers a resident and confirms the address; returns the account's id. */
export async function registerConfirmed(input: {
  name: string;
  email: string;
  password: string;
  postcode: string | null;
}): Promise<string> {
  let token = "";
  // A fresh client address each time, so helpers never run into the registration limits.
  clients += 1;
  const result = await registerResident(input, {
    clientAddress: `test-client-${clients}`,
    linkFor: (value) => (token = value),
  });
  if (!result.ok || !token) throw new Error(`Could not register ${input.email}`);
  const confirmed = confirmEmail(token);
  if (!confirmed.ok) throw new Error(confirmed.message);
  return findUserByEmail(input.email)!.id;
}

/** The lead invites `email` to the group and its holder accepts; returns the member's principal. */
export function addMemberByConsent(lead: Principal, groupId: number, email: string): Principal {
  let token = "";
  inviteToGroup(lead, groupId, email, (value) => (token = value));
  const invitee = loadPrincipal(findUserByEmail(email)!.id)!;
  const accepted = acceptInvitation(token, invitee);
  if (!accepted.ok) throw new Error(accepted.message);
  return loadPrincipal(invitee.id)!;
}
