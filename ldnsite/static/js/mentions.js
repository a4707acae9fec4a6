// Offers members' names while one types "@" in a text box that has data-mention-source (ldnsite.mentions).
// Without this script, typing "@" and the exact display name does the same: the server makes the mention.
//
// The box keeps its own role (a text box); it gains aria-autocomplete="list", aria-controls pointing at a
// listbox of names and aria-activedescendant on the name chosen with the arrow keys, and a status region
// says how many names there are. Enter or Tab takes the chosen name, Escape closes the list.
(function () {
  "use strict";
  // Each page with a mention box includes this file beside the box: a page with two runs it once.
  if (window.ldnsiteMentions) return;
  window.ldnsiteMentions = true;

  var NAME = /[\p{L}\p{N}_ .'\-]/u;
  var WORD = /[\p{L}\p{N}_]/u;
  var MAX_NAME = 40;
  var WAIT_MS = 150;
  var counter = 0;

  // The "@name" being typed just before the caret: {start, query}, or null.
  function typedMention(box) {
    var text = box.value;
    var caret = box.selectionStart;
    if (caret !== box.selectionEnd) return null;
    var index = caret - 1;
    while (index >= 0 && caret - index <= MAX_NAME + 1) {
      var character = text.charAt(index);
      if (character === "@") {
        var before = index > 0 ? text.charAt(index - 1) : "";
        if (before && (WORD.test(before) || before === "@")) return null;
        var query = text.slice(index + 1, caret);
        if (!query || !WORD.test(query.charAt(0))) return null;
        return { start: index, query: query };
      }
      if (!NAME.test(character)) return null;
      index -= 1;
    }
    return null;
  }

  function enhance(box) {
    counter += 1;
    var source = box.getAttribute("data-mention-source");
    var listId = "mention-list-" + counter;
    var list = document.createElement("ul");
    list.id = listId;
    list.className = "mention-list";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Members to mention");
    list.hidden = true;
    var status = document.createElement("p");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    box.insertAdjacentElement("afterend", status);
    box.insertAdjacentElement("afterend", list);
    box.setAttribute("aria-autocomplete", "list");
    box.parentElement.classList.add("mention-field");

    var current = null; // the mention being typed
    var active = -1;
    var timer = null;
    var asked = 0;

    function options() {
      return list.querySelectorAll("[role=option]");
    }

    function close() {
      list.hidden = true;
      list.textContent = "";
      active = -1;
      box.removeAttribute("aria-controls");
      box.removeAttribute("aria-activedescendant");
    }

    function choose(index) {
      var all = options();
      if (!all.length) return;
      active = (index + all.length) % all.length;
      for (var i = 0; i < all.length; i += 1) {
        all[i].setAttribute("aria-selected", i === active ? "true" : "false");
      }
      box.setAttribute("aria-activedescendant", all[active].id);
    }

    function pick(index) {
      var option = options()[index];
      if (!option || !current) return;
      var name = option.getAttribute("data-name");
      var text = box.value;
      var end = current.start + 1 + current.query.length;
      var after = text.slice(end);
      var insert = "@" + name + (after.charAt(0) === " " ? "" : " ");
      box.value = text.slice(0, current.start) + insert + after;
      var caret = current.start + insert.length;
      box.setSelectionRange(caret, caret);
      close();
      status.textContent = name + " mentioned.";
      box.focus();
    }

    function show(names) {
      list.textContent = "";
      if (!names.length) {
        close();
        status.textContent = "";
        return;
      }
      names.forEach(function (name, i) {
        var option = document.createElement("li");
        option.id = listId + "-" + i;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.setAttribute("data-name", name);
        option.textContent = name;
        // mousedown, not click: the box keeps the focus (and the caret) while a name is picked.
        option.addEventListener("mousedown", function (event) {
          event.preventDefault();
          pick(i);
        });
        list.appendChild(option);
      });
      list.hidden = false;
      box.setAttribute("aria-controls", listId);
      choose(0);
      status.textContent =
        names.length + (names.length === 1 ? " member" : " members") +
        " found. Up and down arrows to choose, Enter to mention, Escape to close.";
    }

    function ask() {
      current = typedMention(box);
      if (!current) {
        close();
        return;
      }
      var number = (asked += 1);
      var query = current.query;
      fetch(source + "?q=" + encodeURIComponent(query), {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      })
        .then(function (response) {
          return response.ok ? response.json() : { members: [] };
        })
        .then(function (data) {
          // Only the answer to the latest question counts; typing on may have moved past it.
          if (number !== asked || !current || current.query !== query) return;
          show((data.members || []).map(function (member) { return member.name; }));
        })
        .catch(close);
    }

    box.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(ask, WAIT_MS);
    });
    box.addEventListener("keydown", function (event) {
      if (list.hidden) return;
      if (event.key === "ArrowDown") {
        event.preventDefault();
        choose(active + 1);
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        choose(active - 1);
      } else if ((event.key === "Enter" || event.key === "Tab") && active >= 0) {
        event.preventDefault();
        pick(active);
      } else if (event.key === "Escape") {
        event.preventDefault();
        close();
        status.textContent = "";
      }
    });
    box.addEventListener("blur", function () {
      setTimeout(close, 100);
    });
  }

  function start() {
    var boxes = document.querySelectorAll("textarea[data-mention-source]");
    for (var i = 0; i < boxes.length; i += 1) enhance(boxes[i]);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
