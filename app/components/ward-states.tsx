import { formatPence } from "~/core/money";

interface WardStatesProps {
  requestedPence: number;
  wards: {
    wards: {
      wardId: number;
      name: string;
      sharePence: number;
      state: string;
      amountPence: number;
      deciderName: string | null;
      decidedAt: string | null;
      reason: string | null;
    }[];
    approvedPence: number;
    settled: boolean;
  };
}

/** Each paying ward's share and its decision. */
export function WardStates({ wards, requestedPence }: WardStatesProps) {
  return (
    <section aria-labelledby="ward-decisions">
      <h2 id="ward-decisions">{"Each ward's decision"}</h2>
      <p>
        Each ward decides its own share of {formatPence(requestedPence)}.{" "}
        {wards.settled
          ? `Every ward has decided: ${formatPence(wards.approvedPence)} is offered.`
          : `${formatPence(wards.approvedPence)} is approved so far.`}
      </p>
      <table className="table">
        <caption className="sr-only">Ward decisions</caption>
        <thead>
          <tr>
            <th scope="col">Ward</th>
            <th scope="col" className="text-right">
              Share
            </th>
            <th scope="col">Decision</th>
            <th scope="col" className="text-right">
              Approved
            </th>
          </tr>
        </thead>
        <tbody>
          {wards.wards.map((w) => (
            <tr key={w.wardId}>
              <th scope="row">{w.name}</th>
              <td className="text-right">{formatPence(w.sharePence)}</td>
              <td>
                {w.state === "waiting" ? "Waiting for a decision" : `${w.state[0]!.toUpperCase()}${w.state.slice(1)}`}
                {w.deciderName ? ` by ${w.deciderName} on ${w.decidedAt!.slice(0, 10)}` : ""}
                {w.reason ? `: ${w.reason}` : ""}
              </td>
              <td className="text-right">{w.state === "waiting" ? "–" : formatPence(w.amountPence)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
