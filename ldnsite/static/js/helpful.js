// Mark-as-helpful forms (ldnsite.helpful), improved when scripts run: the mark is sent in the background and
// the button and count change in place, keeping the keyboard focus on the button. Without this script the
// form posts and the page comes back at the same place; if the background request fails, the form is sent
// the ordinary way, so the server's own answer (sign in, confirm your address, wait a minute) is shown.
(function () {
  "use strict";
  if (!window.fetch || !window.FormData) {
    return;
  }
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-helpful")) {
      return;
    }
    event.preventDefault();
    if (form.getAttribute("aria-busy") === "true") {
      return; // one request at a time: a double press sends one
    }
    var button = form.querySelector("button");
    var action = form.querySelector('input[name="action"]');
    var count = form.querySelector(".helpful-count");
    form.setAttribute("aria-busy", "true");
    // getAttribute: form.action would be the hidden input named "action".
    fetch(form.getAttribute("action"), {
      method: "POST",
      body: new FormData(form),
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.json();
      })
      .then(function (data) {
        button.setAttribute("aria-pressed", data.marked ? "true" : "false");
        button.textContent = data.marked ? "Undo helpful" : "Mark as helpful";
        action.value = data.marked ? "undo" : "mark";
        count.textContent = "Helpful (" + data.count.toLocaleString("en-GB") + ")";
        form.removeAttribute("aria-busy");
      })
      .catch(function () {
        form.removeAttribute("aria-busy");
        form.submit();
      });
  });
})();
