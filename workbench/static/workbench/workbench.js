// The workbench's interactions, in plain JavaScript: highlights and proposal cards select
// each other, a selection in the article becomes a proposed statement (button or Alt+N),
// and speaker/publisher inputs complete over /api/v1/actors/match/. Every action is also a
// link or a form that works without this script.
(function () {
  "use strict";

  function announce(text) {
    var live = document.getElementById("live");
    if (live) { live.textContent = ""; window.setTimeout(function () { live.textContent = text; }, 50); }
  }

  // -- highlights <-> cards ---------------------------------------------------------------
  function marksOf(key) {
    return Array.prototype.filter.call(document.querySelectorAll("#article-text mark[data-keys]"), function (m) {
      return m.dataset.keys.split(" ").indexOf(key) !== -1;
    });
  }

  function select(key) {
    document.querySelectorAll(".selected").forEach(function (el) { el.classList.remove("selected"); });
    marksOf(key).forEach(function (m) { m.classList.add("selected"); });
    var label = document.getElementById("mark-" + key);
    if (label) { label.classList.add("selected"); }
    var card = document.getElementById("statement-" + key);
    if (card) { card.classList.add("selected"); }
    return card;
  }

  function focusCard(key) {
    var card = select(key);
    if (card) {
      card.scrollIntoView({ block: "nearest" });
      card.focus({ preventScroll: true });
      history.replaceState(null, "", "#statement-" + key);
      announce("Statement " + key + " selected");
    }
  }

  function focusMark(key) {
    select(key);
    var label = document.getElementById("mark-" + key);
    if (label) {
      label.scrollIntoView({ block: "center" });
      label.focus({ preventScroll: true });
      history.replaceState(null, "", "#mark-" + key);
    }
  }

  document.addEventListener("click", function (event) {
    var target = event.target;
    var label = target.closest && target.closest("#article-text .span-label");
    if (label) { event.preventDefault(); focusCard(label.dataset.key); return; }
    var mark = target.closest && target.closest("#article-text mark[data-keys]");
    if (mark && window.getSelection().isCollapsed) { focusCard(mark.dataset.key); return; }
    var show = target.closest && target.closest(".show-in-article");
    if (show) { event.preventDefault(); focusMark(show.dataset.key); }
  });

  document.addEventListener("focusin", function (event) {
    var card = event.target.closest && event.target.closest(".statement-card");
    if (card && !card.classList.contains("selected")) { select(card.dataset.key); }
  });

  // -- a selection in the article -> offsets into draft.text -----------------------------
  var article = document.getElementById("article-text");
  var startInput = document.getElementById("propose-start");
  var endInput = document.getElementById("propose-end");
  var hint = document.getElementById("propose-selection");

  function offsetOf(container, node, offset) {
    var range = document.createRange();
    range.setStart(container, 0);
    range.setEnd(node, offset);
    var copy = range.cloneContents();
    copy.querySelectorAll("[data-skip]").forEach(function (el) { el.remove(); });
    return copy.textContent.length;
  }

  function selectionOffsets() {
    var selection = window.getSelection();
    if (!article || !selection.rangeCount || selection.isCollapsed) { return null; }
    var range = selection.getRangeAt(0);
    if (!article.contains(range.startContainer) || !article.contains(range.endContainer)) { return null; }
    var start = offsetOf(article, range.startContainer, range.startOffset);
    var end = offsetOf(article, range.endContainer, range.endOffset);
    return end > start ? { start: start, end: end, text: selection.toString() } : null;
  }

  document.addEventListener("selectionchange", function () {
    var found = selectionOffsets();
    if (found && startInput && endInput) {
      startInput.value = found.start;
      endInput.value = found.end;
      var words = found.text.trim();
      hint.textContent = "Selected characters " + found.start + " to " + found.end + ": “" +
        (words.length > 80 ? words.slice(0, 80) + "…" : words) + "”";
    }
  });

  var proposeForm = document.getElementById("propose-form");
  function propose() {
    if (!proposeForm) { return; }
    if (!startInput.value || !endInput.value) {
      announce("Select a passage of the article first.");
      hint.textContent = "Select a passage of the article first.";
      return;
    }
    proposeForm.requestSubmit();
  }
  document.addEventListener("keydown", function (event) {
    if (event.altKey && !event.ctrlKey && !event.metaKey && event.code === "KeyN") {
      event.preventDefault();
      propose();
    }
  });

  // -- actor autocomplete over /api/v1/actors/match/ -------------------------------------
  document.querySelectorAll("input[data-actor-autocomplete]").forEach(function (input) {
    var hidden = document.getElementById(input.dataset.actorAutocomplete);
    var list = document.getElementById(input.getAttribute("list"));
    var choice = input.parentElement.querySelector(".actor-choice") ||
      (input.closest(".autocomplete") && input.closest(".autocomplete").querySelector(".actor-choice"));
    var initialName = input.value;
    var initialActor = hidden ? hidden.value : "";
    var timer = null;

    function chosen() {
      var options = list ? list.querySelectorAll("option") : [];
      for (var i = 0; i < options.length; i++) {
        if (options[i].value === input.value) { return options[i]; }
      }
      return null;
    }

    function update() {
      var option = chosen();
      if (!hidden) { return; }
      if (option && option.dataset.id) {
        hidden.value = option.dataset.id;
        if (choice) { choice.textContent = "Recorded actor: " + option.value; }
      } else if (input.value === initialName) {
        hidden.value = initialActor;
      } else {
        hidden.value = "";
        if (choice) { choice.textContent = input.value ? "No recorded actor chosen: “" + input.value + "” is proposed as a new actor" : "No speaker chosen"; }
      }
    }

    function lookUp() {
      var name = input.value.trim();
      if (name.length < 2 || !list) { return; }
      fetch("/api/v1/actors/match/?limit=8&name=" + encodeURIComponent(name), {
        headers: { Accept: "application/json" }, credentials: "same-origin"
      }).then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (body) {
          list.innerHTML = "";
          (body.results || []).forEach(function (match) {
            var option = document.createElement("option");
            option.value = match.actor.name;
            option.dataset.id = match.actor.id;
            option.textContent = match.actor.name + " (" + match.decision + ", " + match.matched_on + ")";
            list.appendChild(option);
          });
          update();
        }).catch(function () { /* no suggestions: the typed name stands */ });
    }

    input.addEventListener("input", function () {
      update();
      window.clearTimeout(timer);
      timer = window.setTimeout(lookUp, 200);
    });
    input.addEventListener("change", update);
  });

  // Arriving at #statement-sN (after a save or a proposal) selects that card.
  var hash = window.location.hash.match(/^#statement-(.+)$/);
  if (hash) { select(hash[1]); }
})();
