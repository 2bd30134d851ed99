// Times: the server writes <time datetime="…Z" data-local data-utc="… UTC">; here they become the
// viewer's local time and how long ago it was, with the UTC time in the tooltip.
const absolute = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "medium" });
const relative = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });

function ago(ms) {
  const s = Math.round(ms / 1000), abs = Math.abs(s);
  if (abs < 60) return relative.format(s, "second");
  if (abs < 3600) return relative.format(Math.round(s / 60), "minute");
  if (abs < 86400) return relative.format(Math.round(s / 3600), "hour");
  return relative.format(Math.round(s / 86400), "day");
}

function renderTimes() {
  for (const el of document.querySelectorAll("time[data-local]")) {
    const at = new Date(el.dateTime);
    if (Number.isNaN(at.getTime())) continue;
    el.title = el.dataset.utc;
    el.textContent = `${absolute.format(at)} (${ago(at - Date.now())})`;
  }
}

renderTimes();
setInterval(renderTimes, 30000);

// Pages showing pending deliveries carry data-refresh="seconds": they reload themselves until
// nothing is pending (the server stops sending the attribute), so no manual reload is needed.
const refreshing = document.querySelector("[data-refresh]");
const seconds = refreshing ? Number(refreshing.dataset.refresh) : 0;
if (seconds > 0) setTimeout(() => location.reload(), seconds * 1000);
