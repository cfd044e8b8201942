// The reports page: follow each unfinished run's progress through the API, no reload.
(function () {
  "use strict";
  var table = document.querySelector("[data-report-runs]");
  if (!table) return;
  var LABELS = { queued: "Queued", running: "Running", succeeded: "Succeeded", failed: "Failed" };
  var INTERVAL = 1500;

  function pending() {
    return Array.prototype.filter.call(table.querySelectorAll("tr[data-run]"), function (row) {
      return !row.dataset.final;
    });
  }

  function show(row, run) {
    var badge = row.querySelector("[data-status]");
    badge.textContent = LABELS[run.status] || run.status;
    badge.className = "badge report-status report-status-" + run.status;
    var bar = row.querySelector("[data-progress]");
    bar.value = run.progress;
    bar.textContent = run.progress + "%";
    row.querySelector("[data-rows]").textContent = run.row_count === null ? "" : run.row_count;
    var error = row.querySelector("[data-error]");
    error.textContent = run.error || "";
    error.hidden = !run.error;
    row.querySelector("[data-download]").hidden = !run.download_url;
    row.querySelector("[data-retry]").hidden = run.status !== "failed";
    if (run.status === "succeeded" || run.status === "failed") row.dataset.final = "1";
  }

  function poll() {
    var rows = pending();
    if (!rows.length) return;
    Promise.all(rows.map(function (row) {
      return fetch(row.dataset.api, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (run) { if (run) show(row, run); })
        .catch(function () { /* a missed poll is retried on the next tick */ });
    })).then(function () { window.setTimeout(poll, INTERVAL); });
  }

  window.setTimeout(poll, INTERVAL);
})();
