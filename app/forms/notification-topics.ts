/** The notification topics a user can turn off, with their labels (shared by server and page). */
export type NotificationTopic = "bid-updates" | "payments" | "reminders" | "ward-digest";

export const NOTIFICATION_TOPIC_LIST: readonly { topic: NotificationTopic; label: string; hint: string }[] = [
  {
    topic: "bid-updates",
    label: "Bid updates",
    hint: "Bids submitted in your ward and other news about bids you follow.",
  },
  { topic: "payments", label: "Payments", hint: "When a grant payment to your group is made." },
  { topic: "reminders", label: "Reminders", hint: "Monitoring reports that are due." },
  { topic: "ward-digest", label: "Monthly ward digest", hint: "Councillors: the monthly summary of your ward budget." },
];
