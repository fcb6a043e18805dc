// Adds an "Insert image" button under the Markdown body. It opens the media library as the
// admin's own lookup popup (the mechanism of raw-id fields: RelatedObjectLookups.js); choosing
// an image there inserts ![](image:<id>) at the cursor, on a line of its own.
"use strict";
window.addEventListener("DOMContentLoaded", function () {
  const body = document.getElementById("id_body");
  if (!body || !body.dataset.imagePicker || !window.django) return;
  const $ = window.django.jQuery;
  // The popup writes the chosen id into the element named like the popup window.
  const chosen = document.createElement("input");
  chosen.type = "hidden";
  chosen.id = "insert_image";
  const button = document.createElement("a");
  button.id = "lookup_insert_image";
  button.href = body.dataset.imagePicker;
  button.className = "button related-lookup insert-image";
  button.setAttribute("role", "button");
  button.setAttribute("aria-haspopup", "dialog");
  button.textContent = "Insert image";
  const help = document.createElement("p");
  help.className = "help";
  help.id = "insert-image-help";
  help.textContent = "Opens the media library; choosing an image inserts ![](image:number) " +
    "where the cursor is. Add alt text inside the brackets to replace the library's here.";
  button.setAttribute("aria-describedby", help.id);
  const group = document.createElement("div");
  group.className = "insert-image-group";
  group.append(button, chosen, help);
  body.insertAdjacentElement("afterend", group);
  let start = body.value.length;
  let end = start;
  body.addEventListener("blur", function () {
    start = body.selectionStart;
    end = body.selectionEnd;
  });
  // A space activates a button, as for a native one (Enter already follows the link).
  button.addEventListener("keydown", function (event) {
    if (event.key === " ") {
      event.preventDefault();
      button.click();
    }
  });
  $(chosen).on("change", function () {
    const id = String(chosen.value).trim();
    if (!/^[0-9]+$/.test(id)) return;
    const before = body.value.slice(0, start);
    const after = body.value.slice(end);
    const lead = before === "" || before.endsWith("\n\n") ? "" : before.endsWith("\n") ? "\n" : "\n\n";
    const trail = after === "" || after.startsWith("\n\n") ? "" : after.startsWith("\n") ? "\n" : "\n\n";
    const text = lead + "![](image:" + id + ")" + trail;
    body.value = before + text + after;
    start = end = before.length + text.length;
    body.focus();
    body.setSelectionRange(start, end);
    body.dispatchEvent(new Event("input", { bubbles: true }));
    chosen.value = "";
  });
});
