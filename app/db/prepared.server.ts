/**
 * Queries built and prepared once per connection.
 *
 * Building a Drizzle query and preparing its SQL costs far more than running it on an indexed row, so
 * the queries of the busiest paths (every signed-in request's session and principal, a kiosk's cast,
 * an officer's issue) are built once with `sql.placeholder` parameters and kept beside the connection
 * they were prepared on. Keyed by the better-sqlite3 handle, so a test's own database gets its own.
 */
import type { Db } from "./client.server";

export function preparedPerConnection<Queries>(prepare: (database: Db) => Queries): (database: Db) => Queries {
  const cache = new WeakMap<object, Queries>();
  return (database) => {
    let queries = cache.get(database.$client);
    if (!queries) cache.set(database.$client, (queries = prepare(database)));
    return queries;
  };
}
