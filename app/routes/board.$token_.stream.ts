import type { LoaderFunctionArgs } from "@remix-run/node";
import { eventByBoardToken } from "~/models/events/events.server";
import { boardClosesAt, turnoutBroadcaster } from "~/models/events/board.server";
import { notFound } from "~/utils/http.server";

const HEARTBEAT_MS = 15_000;

/**
 * The board's live turnout as server-sent events. Every viewer is fed by the one in-process
 * broadcaster (app/models/events/board.server.ts), so a viewer costs a subscription, not a query.
 * `no-transform` keeps compression from buffering the stream.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const event = eventByBoardToken(params.token ?? "");
  if (!event) throw notFound("There is no such board.");
  const closesAt = boardClosesAt(event);
  const encoder = new TextEncoder();
  let cleanup = () => {};
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      const write = (text: string) => {
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          cleanup();
        }
      };
      write("retry: 2000\n\n");
      const unsubscribe = turnoutBroadcaster().subscribe(event.roundId, closesAt, (snapshot) =>
        write(`event: turnout\ndata: ${JSON.stringify(snapshot)}\n\n`),
      );
      const heartbeat = setInterval(() => write(": still here\n\n"), HEARTBEAT_MS);
      cleanup = () => {
        clearInterval(heartbeat);
        unsubscribe();
        cleanup = () => {};
      };
      request.signal.addEventListener("abort", () => {
        cleanup();
        try {
          controller.close();
        } catch {
          // already closed
        }
      });
    },
    cancel() {
      cleanup();
    },
  });
  return new Response(stream, {
    headers: {
      "Content-Type": "text/event-stream; charset=utf-8",
      "Cache-Control": "no-store, no-transform",
      "X-Accel-Buffering": "no",
      Connection: "keep-alive",
    },
  });
}
