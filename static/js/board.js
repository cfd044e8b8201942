// The pipeline board: one move dialog, reached by a card's "Move…" button (keyboard) or by
// dragging the card onto a column; "show more" per column; the count of selected cards.
// The rules (which moves exist, which need a reason or a note) come from the server in the
// board's data-config attribute (hiring/rules.py, hiring/stages.py), never from here.
(function () {
  "use strict";
  var board = document.querySelector("[data-board]");
  if (!board) { return; }
  var status = document.getElementById("board-status");
  var CONFIG = JSON.parse(board.getAttribute("data-config") || "{}");
  var MOVES = CONFIG.moves || {};
  var LABELS = CONFIG.labels || {};
  var dialog = document.getElementById("move-dialog");
  var form = dialog ? dialog.querySelector("[data-move-dialog-form]") : null;
  var current = null;  // the card the dialog moves

  function say(message, kind) {
    status.textContent = message;
    status.className = "board-status" + (kind ? " " + kind : "");
  }

  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function moveFor(card, toStage) {
    var options = MOVES[card.getAttribute("data-stage")] || [];
    for (var i = 0; i < options.length; i += 1) {
      if (options[i].stage === toStage) { return options[i]; }
    }
    return null;
  }

  function firstForward(card) {
    var options = MOVES[card.getAttribute("data-stage")] || [];
    for (var i = 0; i < options.length; i += 1) {
      if (!options[i].needs) { return options[i].stage; }
    }
    return options.length ? options[0].stage : "";
  }

  // The dialog ---------------------------------------------------------------------------

  function field(name) { return form.querySelector("[data-needs=" + name + "]"); }

  function showNeeds() {
    var move = moveFor(current, form.elements.to_stage.value);
    var needs = move ? move.needs : "";
    field("reason").hidden = needs !== "reason";
    field("note").hidden = needs !== "note";
    var reasons = form.elements.reason;
    reasons.textContent = "";
    reasons.appendChild(new Option("Choose a reason", ""));
    ((CONFIG.reasons || {})[form.elements.to_stage.value] || []).forEach(function (pair) {
      reasons.appendChild(new Option(pair[1], pair[0]));
    });
  }

  function openDialog(card, toStage) {
    current = card;
    var stage = card.getAttribute("data-stage");
    form.querySelector("[data-move-name]").textContent = card.getAttribute("data-name");
    form.querySelector("[data-move-from]").textContent = LABELS[stage] || stage;
    form.elements.expected_stage.value = stage;
    var select = form.elements.to_stage;
    select.textContent = "";
    (MOVES[stage] || []).forEach(function (move) {
      select.appendChild(new Option(LABELS[move.stage] || move.stage, move.stage));
    });
    select.value = toStage || firstForward(card);
    form.elements.note.value = "";
    form.querySelector("[data-move-error]").textContent = "";
    showNeeds();
    dialog.showModal();
    var needs = moveFor(card, select.value);
    var focus = needs && needs.needs === "reason" ? form.elements.reason
      : needs && needs.needs === "note" ? form.elements.note : select;
    focus.focus();
  }

  function closeDialog() {
    if (dialog.open) { dialog.close(); }
    if (current) {
      var button = current.querySelector("[data-move]");
      if (button && document.body.contains(button)) { button.focus(); }
    }
  }

  function send(card, data) {
    data.append("csrfmiddlewaretoken", csrfToken());
    return fetch(card.getAttribute("data-move-url"), {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRFToken": csrfToken() }
    }).then(function (response) {
      return response.json().then(function (body) { return { status: response.status, body: body }; });
    });
  }

  function moved(card, toStage, message) {
    var from = card.closest("[data-column]");
    var to = board.querySelector("[data-column][data-stage=" + toStage + "]");
    card.setAttribute("data-stage", toStage);
    var checkbox = card.querySelector(".card-select");
    var days = card.querySelector(".days");
    if (days) { days.textContent = "today"; }
    if (CONFIG.final.indexOf(toStage) > -1) {
      card.removeAttribute("draggable");
      ["[data-move]", ".card-select"].forEach(function (selector) {
        var node = card.querySelector(selector);
        if (node) { node.remove(); }
      });
    } else if (checkbox) {
      checkbox.value = checkbox.value.split(":")[0] + ":" + toStage;
    }
    if (to) { to.querySelector(".cards").prepend(card); }
    else { card.remove(); }  // the board is filtered to another stage
    count(from, -1);
    count(to, 1);
    say(message, "success");
  }

  function count(column, delta) {
    var node = column ? column.querySelector("[data-count]") : null;
    if (node) { node.textContent = String(parseInt(node.textContent, 10) + delta); }
  }

  function submitMove(card, data, inDialog) {
    var toStage = data.get("to_stage");
    return send(card, data).then(function (result) {
      if (result.status === 200) {
        closeDialog();
        moved(card, toStage, result.body.detail);
        return;
      }
      var message = result.body.detail || "The move was refused.";
      if (result.status === 409) { message += " Reload the page to see the current board."; }
      if (inDialog) { form.querySelector("[data-move-error]").textContent = message; }
      else { say(card.getAttribute("data-name") + ": " + message, "error"); }
    }).catch(function () {
      var message = "The move could not be sent. Check your connection and try again.";
      if (inDialog) { form.querySelector("[data-move-error]").textContent = message; }
      else { say(message, "error"); }
    });
  }

  if (form) {
    form.elements.to_stage.addEventListener("change", showNeeds);
    // Enter on the stage list moves, as it would in a text field.
    form.elements.to_stage.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); form.requestSubmit(); }
    });
    form.querySelector("[data-move-cancel]").addEventListener("click", closeDialog);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var data = new FormData(form);
      data.delete("csrfmiddlewaretoken");
      submitMove(current, data, true);
    });
  }

  board.addEventListener("click", function (event) {
    var button = event.target.closest("[data-move]");
    if (button && form) { openDialog(button.closest("[data-card]")); return; }
    var more = event.target.closest("[data-more]");
    if (more) { event.preventDefault(); showMore(more); }
  });

  // Drag and drop: a move that needs nothing more is sent at once; one that needs a reason
  // or a note opens the dialog with the target chosen.
  var dragged = null;
  board.addEventListener("dragstart", function (event) {
    var card = event.target.closest("[data-card][draggable=true]");
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
    var column = event.target.closest("[data-column]");
    if (!column || !dragged) { return; }
    event.preventDefault();
    column.classList.add("drop-target");
  });
  board.addEventListener("dragleave", function (event) {
    var column = event.target.closest("[data-column]");
    if (column && !column.contains(event.relatedTarget)) { column.classList.remove("drop-target"); }
  });
  board.addEventListener("drop", function (event) {
    var column = event.target.closest("[data-column]");
    var card = dragged;
    if (!column || !card) { return; }
    event.preventDefault();
    column.classList.remove("drop-target");
    var toStage = column.getAttribute("data-stage");
    var fromStage = card.getAttribute("data-stage");
    if (toStage === fromStage) { return; }
    var move = moveFor(card, toStage);
    if (!move) {
      var allowed = (MOVES[fromStage] || []).map(function (m) { return LABELS[m.stage]; });
      say(card.getAttribute("data-name") + " cannot move from " + LABELS[fromStage] + " to "
        + LABELS[toStage] + ". Allowed: " + allowed.join(", ") + ".", "error");
      return;
    }
    if (move.needs) { openDialog(card, toStage); return; }
    var data = new FormData();
    data.append("to_stage", toStage);
    data.append("expected_stage", fromStage);
    submitMove(card, data, false);
  });

  // Show more ---------------------------------------------------------------------------

  function showMore(link) {
    var item = link.closest("li");
    link.setAttribute("aria-busy", "true");
    fetch(link.href, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.text();
      })
      .then(function (html) {
        var template = document.createElement("template");
        template.innerHTML = html;
        var first = template.content.querySelector("[data-card] a");
        item.replaceWith(template.content);
        if (first) { document.getElementById(first.closest("[data-card]").id).querySelector("a").focus(); }
      })
      .catch(function () {
        link.removeAttribute("aria-busy");
        say("More cards could not be loaded. Try again.", "error");
      });
  }

  // Bulk selection: say how many cards the bulk form will move.
  var counter = document.querySelector("[data-selected-count]");
  document.addEventListener("change", function (event) {
    if (!counter || !event.target.matches(".card-select")) { return; }
    var n = document.querySelectorAll(".card-select:checked").length;
    counter.textContent = n ? n + " selected:" : "Select cards to move several at once:";
  });
})();
