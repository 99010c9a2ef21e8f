// Read one iTIP message from stdin with Mozilla's ical.js (Thunderbird's parser) and
// print its method and events as JSON, with UTC instants computed from the message's
// own VTIMEZONEs. An event whose zone is missing comes out as floating.
"use strict";

async function main() {
  const ICAL = (await import("ical.js")).default;
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  const calendar = new ICAL.Component(ICAL.parse(Buffer.concat(chunks).toString("utf8")));
  for (const vtimezone of calendar.getAllSubcomponents("vtimezone")) {
    ICAL.TimezoneService.register(vtimezone);
  }
  const events = calendar.getAllSubcomponents("vevent").map((vevent) => {
    const event = new ICAL.Event(vevent);
    const start = event.startDate;
    return {
      uid: event.uid,
      sequence: event.sequence,
      floating: !start.isDate && start.zone === ICAL.Timezone.localTimezone,
      tzid: start.isDate ? null : start.zone.tzid,
      start_utc: start.isDate ? null : start.toJSDate().toISOString(),
      end_utc: start.isDate ? null : event.endDate.toJSDate().toISOString(),
    };
  });
  process.stdout.write(JSON.stringify({method: calendar.getFirstPropertyValue("method"), events}));
}

main().catch((error) => {
  process.stderr.write(String(error && error.stack ? error.stack : error) + "\n");
  process.exit(1);
});
