// "Find a requisition": typing in an input[data-filters=<select id>] hides the
// options of that select that do not contain the typed words, and selects the
// first one still shown, so Enter adds the best match. Without JavaScript the
// select lists every option.
(function () {
  "use strict";
  function matches(text, words) {
    text = text.toLowerCase();
    return words.every(function (word) { return text.indexOf(word) > -1; });
  }
  function wire(input) {
    var select = document.getElementById(input.getAttribute("data-filters"));
    if (!select || input.dataset.wired) { return; }
    input.dataset.wired = "1";
    input.addEventListener("input", function () {
      var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      var first = null;
      Array.prototype.forEach.call(select.options, function (option) {
        var shown = matches(option.text, words);
        option.hidden = !shown;
        option.disabled = !shown;
        if (shown && first === null) { first = option; }
      });
      if (first) { select.value = first.value; }
    });
  }
  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("input[data-filters]"), wire);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
