// A small typed client over fetch, checked by `tsc --noEmit` (make types): it compiles only
// while the generated types (build/types/eventsapi.d.ts, from openapi.yaml) still say what
// newsroom apps rely on.
import type { components, operations, paths } from "../../build/types/eventsapi";

type Event = components["schemas"]["Event"];
type EventRequest = components["schemas"]["EventRequest"];
type Statement = components["schemas"]["Statement"];
type Problem = components["schemas"]["Problem"];
type VerificationStatus = components["schemas"]["VerificationStatusEnum"];
type EventFilters = NonNullable<operations["events_list"]["parameters"]["query"]>;
type EventPage = operations["events_list"]["responses"][200]["content"]["application/json"];
type Timeline = paths["/api/v1/events/{id}/timeline/"]["get"]["responses"][200]["content"]["application/json"];

export class EventsApi {
  constructor(
    private readonly baseUrl: string,
    private readonly token?: string,
  ) {}

  private async call<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const response = await fetch(this.baseUrl + path, {
      method,
      headers: {
        "Content-Type": "application/json",
        ...(this.token ? { Authorization: `Token ${this.token}` } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) {
      const problem = (await response.json()) as Problem;
      const fields = (problem.errors ?? []).map((error) => error.field ?? "(request)").join(", ");
      throw new Error(`${problem.status} ${problem.title}: ${problem.detail} ${fields}`);
    }
    return { body: (await response.json()) as T, etag: response.headers.get("ETag") };
  }

  listEvents(filters: EventFilters = {}): Promise<EventPage> {
    const query = new URLSearchParams();
    for (const [name, value] of Object.entries(filters)) {
      if (value !== undefined) query.set(name, Array.isArray(value) ? value.join(",") : String(value));
    }
    return this.call<EventPage>("GET", `/api/v1/events/?${query}`).then((answer) => answer.body);
  }

  createEvent(event: EventRequest, idempotencyKey: string) {
    return this.call<Event>("POST", "/api/v1/events/", event, { "Idempotency-Key": idempotencyKey });
  }

  renameEvent(id: string, title: string, etag: string) {
    return this.call<Event>("PATCH", `/api/v1/events/${id}/`, { title }, { "If-Match": etag });
  }

  timeline(id: string): Promise<Timeline> {
    return this.call<Timeline>("GET", `/api/v1/events/${id}/timeline/`).then((answer) => answer.body);
  }
}

export async function contestedFalseClaims(api: EventsApi, place: string): Promise<string[]> {
  const verdicts: VerificationStatus[] = ["false", "misleading"];
  const page = await api.listEvents({
    place,
    date_from: "2021-09-01",
    date_to: "2021-09-30",
    verification_status: verdicts,
    contested: true,
    ordering: ["-start_date"],
  });
  const titles: string[] = [];
  for (const event of page.results) {
    const timeline = await api.timeline(event.id);
    const refuting = timeline.results.filter((entry) => entry.type === "statement" && entry.stance === "refutes");
    titles.push(`${event.title} (${event.place?.name ?? "unknown place"}): ${refuting.length} refuting`);
  }
  return titles;
}

export function speakers(statements: Statement[]): string[] {
  return statements.map((statement) => `${statement.speaker.name}: ${statement.text}`);
}
