// Candidate suggestions for an email box: an input[data-suggest-url] gets a
// <datalist> filled from the suggest endpoint (GET ?q=, JSON [{full_name, email}])
// as the user types, so picking a name fills the email the form takes.
// Without JavaScript the box is a plain email field.
(function () {
  "use strict";
  var DELAY_MS = 200;
  function wire(input) {
    if (input.dataset.suggestWired) { return; }
    input.dataset.suggestWired = "1";
    var list = document.createElement("datalist");
    list.id = (input.id || "candidate") + "-suggestions";
    input.parentNode.appendChild(list);
    input.setAttribute("list", list.id);
    var timer = null;
    var last = "";
    input.addEventListener("input", function () {
      var text = input.value.trim();
      window.clearTimeout(timer);
      if (text.length < 2 || text === last || text.indexOf("@") === text.length - 1) { return; }
      timer = window.setTimeout(function () { load(text); }, DELAY_MS);
    });
    function load(text) {
      last = text;
      var url = input.getAttribute("data-suggest-url") + "?q=" + encodeURIComponent(text);
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : []; })
        .then(function (rows) {
          list.textContent = "";
          rows.forEach(function (row) {
            var option = document.createElement("option");
            option.value = row.email;
            option.label = row.full_name;
            option.textContent = row.full_name;
            list.appendChild(option);
          });
        })
        .catch(function () { list.textContent = ""; });
    }
  }
  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("input[data-suggest-url]"), wire);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
