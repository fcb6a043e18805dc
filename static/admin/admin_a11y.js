// After an action (a POST answered by a redirect, or a form shown again with its errors) the
// focus goes to what the page says about it: the form's error summary, else the messages. A
// screen reader reads the focused live region; a keyboard user goes on from there. Nothing
// moves if the person has already started to use the page.
"use strict";
(function () {
  let moved = false;
  ["keydown", "mousedown", "touchstart"].forEach(function (type) {
    window.addEventListener(type, function () { moved = true; }, { capture: true, once: true });
  });
  // On "load", after the admin's own scripts (which focus an add form's first field).
  window.addEventListener("load", function () {
    const target =
      document.querySelector(".error-summary[data-focus-on-load]") ||
      document.querySelector("[data-focus-on-load]");
    if (target && !moved) target.focus();
  });
  // A link of the error summary takes the focus to its field (a link to an id only scrolls).
  document.addEventListener("click", function (event) {
    const link = event.target.closest(".error-summary a[href^='#']");
    const field = link && document.getElementById(link.getAttribute("href").slice(1));
    if (!field || field.offsetParent === null) return;
    event.preventDefault();
    field.focus();
  });
  // "Add another …" under an inline puts the new form above the link: take the focus to its
  // first field, where the person means to type, rather than leave it on the link below.
  document.addEventListener("formset:added", function (event) {
    const field = event.target.querySelector(
      "input:not([type=hidden]):not([disabled]), select:not([disabled]), textarea:not([disabled])"
    );
    if (field) field.focus();
  });
})();
