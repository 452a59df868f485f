// The draft editor: a small rich-text box over the plain textarea, and the addressee rows.
// Without JavaScript the textarea and the rows work as they are (the server sanitises the
// text either way); the CSP forbids inline code, so everything is wired here.
(function () {
  "use strict";

  function richText(holder) {
    var source = document.getElementById(holder.dataset.rteFor);
    var area = holder.querySelector(".rte-area");
    var toolbar = holder.querySelector(".rte-toolbar");
    if (!(source instanceof HTMLTextAreaElement) || !area || !toolbar) {
      return;
    }
    // The textarea holds HTML the server has already cleaned.
    area.innerHTML = source.value;
    // Enter starts a new paragraph (<p>), as the stored subset has it, not a <div>.
    document.execCommand("defaultParagraphSeparator", false, "p");
    area.hidden = false;
    toolbar.hidden = false;
    source.hidden = true;
    source.required = false;
    var sync = function () {
      source.value = area.innerHTML;
    };
    area.addEventListener("input", sync);
    toolbar.addEventListener("click", function (event) {
      var button = event.target instanceof Element ? event.target.closest("[data-rte-command]") : null;
      if (!button) {
        return;
      }
      event.preventDefault();
      area.focus();
      document.execCommand(button.getAttribute("data-rte-command"), false);
      sync();
    });
    if (source.form) {
      source.form.addEventListener("submit", sync);
    }
  }

  // Show the internal or the external fields of a row, as its kind says.
  function showKind(row) {
    var kind = row.querySelector("[data-addressee-kind]");
    row.querySelectorAll("[data-kind-fields]").forEach(function (fields) {
      fields.hidden = !!kind && fields.getAttribute("data-kind-fields") !== kind.value;
    });
  }

  function addressees(list) {
    var template = document.getElementById("addressee-template");
    var add = document.querySelector("[data-addressee-add]");
    list.querySelectorAll("[data-addressee-row]").forEach(showKind);
    list.addEventListener("change", function (event) {
      var row = event.target instanceof Element ? event.target.closest("[data-addressee-row]") : null;
      if (row && event.target.matches("[data-addressee-kind]")) {
        showKind(row);
      }
    });
    list.addEventListener("click", function (event) {
      var button = event.target instanceof Element ? event.target.closest("[data-addressee-remove]") : null;
      if (!button) {
        return;
      }
      var rows = list.querySelectorAll("[data-addressee-row]");
      var row = button.closest("[data-addressee-row]");
      if (rows.length > 1 && row) {
        row.remove();
      }
    });
    if (add instanceof HTMLButtonElement && template instanceof HTMLTemplateElement) {
      add.hidden = false;
      add.addEventListener("click", function () {
        var row = template.content.firstElementChild.cloneNode(true);
        list.appendChild(row);
        showKind(row);
        if (window.htmx) {
          window.htmx.process(row);
        }
      });
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-rte-for]").forEach(richText);
    document.querySelectorAll("[data-addressees]").forEach(addressees);
  });
})();
