// ParkOS console behaviour that HTML cannot express. Loaded as a file because the
// Content-Security-Policy forbids inline script.
(function () {
  "use strict";
  // Ask before destructive actions: <form data-confirm="…">.
  document.addEventListener("submit", function (ev) {
    var msg = ev.target.getAttribute && ev.target.getAttribute("data-confirm");
    if (msg && !window.confirm(msg)) {
      ev.preventDefault();
    }
  }, true);
  // Filter forms submit on change, so lists follow the selection without an extra click.
  document.addEventListener("change", function (ev) {
    var form = ev.target.form;
    if (form && form.classList.contains("filters") && ev.target.tagName === "SELECT") {
      if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); }
    }
  });
})();
