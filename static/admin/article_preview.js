// Adds a "Preview" button under the Markdown body that renders the unsaved text through the
// same sanitising renderer the public site uses.
"use strict";
window.addEventListener("DOMContentLoaded", function () {
  const body = document.getElementById("id_body");
  const target = document.querySelector(".article-preview");
  if (!body || !target) return;
  const button = document.createElement("button");
  button.type = "button";
  button.className = "button";
  button.textContent = "Preview";
  body.insertAdjacentElement("afterend", button);
  button.addEventListener("click", function () {
    const csrf = document.querySelector("input[name=csrfmiddlewaretoken]").value;
    const data = new FormData();
    data.append("body", body.value);
    fetch(target.dataset.previewUrl, {
      method: "POST",
      body: data,
      headers: { "X-CSRFToken": csrf },
      credentials: "same-origin",
    })
      .then(function (response) { return response.json(); })
      .then(function (payload) { target.innerHTML = payload.html; })
      .catch(function () { target.textContent = "The preview could not be loaded."; });
  });
});
