import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { formatPence } from "~/core/money";
import { formatRoundDate, PHASE_LABELS } from "~/core/rounds";
import { advanceRoundPhases } from "~/models/rounds/phases.server";
import { publicProject } from "~/models/rounds/public.server";
import { idParam, notFound } from "~/utils/http.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.project.title ?? "Project"} – ${data?.round.name ?? "Round"} – Wardfund` },
];

/** Public: one project of a round. Names the group, never its members. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const roundId = idParam(params.roundId);
  const bidId = idParam(params.bidId);
  advanceRoundPhases();
  const found = publicProject(roundId, bidId);
  if (!found) throw notFound("There is no such project in this round.");
  const url = new URL(request.url);
  return json({ ...found, pageUrl: `${url.origin}/rounds/${roundId}/projects/${bidId}` });
}

export default function Project() {
  const { round, project, resultsPublished, pageUrl } = useLoaderData<typeof loader>();
  const mailto = `mailto:?subject=${encodeURIComponent(project.title)}&body=${encodeURIComponent(`${project.title} (${round.name}): ${pageUrl}`)}`;
  return (
    <div className="max-w-3xl">
      <p>
        <Link to={`/rounds/${round.id}`}>All projects in {round.name}</Link>
      </p>
      <h1>{project.title}</h1>
      {project.hasImage ? (
        <img
          src={`/rounds/${round.id}/photos/${project.bidId}`}
          alt={`The project: ${project.title}`}
          className="mb-4 w-full"
        />
      ) : null}
      <p className="text-lg">{project.summary}</p>
      <dl className="grid grid-cols-[auto_1fr] gap-x-4">
        <dt className="font-semibold">Reference</dt>
        <dd>{project.reference}</dd>
        <dt className="font-semibold">Cost</dt>
        <dd>{formatPence(project.amountPence)}</dd>
        <dt className="font-semibold">Ward</dt>
        <dd>{project.wards.join(", ")}</dd>
        <dt className="font-semibold">Group</dt>
        <dd>{project.groupName}</dd>
        {project.beneficiaries ? (
          <>
            <dt className="font-semibold">Who benefits</dt>
            <dd>
              {project.beneficiaries}
              {project.beneficiaryCount ? ` (about ${project.beneficiaryCount.toLocaleString("en-GB")} people)` : ""}
            </dd>
          </>
        ) : null}
        {project.ballotPosition !== null ? (
          <>
            <dt className="font-semibold">Ballot number</dt>
            <dd>{project.ballotPosition}</dd>
          </>
        ) : null}
        <dt className="font-semibold">Round</dt>
        <dd>{PHASE_LABELS[round.phase]}</dd>
      </dl>
      {project.mergedInto ? (
        <p className="notice">
          This bid was merged into{" "}
          <Link to={`/rounds/${round.id}/projects/${project.mergedInto.bidId}`}>{project.mergedInto.title}</Link>.{" "}
          {project.eligibilityReason}
        </p>
      ) : project.eligibility === "ineligible" ? (
        <p className="notice">This bid is not eligible for the round. {project.eligibilityReason}</p>
      ) : null}
      {project.delivery ? (
        <section aria-labelledby="delivery" className="panel">
          <h2 id="delivery">Progress</h2>
          <p>
            <strong>{project.delivery.status}</strong>
            {project.delivery.updatedAt ? ` (updated ${formatRoundDate(project.delivery.updatedAt)})` : ""}
          </p>
          {project.delivery.note ? <p>{project.delivery.note}</p> : null}
        </section>
      ) : null}
      <h2>About the project</h2>
      <p className="whitespace-pre-line">{project.description}</p>
      <div className="my-4 flex flex-wrap gap-4">
        {round.phase === "voting" && project.onBallot ? (
          <Link to={`/rounds/${round.id}/vote`} className="button">
            Vote in {round.name}
          </Link>
        ) : null}
        {resultsPublished ? <Link to={`/rounds/${round.id}/results`}>Results of {round.name}</Link> : null}
      </div>
      <h2>Share this project</h2>
      <label htmlFor="share-url" className="block font-semibold">
        Link to this project
      </label>
      <input id="share-url" readOnly value={pageUrl} className="input" onFocus={(e) => e.currentTarget.select()} />
      <ul className="mt-2 flex flex-wrap gap-4">
        <li>
          <a href={mailto}>Share by email</a>
        </li>
        <li>
          <a href={pageUrl}>Direct link</a>
        </li>
      </ul>
    </div>
  );
}
