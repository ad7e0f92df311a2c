// Reads an iCalendar file on stdin the way Thunderbird does (ical.js) and prints each event's
// summary with its start and end as UTC instants, for the Python tests to compare.
import ICAL from "ical.js";

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const calendar = new ICAL.Component(ICAL.parse(Buffer.concat(chunks).toString("utf8")));
for (const zone of calendar.getAllSubcomponents("vtimezone")) {
  ICAL.TimezoneService.register(zone);
}
const events = calendar.getAllSubcomponents("vevent").map((component) => {
  const event = new ICAL.Event(component);
  return {
    uid: event.uid,
    summary: event.summary,
    start: event.startDate.toJSDate().toISOString(),
    end: event.endDate.toJSDate().toISOString(),
    allDay: event.startDate.isDate,
  };
});
process.stdout.write(JSON.stringify(events));
