// The console's one script (served from /operator/assets; the CSP allows no inline script):
// a decision form asks before rejecting, and a comment is required where the server requires
// one, so the reviewer hears it before the round trip. The server checks everything again.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  for (const button of document.querySelectorAll("button[data-needs-comment]")) {
    button.addEventListener("click", (event) => {
      const form = button.form;
      const comment = form && form.querySelector("textarea[name=comment]");
      if (comment && comment.value.trim() === "") {
        event.preventDefault();
        comment.setCustomValidity(button.dataset.needsComment);
        comment.reportValidity();
        comment.addEventListener("input", () => comment.setCustomValidity(""), { once: true });
      }
    });
  }
});
