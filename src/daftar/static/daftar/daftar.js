// Daftar: small behaviours that need no inline script (the CSP forbids inline code).
(function () {
  "use strict";

  // Forms with data-confirm ask before they submit (closing a file, deleting a draft).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form instanceof HTMLFormElement && form.dataset.confirm) {
      if (!window.confirm(form.dataset.confirm)) {
        event.preventDefault();
      }
    }
  });

  // Enter in the post search must search, not send the file.
  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (event.key === "Enter" && target instanceof HTMLElement && target.hasAttribute("data-enter-stays")) {
      event.preventDefault();
      if (window.htmx) {
        window.htmx.trigger(target, "search");
      }
    }
  });
})();
