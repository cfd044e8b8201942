// Pipeline board: drag a card to a column, or submit its move form, without a page reload.
// Progressive enhancement: every card's form works without this script.
(function () {
  "use strict";
  var board = document.querySelector("[data-board]");
  var status = document.getElementById("board-status");
  if (!board) { return; }

  // The stages come from the server's one definition (hiring/stages.py), never from here.
  var STAGES = JSON.parse(board.getAttribute("data-stages") || "{}");
  var ORDER = STAGES.pipeline || [];
  var NEEDS_REASON = STAGES.dispositions || [];

  function say(message) { if (status) { status.textContent = message; } }

  function csrfToken(form) {
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    if (input && input.value) { return input.value; }
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function send(form) {
    var body = new FormData(form);
    return fetch(form.action, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRFToken": csrfToken(form) }
    }).then(function (response) {
      return response.json().then(function (data) { return { status: response.status, data: data }; });
    }).then(function (result) {
      if (result.status === 200) {
        say(result.data.detail + " Updating the board…");
        window.location.reload();
      } else if (result.status === 409) {
        say(result.data.detail + " Reload the page to see the current board.");
      } else {
        say(result.data.detail || "The move was refused.");
      }
    }).catch(function () {
      say("The move could not be sent. Check your connection and try again.");
    });
  }

  function needsMore(form, fromStage, toStage) {
    var reason = form.querySelector("select[name=reason]");
    var note = form.querySelector("input[name=note]");
    if (NEEDS_REASON.indexOf(toStage) > -1 && reason && !reason.value) {
      say("Choose a reason for " + toStage + ", then press Move.");
      reason.focus();
      return true;
    }
    var backward = ORDER.indexOf(toStage) > -1 && ORDER.indexOf(toStage) < ORDER.indexOf(fromStage);
    if (backward && note && !note.value.trim()) {
      say("Moving back needs a note: write why, then press Move.");
      note.focus();
      return true;
    }
    return false;
  }

  board.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches("[data-move-form]")) { return; }
    event.preventDefault();
    send(form);
  });

  var dragged = null;
  board.addEventListener("dragstart", function (event) {
    var card = event.target.closest("[data-card]");
    if (!card) { return; }
    dragged = card;
    card.classList.add("dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", card.id);
  });
  board.addEventListener("dragend", function () {
    if (dragged) { dragged.classList.remove("dragging"); }
    dragged = null;
    board.querySelectorAll(".drop-target").forEach(function (c) { c.classList.remove("drop-target"); });
  });
  board.addEventListener("dragover", function (event) {
    var column = event.target.closest(".board-column");
    if (!column || !dragged) { return; }
    event.preventDefault();
    column.classList.add("drop-target");
  });
  board.addEventListener("dragleave", function (event) {
    var column = event.target.closest(".board-column");
    if (column && !column.contains(event.relatedTarget)) { column.classList.remove("drop-target"); }
  });
  board.addEventListener("drop", function (event) {
    var column = event.target.closest(".board-column");
    if (!column || !dragged) { return; }
    event.preventDefault();
    column.classList.remove("drop-target");
    var form = dragged.querySelector("[data-move-form]");
    var toStage = column.getAttribute("data-stage");
    var fromStage = dragged.getAttribute("data-stage");
    if (!form || toStage === fromStage) { return; }
    var select = form.querySelector("select[name=to_stage]");
    if (!select.querySelector('option[value="' + toStage + '"]')) {
      var allowed = Array.prototype.map.call(select.options, function (o) { return o.text; });
      say("Cannot move from " + fromStage + " to " + toStage + ". Allowed: " + allowed.join(", ") + ".");
      return;
    }
    select.value = toStage;
    if (needsMore(form, fromStage, toStage)) { return; }
    send(form);
  });
})();
