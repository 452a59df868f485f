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

  // The page viewer: the arrow keys turn the pages (left is "previous" in a left-to-right
  // page, "next" in a right-to-left one), unless one is typing.
  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) {
      return;
    }
    if (target instanceof HTMLElement && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) {
      return;
    }
    if (event.key !== "ArrowLeft" && event.key !== "ArrowRight") {
      return;
    }
    var rtl = document.documentElement.dir === "rtl";
    var forward = (event.key === "ArrowRight") !== rtl;
    var link = document.querySelector(forward ? "a[rel=next][data-page-turn]" : "a[rel=prev][data-page-turn]");
    if (link instanceof HTMLAnchorElement) {
      event.preventDefault();
      window.location.assign(link.href);
    }
  });
})();
