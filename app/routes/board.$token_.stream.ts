import type { LoaderFunctionArgs } from "@remix-run/node";
import { eventByBoardToken } from "~/models/events/events.server";
import { boardClosesAt, turnoutBroadcaster } from "~/models/events/board.server";
import { notFound } from "~/utils/http.server";

const HEARTBEAT_MS = 15_000;
const encoder = new TextEncoder();
const HEARTBEAT = encoder.encode(": still here\n\n");

/**
 * The board's live turnout as server-sent events. Every viewer is fed by the one in-process
 * broadcaster (app/models/events/board.server.ts), so a viewer costs a subscription, not a query.
 * `no-transform` keeps compression from buffering the stream.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const event = eventByBoardToken(params.token ?? "");
  if (!event) throw notFound("There is no such board.");
  const closesAt = boardClosesAt(event);
  let cleanup = () => {};
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      const write = (bytes: Uint8Array) => {
        try {
          controller.enqueue(bytes);
        } catch {
          cleanup();
        }
      };
      write(encoder.encode("retry: 2000\n\n"));
      // The broadcaster encodes each snapshot once for every viewer.
      const unsubscribe = turnoutBroadcaster().subscribe(event.roundId, closesAt, (_snapshot, frame) => write(frame));
      const heartbeat = setInterval(() => write(HEARTBEAT), HEARTBEAT_MS);
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
