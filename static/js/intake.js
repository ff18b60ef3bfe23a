// Intake form: Ctrl+Enter (Cmd+Enter) in a text area submits the form.
(function () {
  "use strict";
  var form = document.getElementById("intake-form");
  if (!form) { return; }
  form.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey) && event.target.tagName === "TEXTAREA") {
      event.preventDefault();
      event.currentTarget.requestSubmit();
    }
  });
})();
