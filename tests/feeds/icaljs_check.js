// Parse iCalendar files with Mozilla's ical.js (what Thunderbird uses) and print,
// as one JSON document, each file's events with their UTC start and end.
// Usage: node tests/feeds/icaljs_check.js FILE...
// A DTSTART whose VTIMEZONE is missing comes out as floating ("floating": true).
"use strict";

const fs = require("fs");

async function main() {
  const ICAL = (await import("ical.js")).default;
  const result = {};
  for (const path of process.argv.slice(2)) {
    const calendar = new ICAL.Component(ICAL.parse(fs.readFileSync(path, "utf8")));
    for (const vtimezone of calendar.getAllSubcomponents("vtimezone")) {
      ICAL.TimezoneService.register(vtimezone);
    }
    const events = calendar.getAllSubcomponents("vevent").map((vevent) => {
      const event = new ICAL.Event(vevent);
      const start = event.startDate;
      const end = event.endDate;
      return {
        uid: event.uid,
        summary: event.summary,
        status: vevent.getFirstPropertyValue("status"),
        sequence: event.sequence,
        all_day: start.isDate,
        floating: !start.isDate && start.zone === ICAL.Timezone.localTimezone,
        tzid: start.isDate ? null : start.zone.tzid,
        start_utc: start.isDate ? null : start.toJSDate().toISOString(),
        end_utc: end.isDate ? null : end.toJSDate().toISOString(),
        start_date: start.isDate ? start.toString() : null,
        end_date: end.isDate ? end.toString() : null,
        location: event.location,
        description: event.description,
      };
    });
    result[path] = {
      name: calendar.getFirstPropertyValue("name"),
      x_wr_calname: calendar.getFirstPropertyValue("x-wr-calname"),
      timezones: calendar.getAllSubcomponents("vtimezone").map((tz) => tz.getFirstPropertyValue("tzid")),
      events,
    };
  }
  process.stdout.write(JSON.stringify(result));
}

main().catch((error) => {
  process.stderr.write(String(error && error.stack ? error.stack : error) + "\n");
  process.exit(1);
});
