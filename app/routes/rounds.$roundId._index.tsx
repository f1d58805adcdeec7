import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { formatPence } from "~/core/money";
import { COST_BANDS, formatRoundDate, PHASE_LABELS, rankingLimit, votingWindowState } from "~/core/rounds";
import { ballotSize } from "~/models/rounds/ballot-order.server";
import { advanceRoundPhases } from "~/models/rounds/phases.server";
import { roundGallery } from "~/models/rounds/public.server";
import { idParam, notFound } from "~/utils/http.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.round.name ?? "Round"} – Wardfund` }];

/** Public: a round's projects, filterable by ward and by cost (a GET form that works without JavaScript). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const roundId = idParam(params.roundId);
  advanceRoundPhases();
  const url = new URL(request.url);
  const wardParam = Number(url.searchParams.get("ward"));
  const band = url.searchParams.get("cost");
  const gallery = roundGallery(roundId, {
    wardId: Number.isSafeInteger(wardParam) && wardParam > 0 ? wardParam : null,
    band: COST_BANDS.some((b) => b.id === band) ? band : null,
  });
  if (!gallery) throw notFound("There is no such round.");
  const now = new Date().toISOString();
  return json({
    ...gallery,
    rankUpTo: rankingLimit(gallery.round.maxRanked, gallery.onBallot ? ballotSize(roundId) : 0),
    votingOpen: votingWindowState(gallery.round, now) === "open",
    pageUrl: `${url.origin}/rounds/${roundId}`,
    filters: { ward: url.searchParams.get("ward") ?? "", cost: band ?? "" },
  });
}

export default function RoundGallery() {
  const {
    round,
    onBallot,
    projects,
    totalProjects,
    notOnBallot,
    wardOptions,
    turnout,
    resultsPublished,
    pageUrl,
    filters,
    rankUpTo,
    votingOpen,
  } = useLoaderData<typeof loader>();
  const filtered = filters.ward !== "" || filters.cost !== "";
  const mailto = `mailto:?subject=${encodeURIComponent(round.name)}&body=${encodeURIComponent(`Have a look at the projects in ${round.name}: ${pageUrl}`)}`;
  return (
    <div>
      <p>
        <Link to="/rounds">All rounds</Link>
      </p>
      <h1>{round.name}</h1>
      <p className="max-w-3xl">{round.description}</p>
      <dl className="grid grid-cols-[auto_1fr] gap-x-4">
        <dt className="font-semibold">Area</dt>
        <dd>{round.allWards ? "Every ward" : round.wardNames.join(", ")}</dd>
        <dt className="font-semibold">Pot</dt>
        <dd>{formatPence(round.potPence)}</dd>
        <dt className="font-semibold">Now</dt>
        <dd>{PHASE_LABELS[round.phase]}</dd>
        <dt className="font-semibold">Voting</dt>
        <dd>
          {formatRoundDate(round.votingOpensAt, true)} to {formatRoundDate(round.votingClosesAt, true)}
        </dd>
        <dt className="font-semibold">Who can vote</dt>
        <dd>
          Residents of the area aged {round.minVoterAge} or over; rank up to {rankUpTo} projects.
        </dd>
        {turnout !== null ? (
          <>
            <dt className="font-semibold">Votes so far</dt>
            <dd>{turnout.toLocaleString("en-GB")}</dd>
          </>
        ) : null}
      </dl>
      <div className="my-4 flex flex-wrap gap-4">
        {votingOpen ? (
          <Link to={`/rounds/${round.id}/vote`} className="button">
            Vote in {round.name}
          </Link>
        ) : null}
        {resultsPublished ? (
          <Link to={`/rounds/${round.id}/results`} className="button">
            Results of {round.name}
          </Link>
        ) : null}
      </div>

      <h2>{onBallot ? "Projects on the ballot" : "Bids received"}</h2>
      <Form method="get" className="panel flex flex-wrap items-end gap-4" aria-label="Filter projects">
        <div>
          <label htmlFor="filter-ward" className="block font-semibold">
            Ward
          </label>
          <select id="filter-ward" name="ward" defaultValue={filters.ward} className="input">
            <option value="">All wards</option>
            {wardOptions.map((w) => (
              <option key={w.id} value={w.id}>
                {w.name}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="filter-cost" className="block font-semibold">
            Cost
          </label>
          <select id="filter-cost" name="cost" defaultValue={filters.cost} className="input">
            <option value="">Any cost</option>
            {COST_BANDS.map((b) => (
              <option key={b.id} value={b.id}>
                {b.label}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="button button-secondary">
          Show projects
        </button>
        {filtered ? <Link to={`/rounds/${round.id}`}>Clear filters</Link> : null}
      </Form>
      <p role="status">
        Showing {projects.length} of {totalProjects} {totalProjects === 1 ? "project" : "projects"}.
      </p>
      <ul className="grid gap-4 md:grid-cols-2">
        {projects.map((p) => (
          <li key={p.bidId} className="panel">
            {p.hasImage ? (
              <img
                src={`/rounds/${round.id}/photos/${p.bidId}`}
                alt={`The project: ${p.title}`}
                className="mb-2 aspect-video w-full object-cover"
              />
            ) : (
              <div className="mb-2 flex aspect-video w-full items-center justify-center bg-gray-100 muted">
                No photo
              </div>
            )}
            <h3 className="text-lg">
              <Link to={`/rounds/${round.id}/projects/${p.bidId}`}>{p.title}</Link>
            </h3>
            <p>{p.summary}</p>
            <dl className="grid grid-cols-[auto_1fr] gap-x-4">
              <dt className="font-semibold">Cost</dt>
              <dd>{formatPence(p.amountPence)}</dd>
              <dt className="font-semibold">Ward</dt>
              <dd>{p.wards.join(", ")}</dd>
              <dt className="font-semibold">Group</dt>
              <dd>{p.groupName}</dd>
              {p.ballotPosition !== null ? (
                <>
                  <dt className="font-semibold">Ballot number</dt>
                  <dd>{p.ballotPosition}</dd>
                </>
              ) : null}
            </dl>
          </li>
        ))}
      </ul>

      {notOnBallot.length > 0 ? (
        <>
          <h2>Bids not on the ballot</h2>
          <p>
            Council officers checked every bid against the round's rules. These bids are not on the ballot, for the
            reasons given.
          </p>
          <ul className="grid gap-2">
            {notOnBallot.map((b) => (
              <li key={b.bidId}>
                <strong>{b.title}</strong> ({b.groupName}):{" "}
                {b.mergedInto ? (
                  <>
                    merged into{" "}
                    <Link to={`/rounds/${round.id}/projects/${b.mergedInto.bidId}`}>{b.mergedInto.title}</Link>.{" "}
                    {b.reason}
                  </>
                ) : (
                  <>not eligible. {b.reason}</>
                )}
              </li>
            ))}
          </ul>
        </>
      ) : null}

      <h2>Share this round</h2>
      <label htmlFor="share-url" className="block font-semibold">
        Link to this page
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
