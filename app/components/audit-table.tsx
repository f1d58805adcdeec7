export interface AuditRow {
  id: number;
  at: string;
  actorName: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  reason: string | null;
  before: string | null;
  after: string | null;
}

export function AuditTable({ events }: { events: AuditRow[] }) {
  if (events.length === 0) return <p>Nothing has been recorded yet.</p>;
  return (
    <table>
      <caption className="sr-only">Audit events, newest first</caption>
      <thead>
        <tr>
          <th scope="col">When (UTC)</th>
          <th scope="col">Who</th>
          <th scope="col">What</th>
          <th scope="col">Record</th>
          <th scope="col">Change</th>
        </tr>
      </thead>
      <tbody>
        {events.map((e) => (
          <tr key={e.id}>
            <td className="whitespace-nowrap">{e.at.replace("T", " ").slice(0, 19)}</td>
            <td>{e.actorName ?? "System"}</td>
            <td>{e.action}</td>
            <td>
              {e.entityType}
              {e.entityId ? ` ${e.entityId}` : ""}
            </td>
            <td className="break-all text-sm">
              {e.reason ? <p className="m-0">Reason: {e.reason}</p> : null}
              {e.before ? <p className="m-0">Before: {e.before}</p> : null}
              {e.after ? <p className="m-0">After: {e.after}</p> : null}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
