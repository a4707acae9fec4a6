// markdownx turns Tab in its text box into indentation, so a keyboard user could not leave the box (a
// keyboard trap). Caught on the way down, before markdownx's own listener, Tab moves focus as everywhere
// else; indenting stays on Ctrl+] and Ctrl+[.
document.addEventListener("keydown", function (event) {
  if (event.key === "Tab" && event.target.classList && event.target.classList.contains("markdownx-editor")) {
    event.stopImmediatePropagation();
  }
}, true);
